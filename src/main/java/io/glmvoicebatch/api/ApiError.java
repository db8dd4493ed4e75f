package io.glmvoicebatch.api;

import java.io.Serializable;
import java.util.Objects;

/**
 * Why an item failed. {@link #code()} is the service's own code when it sent one ("1302", "1113",
 * ...), otherwise one of the constants below.
 */
public final class ApiError implements Serializable {
  private static final long serialVersionUID = 1L;

  /** HTTP error status with no parseable service error body: "http_" + status, e.g. "http_502". */
  public static final String HTTP_PREFIX = "http_";
  /** Connect/read/call timeout of one attempt. */
  public static final String TIMEOUT = "timeout";
  /** The connection broke (reset, refused, closed mid-body). */
  public static final String CONNECTION_RESET = "connection_reset";
  /** The reply was not what the contract describes (non-JSON, truncated, missing fields, bad audio). */
  public static final String BAD_REPLY = "bad_reply";
  /** Not sent (or not retried) because an earlier item stopped the batch (401, 1113). */
  public static final String BATCH_STOPPED = "batch_stopped";
  /** The item's deadline ({@link ClientSettings#itemDeadline()}) passed. */
  public static final String DEADLINE_EXCEEDED = "deadline_exceeded";
  /** The client was closed while the item was waiting. */
  public static final String CLIENT_CLOSED = "client_closed";
  /** Any other local failure (e.g. the request body could not be written). */
  public static final String CLIENT_ERROR = "client_error";
  /** A 2xx reply declaring or sending more bytes than {@link ClientSettings#maxReplyBytes()}. */
  public static final String REPLY_TOO_LARGE = "reply_too_large";
  /**
   * The cause of a batch stop: {@link ClientSettings#maxConsecutiveConnectionFailures()} attempts in a
   * row, across items, got no HTTP answer at all.
   */
  public static final String SERVICE_UNREACHABLE = "service_unreachable";

  private final String code;
  private final int httpStatus;
  private final String message;
  private final boolean retryable;
  private final boolean stopsBatch;
  private final boolean uncertain;

  private ApiError(String code, int httpStatus, String message, boolean retryable, boolean stopsBatch,
      boolean uncertain) {
    this.code = Objects.requireNonNull(code, "code");
    this.httpStatus = httpStatus;
    this.message = message == null ? "" : message;
    this.retryable = retryable;
    this.stopsBatch = stopsBatch;
    this.uncertain = uncertain;
  }

  public static ApiError of(String code, int httpStatus, String message, boolean retryable, boolean stopsBatch) {
    return new ApiError(code, httpStatus, message, retryable, stopsBatch, false);
  }

  /**
   * An attempt that reached the service, which may have billed it, and gave no usable reply: never
   * retried within the run (a retry may pay again); the ledger records it {@code uncertain}.
   */
  static ApiError uncertain(String code, int httpStatus, String message) {
    return new ApiError(code, httpStatus, message, false, false, true);
  }

  public String code() {
    return code;
  }

  /** The HTTP status of the attempt, 0 if there was no HTTP response. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The service's message verbatim (with the API key masked if echoed), or ours. */
  public String message() {
    return message;
  }

  /** Whether the retry policy treats this error as transient. */
  public boolean retryable() {
    return retryable;
  }

  /**
   * True for errors that make every further request pointless: auth failures (HTTP 401), 1113 (no
   * balance), and {@link #BATCH_STOPPED} outcomes that followed them.
   */
  public boolean stopsBatch() {
    return stopsBatch;
  }

  /**
   * True when the request was sent and the service may have billed it, but no usable reply came back:
   * a timeout or a dropped connection after sending, a 2xx reply cut off, dripping, too large or
   * unreadable, or a 2xx reply whose audio or usage is unusable.
   */
  public boolean uncertain() {
    return uncertain;
  }

  ApiError withMessage(String newMessage) {
    return new ApiError(code, httpStatus, newMessage, retryable, stopsBatch, uncertain);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiError e
        && e.code.equals(code)
        && e.httpStatus == httpStatus
        && e.message.equals(message)
        && e.retryable == retryable
        && e.stopsBatch == stopsBatch
        && e.uncertain == uncertain;
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, httpStatus, message, retryable, stopsBatch, uncertain);
  }

  @Override
  public String toString() {
    return "ApiError[code=" + code + ", http=" + httpStatus + ", retryable=" + retryable
        + ", stopsBatch=" + stopsBatch + (uncertain ? ", uncertain" : "") + ", message=" + message + "]";
  }
}
