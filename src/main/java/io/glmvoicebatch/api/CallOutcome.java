package io.glmvoicebatch.api;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/** The result of one item after all its attempts: a reply or an error, never both. */
public final class CallOutcome implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ChatReply reply;
  private final ApiError error;
  private final Usage usage;
  private final int attempts;
  private final List<String> requestIds;
  private final Instant startedAt;
  private final Instant finishedAt;
  private final long latencyMillis;

  private CallOutcome(ChatReply reply, ApiError error, Usage usage, List<String> requestIds,
      Instant startedAt, Instant finishedAt, long latencyMillis) {
    this.reply = reply;
    this.error = error;
    this.usage = usage;
    this.attempts = requestIds.size();
    this.requestIds = List.copyOf(requestIds);
    this.startedAt = startedAt;
    this.finishedAt = finishedAt;
    this.latencyMillis = latencyMillis;
  }

  static CallOutcome success(ChatReply reply, Usage billedUsage, List<String> requestIds, Instant startedAt,
      Instant finishedAt, long latencyMillis) {
    return new CallOutcome(reply, null, billedUsage, requestIds, startedAt, finishedAt, latencyMillis);
  }

  static CallOutcome failure(ApiError error, Usage billedUsage, List<String> requestIds, Instant startedAt,
      Instant finishedAt, long latencyMillis) {
    return new CallOutcome(null, error, billedUsage, requestIds, startedAt, finishedAt, latencyMillis);
  }

  public boolean ok() {
    return reply != null;
  }

  public ChatReply reply() {
    return reply;
  }

  public ApiError error() {
    return error;
  }

  /**
   * True when the last attempt reached the service, which may have billed it, and no usable reply came
   * back ({@link ApiError#uncertain()}): record it {@code uncertain}, not {@code failed}. The client never
   * retries such an attempt itself; sending the item again is the next run's choice.
   */
  public boolean uncertain() {
    return error != null && error.uncertain();
  }

  /** The request_id of the attempt that may have been billed (the last one) when {@link #uncertain()}, else null. */
  public String uncertainRequestId() {
    return uncertain() && !requestIds.isEmpty() ? requestIds.get(requestIds.size() - 1) : null;
  }

  /**
   * Usage billed for this item, summed over attempts whose replies reported usage (a 200 reply with no
   * audio still costs tokens); null if no attempt reported any.
   */
  public Usage usage() {
    return usage;
  }

  /** HTTP attempts actually sent (0 if the batch was stopped before this item went out). */
  public int attempts() {
    return attempts;
  }

  /** The request_id sent on each attempt, in order. */
  public List<String> requestIds() {
    return requestIds;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  /** Wall time of the last attempt's HTTP exchange (0 if none was sent). */
  public long latencyMillis() {
    return latencyMillis;
  }

  @Override
  public String toString() {
    return "CallOutcome[" + (ok() ? "ok " + reply : (uncertain() ? "uncertain " : "failed ") + error) + ", attempts=" + attempts
        + ", requestIds=" + requestIds + ", usage=" + usage + ", latencyMs=" + latencyMillis + "]";
  }
}
