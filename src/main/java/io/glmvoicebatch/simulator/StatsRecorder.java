package io.glmvoicebatch.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The live, thread-safe counters behind {@link SimulatorStats}. */
final class StatsRecorder {
  private final LongAdder requests = new LongAdder();
  private final LongAdder okReplies = new LongAdder();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong completionTokens = new AtomicLong();
  private final LongAdder tooManyRequests = new LongAdder();
  private final LongAdder concurrencyRejections = new LongAdder();
  private final LongAdder droppedConnections = new LongAdder();
  private final LongAdder servedReplies = new LongAdder();
  private final LongAdder servedNanos = new LongAdder();
  private final Map<String, LongAdder> errorsByCode = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> billedByRequestId = new ConcurrentHashMap<>();
  private final List<String> requestIdsSeen = new ArrayList<>();
  private final AdmissionGate gate;

  StatsRecorder(AdmissionGate gate) {
    this.gate = gate;
  }

  void request() {
    requests.increment();
  }

  synchronized void requestIdSeen(String requestId) {
    requestIdsSeen.add(requestId);
  }

  void okReply() {
    okReplies.increment();
  }

  /** A 200 reply fully written, {@code nanos} after its request arrived. */
  void served(long nanos) {
    servedReplies.increment();
    servedNanos.add(nanos);
  }

  void dropped() {
    droppedConnections.increment();
  }

  void bill(String requestId, long prompt, long completion) {
    promptTokens.addAndGet(prompt);
    completionTokens.addAndGet(completion);
    billedByRequestId.computeIfAbsent(requestId, k -> new AtomicLong()).addAndGet(prompt + completion);
  }

  long totalTokensBilled() {
    return promptTokens.get() + completionTokens.get();
  }

  void error(String code, boolean concurrencyCap) {
    errorsByCode.computeIfAbsent(code, k -> new LongAdder()).increment();
    if ("1302".equals(code)) {
      tooManyRequests.increment();
      if (concurrencyCap) {
        concurrencyRejections.increment();
      }
    }
  }

  synchronized SimulatorStats snapshot() {
    Map<String, Long> errors = new java.util.TreeMap<>();
    errorsByCode.forEach((k, v) -> errors.put(k, v.sum()));
    Map<String, Long> billed = new java.util.TreeMap<>();
    billedByRequestId.forEach((k, v) -> billed.put(k, v.get()));
    return new SimulatorStats(
        requests.sum(),
        okReplies.sum(),
        promptTokens.get(),
        completionTokens.get(),
        gate.maxObserved(),
        tooManyRequests.sum(),
        concurrencyRejections.sum(),
        droppedConnections.sum(),
        errors,
        billed,
        requestIdsSeen,
        gate.slotSecondsHeld(),
        gate.occupancyWindowSeconds(),
        servedReplies.sum() == 0 ? 0 : servedNanos.sum() / 1e9 / servedReplies.sum());
  }

  synchronized void reset() {
    gate.resetOccupancy();
    requests.reset();
    okReplies.reset();
    promptTokens.set(0);
    completionTokens.set(0);
    tooManyRequests.reset();
    concurrencyRejections.reset();
    droppedConnections.reset();
    servedReplies.reset();
    servedNanos.reset();
    errorsByCode.clear();
    billedByRequestId.clear();
    requestIdsSeen.clear();
    gate.resetMaxObserved();
  }
}
