package io.glmvoicebatch.ledger;

import java.io.Serializable;
import java.util.List;

/**
 * The request as it went: its id (the last attempt's) and every attempt's, the service's response id, how
 * many attempts, when the item started and concluded, the last attempt's latency, and whether the embedded
 * simulator answered.
 */
public record CallFacts(String requestId, List<String> requestIds, String responseId, Integer attempts,
    String startedAt, String finishedAt, Long latencyMs, Boolean simulated) implements Serializable {

  public static final CallFacts NONE = new CallFacts(null, null, null, null, null, null, null, null);

  public CallFacts withRequestId(String requestId) {
    return new CallFacts(requestId, requestIds, responseId, attempts, startedAt, finishedAt, latencyMs, simulated);
  }

  public CallFacts withRequestIds(List<String> requestIds) {
    return new CallFacts(requestId, requestIds, responseId, attempts, startedAt, finishedAt, latencyMs, simulated);
  }

  public CallFacts withAttempts(Integer attempts) {
    return new CallFacts(requestId, requestIds, responseId, attempts, startedAt, finishedAt, latencyMs, simulated);
  }

  public CallFacts withResponseId(String responseId) {
    return new CallFacts(requestId, requestIds, responseId, attempts, startedAt, finishedAt, latencyMs, simulated);
  }

  public CallFacts withStartedAt(String startedAt) {
    return new CallFacts(requestId, requestIds, responseId, attempts, startedAt, finishedAt, latencyMs, simulated);
  }

  public CallFacts withFinishedAt(String finishedAt) {
    return new CallFacts(requestId, requestIds, responseId, attempts, startedAt, finishedAt, latencyMs, simulated);
  }

  public CallFacts withLatencyMs(Long latencyMs) {
    return new CallFacts(requestId, requestIds, responseId, attempts, startedAt, finishedAt, latencyMs, simulated);
  }

  public CallFacts withSimulated(Boolean simulated) {
    return new CallFacts(requestId, requestIds, responseId, attempts, startedAt, finishedAt, latencyMs, simulated);
  }
}
