package io.glmvoicebatch.simulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** Immutable snapshot of what the simulated service saw and billed. Also served as JSON. */
public final class SimulatorStats {
  private final long requests;
  private final long okReplies;
  private final long promptTokensBilled;
  private final long completionTokensBilled;
  private final int maxInFlight;
  private final long tooManyRequestsSent;
  private final long concurrencyRejections;
  private final long droppedConnections;
  private final Map<String, Long> errorsByCode;
  private final Map<String, Long> billedTokensByRequestId;
  private final List<String> requestIdsSeen;
  private final double slotSecondsHeld;
  private final double occupancyWindowSeconds;
  private final double meanServedSeconds;

  SimulatorStats(
      long requests,
      long okReplies,
      long promptTokensBilled,
      long completionTokensBilled,
      int maxInFlight,
      long tooManyRequestsSent,
      long concurrencyRejections,
      long droppedConnections,
      Map<String, Long> errorsByCode,
      Map<String, Long> billedTokensByRequestId,
      List<String> requestIdsSeen,
      double slotSecondsHeld,
      double occupancyWindowSeconds,
      double meanServedSeconds) {
    this.requests = requests;
    this.okReplies = okReplies;
    this.promptTokensBilled = promptTokensBilled;
    this.completionTokensBilled = completionTokensBilled;
    this.maxInFlight = maxInFlight;
    this.tooManyRequestsSent = tooManyRequestsSent;
    this.concurrencyRejections = concurrencyRejections;
    this.droppedConnections = droppedConnections;
    this.errorsByCode = Map.copyOf(errorsByCode);
    this.billedTokensByRequestId = Map.copyOf(billedTokensByRequestId);
    this.requestIdsSeen = List.copyOf(requestIdsSeen);
    this.slotSecondsHeld = slotSecondsHeld;
    this.occupancyWindowSeconds = occupancyWindowSeconds;
    this.meanServedSeconds = meanServedSeconds;
  }

  /**
   * Slot time the account's admitted requests held, summed: from arrival (request headers in) until just
   * before the reply's last bytes, as the service counts a request against the cap.
   */
  @JsonProperty
  public double slotSecondsHeld() {
    return slotSecondsHeld;
  }

  /** From the first admission to the last release. */
  @JsonProperty
  public double occupancyWindowSeconds() {
    return occupancyWindowSeconds;
  }

  /**
   * Mean server latency of the 200 replies: from the request's arrival (headers in) to the reply's last
   * byte written, as a server's access log times a request. 0 before any.
   */
  @JsonProperty
  public double meanServedSeconds() {
    return meanServedSeconds;
  }

  /** Server-side slot use: the share of {@code cap} slots held over the occupancy window. */
  public double slotUse(int cap) {
    return occupancyWindowSeconds <= 0 ? 0 : slotSecondsHeld / (occupancyWindowSeconds * cap);
  }

  /** Every request received on the API paths, whatever its outcome. */
  @JsonProperty
  public long requests() {
    return requests;
  }

  /** Complete HTTP 200 replies (including the deliberately malformed ones and streams). */
  @JsonProperty
  public long okReplies() {
    return okReplies;
  }

  @JsonProperty
  public long promptTokensBilled() {
    return promptTokensBilled;
  }

  @JsonProperty
  public long completionTokensBilled() {
    return completionTokensBilled;
  }

  @JsonProperty
  public long totalTokensBilled() {
    return promptTokensBilled + completionTokensBilled;
  }

  /** Most requests from our clients admitted at once (slots of other clients excluded). */
  @JsonProperty
  public int maxInFlight() {
    return maxInFlight;
  }

  /** 429 replies with code 1302, whether caused by real over-concurrency or an injected burst. */
  @JsonProperty
  public long tooManyRequestsSent() {
    return tooManyRequestsSent;
  }

  /** 1302 replies caused by the in-flight count exceeding the cap (not injected). */
  @JsonProperty
  public long concurrencyRejections() {
    return concurrencyRejections;
  }

  /** Connections closed mid-body on purpose (DROP_CONNECTION_MID_BODY); those were billed. */
  @JsonProperty
  public long droppedConnections() {
    return droppedConnections;
  }

  /** Error replies by error code ("1302", "500", "502" for the HTML page, ...). */
  @JsonProperty
  public Map<String, Long> errorsByCode() {
    return errorsByCode;
  }

  /** request_id (the caller's, else the generated id) to total tokens billed under it. */
  @JsonProperty
  public Map<String, Long> billedTokensByRequestId() {
    return billedTokensByRequestId;
  }

  /** request_ids in arrival order (the caller's, else the generated id), one per request with a body. */
  @JsonProperty
  public List<String> requestIdsSeen() {
    return requestIdsSeen;
  }

  @Override
  public String toString() {
    return "SimulatorStats{requests="
        + requests
        + ", okReplies="
        + okReplies
        + ", totalTokensBilled="
        + totalTokensBilled()
        + ", maxInFlight="
        + maxInFlight
        + ", tooManyRequestsSent="
        + tooManyRequestsSent
        + ", concurrencyRejections="
        + concurrencyRejections
        + ", droppedConnections="
        + droppedConnections
        + ", errorsByCode="
        + errorsByCode
        + "}";
  }
}
