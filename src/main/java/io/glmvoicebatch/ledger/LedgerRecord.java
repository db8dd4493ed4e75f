package io.glmvoicebatch.ledger;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.glmvoicebatch.manifest.RequestParams;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;

/**
 * One line of {@code ledger.jsonl}. An id may appear on several lines (intent, retries of a re-run); the
 * last line is its state. Field names are the README's ledger schema; absent values are written as null
 * so every line has the same keys. The request's prompt, system text and parameters, and {@code sent_audio}
 * (the audio as sent, relative to the output folder) came later: lines written before them read as null.
 * Every path written here is relative to the output folder, so the folder can move.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LedgerRecord(
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
    @JsonProperty("sent_audio") String sentAudio)
    implements Serializable {

  public static final String OK = "ok";
  public static final String FAILED = "failed";
  public static final String SKIPPED = "skipped";
  public static final String SENDING = "sending";
  /** Written at the start of a re-run for an item the previous run left in flight: it may have been billed. */
  public static final String UNCERTAIN = "uncertain";
  /** The reason of an uncertain line written for what the previous run left in flight. */
  public static final String UNCERTAIN_REASON = "in flight when the previous run stopped: may have been billed";
  /** A {@code --dryRun} estimate (only in dry-run.jsonl, never in the ledger). */
  public static final String ESTIMATE = "estimate";

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.segment = segment;
    b.segments = segments;
    b.segmentStartSeconds = segmentStartSeconds;
    b.status = status;
    b.reason = reason;
    b.manifestLine = manifestLine;
    b.requestId = requestId;
    b.requestIds = requestIds;
    b.responseId = responseId;
    b.promptTokens = promptTokens;
    b.completionTokens = completionTokens;
    b.totalTokens = totalTokens;
    b.costRmb = costRmb;
    b.pricePerMillionTokens = pricePerMillionTokens;
    b.currency = currency;
    b.error = error;
    b.attempts = attempts;
    b.inputAudio = inputAudio;
    b.inputSha256 = inputSha256;
    b.fingerprint = fingerprint;
    b.inputFormat = inputFormat;
    b.inputSeconds = inputSeconds;
    b.secondsSent = secondsSent;
    b.gainDb = gainDb;
    b.warnings = warnings;
    b.outputAudio = outputAudio;
    b.outputText = outputText;
    b.replySeconds = replySeconds;
    b.replyWireForm = replyWireForm;
    b.finishReason = finishReason;
    b.startedAt = startedAt;
    b.finishedAt = finishedAt;
    b.latencyMs = latencyMs;
    b.worstCaseTokens = worstCaseTokens;
    b.worstCaseCost = worstCaseCost;
    b.simulated = simulated;
    b.prompt = prompt;
    b.system = system;
    b.model = model;
    b.maxTokens = maxTokens;
    b.temperature = temperature;
    b.topP = topP;
    b.sentAudio = sentAudio;
    return b;
  }

  /** The typed status, or null for a status this version does not know. */
  @JsonIgnore
  public LedgerStatus state() {
    return LedgerStatus.of(status);
  }

  @JsonIgnore
  public boolean isOk() {
    return OK.equals(status);
  }

  /** What the item asked besides its audio (the prompt, system and sampling fields of the line). */
  @JsonIgnore
  public RequestParams params() {
    return new RequestParams(prompt, system, maxTokens, temperature, topP);
  }

  @JsonIgnore
  public BigDecimal cost() {
    return costRmb == null ? BigDecimal.ZERO : new BigDecimal(costRmb);
  }

  /** Builder for {@link LedgerRecord}. */
  public static final class Builder {
    private String id;
    private Integer segment;
    private Integer segments;
    private Double segmentStartSeconds;
    private String status;
    private String reason;
    private Integer manifestLine;
    private String requestId;
    private List<String> requestIds;
    private String responseId;
    private Long promptTokens;
    private Long completionTokens;
    private Long totalTokens;
    private String costRmb;
    private String pricePerMillionTokens;
    private String currency;
    private LedgerError error;
    private Integer attempts;
    private String inputAudio;
    private String inputSha256;
    private String fingerprint;
    private AudioFacts inputFormat;
    private Double inputSeconds;
    private Double secondsSent;
    private Double gainDb;
    private List<String> warnings;
    private String outputAudio;
    private String outputText;
    private Double replySeconds;
    private String replyWireForm;
    private String finishReason;
    private String startedAt;
    private String finishedAt;
    private Long latencyMs;
    private Long worstCaseTokens;
    private String worstCaseCost;
    private Boolean simulated;
    private String prompt;
    private String system;
    private String model;
    private Integer maxTokens;
    private Double temperature;
    private Double topP;
    private String sentAudio;

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder segment(Integer segment) {
      this.segment = segment;
      return this;
    }

    public Builder segments(Integer segments) {
      this.segments = segments;
      return this;
    }

    public Builder segmentStartSeconds(Double segmentStartSeconds) {
      this.segmentStartSeconds = segmentStartSeconds;
      return this;
    }

    public Builder status(String status) {
      this.status = status;
      return this;
    }

    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    public Builder manifestLine(Integer manifestLine) {
      this.manifestLine = manifestLine;
      return this;
    }

    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    public Builder requestIds(List<String> requestIds) {
      this.requestIds = requestIds;
      return this;
    }

    public Builder responseId(String responseId) {
      this.responseId = responseId;
      return this;
    }

    public Builder promptTokens(Long promptTokens) {
      this.promptTokens = promptTokens;
      return this;
    }

    public Builder completionTokens(Long completionTokens) {
      this.completionTokens = completionTokens;
      return this;
    }

    public Builder totalTokens(Long totalTokens) {
      this.totalTokens = totalTokens;
      return this;
    }

    public Builder costRmb(String costRmb) {
      this.costRmb = costRmb;
      return this;
    }

    public Builder pricePerMillionTokens(String pricePerMillionTokens) {
      this.pricePerMillionTokens = pricePerMillionTokens;
      return this;
    }

    public Builder currency(String currency) {
      this.currency = currency;
      return this;
    }

    public Builder error(LedgerError error) {
      this.error = error;
      return this;
    }

    public Builder attempts(Integer attempts) {
      this.attempts = attempts;
      return this;
    }

    public Builder inputAudio(String inputAudio) {
      this.inputAudio = inputAudio;
      return this;
    }

    public Builder inputSha256(String inputSha256) {
      this.inputSha256 = inputSha256;
      return this;
    }

    public Builder fingerprint(String fingerprint) {
      this.fingerprint = fingerprint;
      return this;
    }

    public Builder inputFormat(AudioFacts inputFormat) {
      this.inputFormat = inputFormat;
      return this;
    }

    public Builder inputSeconds(Double inputSeconds) {
      this.inputSeconds = inputSeconds;
      return this;
    }

    public Builder secondsSent(Double secondsSent) {
      this.secondsSent = secondsSent;
      return this;
    }

    public Builder gainDb(Double gainDb) {
      this.gainDb = gainDb;
      return this;
    }

    public Builder warnings(List<String> warnings) {
      this.warnings = warnings;
      return this;
    }

    public Builder outputAudio(String outputAudio) {
      this.outputAudio = outputAudio;
      return this;
    }

    public Builder outputText(String outputText) {
      this.outputText = outputText;
      return this;
    }

    public Builder replySeconds(Double replySeconds) {
      this.replySeconds = replySeconds;
      return this;
    }

    public Builder replyWireForm(String replyWireForm) {
      this.replyWireForm = replyWireForm;
      return this;
    }

    public Builder finishReason(String finishReason) {
      this.finishReason = finishReason;
      return this;
    }

    public Builder startedAt(String startedAt) {
      this.startedAt = startedAt;
      return this;
    }

    public Builder finishedAt(String finishedAt) {
      this.finishedAt = finishedAt;
      return this;
    }

    public Builder latencyMs(Long latencyMs) {
      this.latencyMs = latencyMs;
      return this;
    }

    public Builder worstCaseTokens(Long worstCaseTokens) {
      this.worstCaseTokens = worstCaseTokens;
      return this;
    }

    public Builder worstCaseCost(String worstCaseCost) {
      this.worstCaseCost = worstCaseCost;
      return this;
    }

    public Builder simulated(Boolean simulated) {
      this.simulated = simulated;
      return this;
    }

    public Builder prompt(String prompt) {
      this.prompt = prompt;
      return this;
    }

    public Builder system(String system) {
      this.system = system;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    public Builder temperature(Double temperature) {
      this.temperature = temperature;
      return this;
    }

    public Builder topP(Double topP) {
      this.topP = topP;
      return this;
    }

    public Builder sentAudio(String sentAudio) {
      this.sentAudio = sentAudio;
      return this;
    }

    /** Sets the prompt, system and sampling fields. */
    public Builder params(RequestParams params) {
      this.prompt = params.prompt();
      this.system = params.system();
      this.maxTokens = params.maxTokens();
      this.temperature = params.temperature();
      this.topP = params.topP();
      return this;
    }

    /** Sets the three token counts and the exact cost at {@code pricePerMillion}. */
    public Builder tokens(long prompt, long completion, long total, BigDecimal pricePerMillion, String currency) {
      this.promptTokens = prompt;
      this.completionTokens = completion;
      this.totalTokens = total;
      this.costRmb = Cost.format(Cost.of(total, pricePerMillion));
      this.pricePerMillionTokens = pricePerMillion.toPlainString();
      this.currency = currency;
      return this;
    }

    public LedgerRecord build() {
      if (id == null || status == null) {
        throw new IllegalStateException("id and status are required");
      }
      return new LedgerRecord(id, segment, segments, segmentStartSeconds, status, reason, manifestLine, requestId, requestIds, responseId, promptTokens, completionTokens, totalTokens, costRmb, pricePerMillionTokens, currency, error, attempts, inputAudio, inputSha256, fingerprint, inputFormat, inputSeconds, secondsSent, gainDb, warnings, outputAudio, outputText, replySeconds, replyWireForm, finishReason, startedAt, finishedAt, latencyMs, worstCaseTokens, worstCaseCost, simulated, prompt, system, model, maxTokens, temperature, topP, sentAudio);
    }
  }
}
