package io.glmvoicebatch.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of the report: an item's final ledger state plus what the page needs to show it (links to the
 * input and reply audio, what was asked, the reply text). The page's data file holds each row as a JSON
 * array in {@link #COLUMNS} order (a row of 100,000 costs its values, not its key names).
 *
 * @param state the status as the report groups it: ok, failed, skipped, uncertain (a last line of
 *     "sending"), or the ledger's own word for anything else
 * @param inputHref relative URL of the input audio: the audio as sent inside the folder, or (older
 *     folders) the original recording; null when neither is there
 * @param inputIsOriginal true when {@link #inputHref} leads to the original recording, outside the folder
 * @param replyHref relative URL of the reply WAV, null when absent
 * @param replyText the reply text (at most {@link BatchReport#MAX_REPLY_TEXT_CHARS} characters)
 * @param inRun true when the item belongs to the manifest of the run that wrote the report
 */
public record ReportItem(
    String key,
    String id,
    Integer segment,
    Integer segments,
    String status,
    String state,
    String reason,
    String errorCode,
    Integer httpStatus,
    String errorMessage,
    Integer manifestLine,
    Double inputSeconds,
    Double secondsSent,
    Long promptTokens,
    Long completionTokens,
    Long totalTokens,
    String cost,
    String currency,
    Long latencyMs,
    Integer attempts,
    String requestId,
    String inputAudio,
    String inputHref,
    boolean inputIsOriginal,
    String replyHref,
    Double replySeconds,
    String replyText,
    boolean replyTextTruncated,
    String prompt,
    String system,
    boolean inRun,
    boolean simulated) {

  /** The data file's column names, in row order. */
  static final List<String> COLUMNS = List.of("key", "id", "segment", "segments", "status", "state", "reason", "error_code",
      "http_status", "error_message", "manifest_line", "input_seconds", "seconds_sent", "prompt_tokens",
      "completion_tokens", "total_tokens", "cost", "currency", "latency_ms", "attempts", "request_id", "input_audio",
      "input_href", "input_is_original", "reply_href", "reply_seconds", "reply_text", "reply_text_truncated", "prompt",
      "system", "in_run", "simulated");

  /**
   * The row as the data file holds it. Prompt and system texts are the same for most items of a batch, so
   * they are numbers into {@code texts}, a table written once (or the text itself once the table is full).
   */
  List<Object> row(TextTable texts) {
    return new ArrayList<>(Arrays.asList(key, id, segment, segments, status, state, reason, errorCode, httpStatus, errorMessage,
        manifestLine, inputSeconds, secondsSent, promptTokens, completionTokens, totalTokens, cost, currency, latencyMs,
        attempts, requestId, inputAudio, inputHref, inputIsOriginal ? 1 : 0, replyHref, replySeconds, replyText,
        replyTextTruncated ? 1 : 0, texts.ref(prompt), texts.ref(system), inRun ? 1 : 0, simulated ? 1 : 0));
  }
}
