package io.glmvoicebatch.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.glmvoicebatch.manifest.RequestParams;
import java.util.List;

/**
 * A ledger line as it is on disk: one flat JSON object, every key written (null when absent) in this order,
 * so every ledger ever written reads and a line written today reads the same way in a text editor, {@code jq}
 * or an older release. The code works on {@link LedgerRecord}, its typed form; {@link LedgerJson} is the one
 * place that maps between the two. Keys of lines written before a field existed read as null;
 * {@code fingerprint_version} came last: a fingerprint without it is version 1.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record LedgerLine(
    @JsonProperty("id") String id,
    @JsonProperty("segment") Integer segment,
    @JsonProperty("segments") Integer segments,
    @JsonProperty("segment_start_seconds") Double segmentStartSeconds,
    @JsonProperty("status") String status,
    @JsonProperty("reason") String reason,
    @JsonProperty("manifest_line") Integer manifestLine,
    @JsonProperty("request_id") String requestId,
    @JsonProperty("request_ids") List<String> requestIds,
    @JsonProperty("response_id") String responseId,
    @JsonProperty("prompt_tokens") Long promptTokens,
    @JsonProperty("completion_tokens") Long completionTokens,
    @JsonProperty("total_tokens") Long totalTokens,
    @JsonProperty("cost_rmb") String costRmb,
    @JsonProperty("price_per_million_tokens") String pricePerMillionTokens,
    @JsonProperty("currency") String currency,
    @JsonProperty("error") LedgerError error,
    @JsonProperty("attempts") Integer attempts,
    @JsonProperty("input_audio") String inputAudio,
    @JsonProperty("input_sha256") String inputSha256,
    @JsonProperty("fingerprint") String fingerprint,
    @JsonProperty("input_format") AudioFacts inputFormat,
    @JsonProperty("input_seconds") Double inputSeconds,
    @JsonProperty("seconds_sent") Double secondsSent,
    @JsonProperty("gain_db") Double gainDb,
    @JsonProperty("warnings") List<String> warnings,
    @JsonProperty("output_audio") String outputAudio,
    @JsonProperty("output_text") String outputText,
    @JsonProperty("reply_seconds") Double replySeconds,
    @JsonProperty("reply_wire_form") String replyWireForm,
    @JsonProperty("finish_reason") String finishReason,
    @JsonProperty("started_at") String startedAt,
    @JsonProperty("finished_at") String finishedAt,
    @JsonProperty("latency_ms") Long latencyMs,
    @JsonProperty("worst_case_tokens") Long worstCaseTokens,
    @JsonProperty("worst_case_cost") String worstCaseCost,
    @JsonProperty("simulated") Boolean simulated,
    @JsonProperty("prompt") String prompt,
    @JsonProperty("system") String system,
    @JsonProperty("model") String model,
    @JsonProperty("max_tokens") Integer maxTokens,
    @JsonProperty("temperature") Double temperature,
    @JsonProperty("top_p") Double topP,
    @JsonProperty("sent_audio") String sentAudio,
    @JsonProperty("fingerprint_version") Integer fingerprintVersion) {

  /** The version of a fingerprint written before the ledger recorded its version. */
  static final int FIRST_FINGERPRINT_VERSION = 1;

  static LedgerLine of(LedgerRecord r) {
    return new LedgerLine(
        r.id(),
        r.place().index(),
        r.place().count(),
        r.place().startSeconds(),
        r.status().wire(),
        r.reason(),
        r.manifestLine(),
        r.call().requestId(),
        r.call().requestIds(),
        r.call().responseId(),
        r.usage().promptTokens(),
        r.usage().completionTokens(),
        r.usage().totalTokens(),
        r.usage().costRmb(),
        r.usage().pricePerMillionTokens(),
        r.usage().currency(),
        r.error(),
        r.call().attempts(),
        r.input().audio(),
        r.input().sha256(),
        r.input().fingerprint(),
        r.input().format(),
        r.input().seconds(),
        r.input().secondsSent(),
        r.input().gainDb(),
        r.input().warnings(),
        r.reply().outputAudio(),
        r.reply().outputText(),
        r.reply().replySeconds(),
        r.reply().replyWireForm(),
        r.reply().finishReason(),
        r.call().startedAt(),
        r.call().finishedAt(),
        r.call().latencyMs(),
        r.usage().worstCaseTokens(),
        r.usage().worstCaseCost(),
        r.call().simulated(),
        r.params().prompt(),
        r.params().system(),
        r.reply().model(),
        r.params().maxTokens(),
        r.params().temperature(),
        r.params().topP(),
        r.input().sentAudio(),
        r.input().fingerprintVersion());
  }

  /** The typed record; a known status, or {@link LedgerStatus#UNKNOWN} for one a newer version wrote. */
  LedgerRecord record() {
    Integer version = fingerprintVersion == null && fingerprint != null ? Integer.valueOf(FIRST_FINGERPRINT_VERSION)
        : fingerprintVersion;
    return new LedgerRecord(id, LedgerStatus.of(status), reason, manifestLine,
        new SegmentPlace(segment, segments, segmentStartSeconds),
        new InputFacts(inputAudio, inputSha256, fingerprint, version, inputFormat, inputSeconds, secondsSent, gainDb,
            warnings, sentAudio),
        new RequestParams(prompt, system, maxTokens, temperature, topP),
        new CallFacts(requestId, requestIds, responseId, attempts, startedAt, finishedAt, latencyMs, simulated),
        new UsageCost(promptTokens, completionTokens, totalTokens, costRmb, pricePerMillionTokens, currency,
            worstCaseTokens, worstCaseCost),
        new ReplyFacts(outputAudio, outputText, replySeconds, replyWireForm, finishReason, model),
        error);
  }
}
