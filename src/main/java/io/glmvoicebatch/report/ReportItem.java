package io.glmvoicebatch.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One row of the report: an item's final ledger state plus what the page needs to show it (links to the
 * input and reply audio, the reply text). This is the shape of each element of the embedded JSON blob.
 *
 * @param state the status as the report groups it: ok, failed, skipped, uncertain (a last line of
 *     "sending"), or the ledger's own word for anything else
 * @param inputHref relative URL from the output folder to the input audio, null when not an ok item or
 *     the file is gone
 * @param replyHref relative URL of the reply WAV, null when absent
 * @param replyText the reply text (at most {@link BatchReport#MAX_REPLY_TEXT_CHARS} characters)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ReportItem(
    @JsonProperty("key") String key,
    @JsonProperty("id") String id,
    @JsonProperty("segment") Integer segment,
    @JsonProperty("status") String status,
    @JsonProperty("state") String state,
    @JsonProperty("reason") String reason,
    @JsonProperty("error_code") String errorCode,
    @JsonProperty("http_status") Integer httpStatus,
    @JsonProperty("error_message") String errorMessage,
    @JsonProperty("manifest_line") Integer manifestLine,
    @JsonProperty("input_seconds") Double inputSeconds,
    @JsonProperty("seconds_sent") Double secondsSent,
    @JsonProperty("prompt_tokens") Long promptTokens,
    @JsonProperty("completion_tokens") Long completionTokens,
    @JsonProperty("total_tokens") Long totalTokens,
    @JsonProperty("cost") String cost,
    @JsonProperty("currency") String currency,
    @JsonProperty("latency_ms") Long latencyMs,
    @JsonProperty("attempts") Integer attempts,
    @JsonProperty("request_id") String requestId,
    @JsonProperty("input_audio") String inputAudio,
    @JsonProperty("input_href") String inputHref,
    @JsonProperty("reply_href") String replyHref,
    @JsonProperty("reply_seconds") Double replySeconds,
    @JsonProperty("reply_text") String replyText,
    @JsonProperty("reply_text_truncated") boolean replyTextTruncated,
    @JsonProperty("simulated") boolean simulated) {}
