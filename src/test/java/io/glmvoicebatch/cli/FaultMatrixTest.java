package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.simulator.FaultKind;
import io.glmvoicebatch.simulator.FaultPlan;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import io.glmvoicebatch.simulator.SimulatorStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every injected fault kind, through the CLI and the real pipeline against the simulator on loopback:
 * the final state, error code and attempts of the item that met the fault, the cap never exceeded, and
 * the ledger's tokens against what the service billed.
 *
 * <p>The billing rule: a ledger line's tokens are the {@code usage} the service reported to us, summed
 * over the item's attempts whose replies we could read (CallOutcome.usage()). So ledger tokens equal the
 * simulator's billed tokens for every item except where the service billed a reply we never got usage
 * from: a connection dropped mid-body (billed: the work was done), and a 200 reply without {@code usage}.
 * Those tokens are billed under request ids the ledger line lists in {@code request_ids}, so they are
 * traceable, but not counted in its {@code total_tokens}; this test pins exactly which items those are.
 */
class FaultMatrixTest {
  static final String KEY = "faultmx01.ZmF1bHRtYXRyaXhzZWNyZXQ";
  static final String MARKER = "[[fault-here]]";
  static final String MARKED = "item-3";
  static final int CAP = 3;
  static final int ITEMS = 8;

  @TempDir Path dir;

  /** What the item whose prompt carries the marker must end as. */
  record Expect(LedgerStatus status, String code, int httpStatus, int attempts, ExitCode exit, boolean billedNotRecorded) {
    static Expect ok(int attempts) {
      return new Expect(LedgerStatus.OK, null, 0, attempts, ExitCode.ALL_DONE, false);
    }

    static Expect failed(String code, int httpStatus, int attempts) {
      return new Expect(LedgerStatus.FAILED, code, httpStatus, attempts, ExitCode.SOME_FAILED, false);
    }

    /** Sent, maybe billed, no usable reply: one attempt, never retried within the run. */
    static Expect uncertain(String code, int httpStatus) {
      return new Expect(LedgerStatus.UNCERTAIN, code, httpStatus, 1, ExitCode.SOME_FAILED, false);
    }

    Expect billedButNotInLedger() {
      return new Expect(status, code, httpStatus, attempts, exit, true);
    }
  }

  static Stream<Arguments> markedItemFaults() {
    return Stream.of(
        // Transient faults on the first attempts: retried, then ok.
        Arguments.of("500 twice then ok", plan(b -> b.onMarker(FaultKind.SERVER_500, MARKER, 2)), List.of(),
            Expect.ok(3)),
        Arguments.of("500 on every attempt", plan(b -> b.onMarker(FaultKind.SERVER_500, MARKER)),
            List.of("--maxAttempts=3"), Expect.failed("500", 500, 3)),
        Arguments.of("1305 once then ok", plan(b -> b.onMarker(FaultKind.OVERLOADED_1305, MARKER, 1)), List.of(),
            Expect.ok(2)),
        Arguments.of("1305 on every attempt", plan(b -> b.onMarker(FaultKind.OVERLOADED_1305, MARKER)),
            List.of("--maxAttempts=2"), Expect.failed("1305", 429, 2)),
        // A 200 cut off was billed: uncertain, not retried (a retry would pay again).
        Arguments.of("connection dropped mid-body once", plan(b -> b.onMarker(FaultKind.DROP_CONNECTION_MID_BODY, MARKER, 1)),
            List.of(), Expect.uncertain("connection_reset", 200).billedButNotInLedger()),
        Arguments.of("HTML 502 once then ok", plan(b -> b.onMarker(FaultKind.HTML_502, MARKER, 1)), List.of(),
            Expect.ok(2)),
        Arguments.of("HTML 502 every attempt", plan(b -> b.onMarker(FaultKind.HTML_502, MARKER)),
            List.of("--maxAttempts=2"), Expect.failed("http_502", 502, 2)),
        Arguments.of("slow trickle", plan(b -> b.onMarker(FaultKind.SLOW_TRICKLE, MARKER).trickleDuration(Duration.ofMillis(900))),
            List.of(), Expect.ok(1)),
        Arguments.of("slow trickle past the call timeout",
            plan(b -> b.onMarker(FaultKind.SLOW_TRICKLE, MARKER).trickleDuration(Duration.ofSeconds(4))),
            List.of("--readTimeoutSeconds=1", "--connectTimeoutSeconds=1"),
            Expect.uncertain("timeout", 200).billedButNotInLedger()),
        // Never retried: the same request fails the same way.
        Arguments.of("1301 on the marker prompt", plan(b -> b.onMarker(FaultKind.SENSITIVE_1301_ON_MARKER, MARKER)),
            List.of(), Expect.failed("1301", 400, 1)),
        Arguments.of("1301 on the default sensitive marker", FaultPlan.none(), List.of("sensitive"),
            Expect.failed("1301", 400, 1)),
        // 200 replies that cannot be used: billed, uncertain, not retried (it would pay again for the same answer).
        Arguments.of("200 without usage", plan(b -> b.onMarker(FaultKind.MISSING_USAGE, MARKER)), List.of(),
            Expect.uncertain("bad_reply", 200).billedButNotInLedger()),
        Arguments.of("200 without audio", plan(b -> b.onMarker(FaultKind.NO_AUDIO, MARKER)), List.of(),
            Expect.uncertain("bad_reply", 200)),
        Arguments.of("200 with bad base64 audio", plan(b -> b.onMarker(FaultKind.BAD_BASE64, MARKER)), List.of(),
            Expect.uncertain("bad_reply", 200)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("markedItemFaults")
  void markedItemEndsAsExpectedAndTheRestOk(String name, FaultPlan faults, List<String> extra, Expect expect)
      throws Exception {
    boolean sensitive = extra.contains("sensitive");
    List<String> args = new ArrayList<>(extra);
    args.remove("sensitive");
    String marker = sensitive ? FaultPlan.DEFAULT_SENSITIVE_MARKER : MARKER;
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config(faults))) {
      Path out = dir.resolve("out");
      CliRun run = run(sim, manifest(ITEMS, marker), out, args);
      assertEquals(expect.exit(), run.code, run.all());
      SimulatorStats stats = sim.stats();
      LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));
      assertEquals(ITEMS, ledger.latest().size(), ledger.latest().keySet().toString());

      LedgerRecord marked = ledger.latest().get(MARKED);
      assertEquals(expect.status(), marked.status(), marked.toString());
      assertEquals(expect.attempts(), marked.call().attempts(), marked.toString());
      assertEquals(expect.attempts(), marked.call().requestIds().size(), marked.toString());
      if (expect.status().equals(LedgerStatus.UNCERTAIN)) {
        assertEquals("may have been billed: request " + marked.call().requestId() + " got no usable reply", marked.reason());
      }
      // One intent line before every attempt, naming that attempt's request_id, in order.
      List<String> intents = ledger.lines().stream()
          .filter(r -> r.id().equals(MARKED) && r.status() == LedgerStatus.SENDING)
          .map(r -> r.call().requestId()).toList();
      assertEquals(marked.call().requestIds(), intents, "intent lines of " + MARKED);
      if (expect.code() == null) {
        assertNull(marked.error(), marked.toString());
      } else {
        assertNotNull(marked.error(), marked.toString());
        assertEquals(expect.code(), marked.error().code(), marked.toString());
        assertEquals(expect.httpStatus(), marked.error().httpStatus(), marked.toString());
      }
      for (LedgerRecord r : ledger.latest().values()) {
        if (!r.id().equals(MARKED)) {
          assertEquals(LedgerStatus.OK, r.status(), r.toString());
          assertEquals(1, r.call().attempts(), r.toString());
        }
      }
      assertEquals(stats.requests(), attemptsSum(ledger), "every attempt the ledger counts reached the service once");
      assertCapHeld(stats);
      assertBilling(stats, ledger, expect.billedNotRecorded() ? Set.of(MARKED) : Set.of());
    }
  }

  @Test
  void concurrencyBurstIsRetriedAndEveryItemEndsOk() throws Exception {
    FaultPlan faults = plan(b -> b.onMarker(FaultKind.CONCURRENCY_1302_BURST, MARKER, 1).burstLength(3));
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config(faults))) {
      Path out = dir.resolve("out");
      CliRun run = run(sim, manifest(ITEMS, MARKER), out, List.of());
      assertEquals(ExitCode.ALL_DONE, run.code, run.all());
      SimulatorStats stats = sim.stats();
      LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));
      for (LedgerRecord r : ledger.latest().values()) {
        assertEquals(LedgerStatus.OK, r.status(), r.toString());
      }
      assertTrue(ledger.latest().get(MARKED).call().attempts() >= 2);
      assertEquals(3, stats.tooManyRequestsSent(), stats.toString()); // the injected burst, nothing of ours
      assertEquals(ITEMS + 3, attemptsSum(ledger));
      assertEquals(stats.requests(), attemptsSum(ledger));
      assertCapHeld(stats);
      assertBilling(stats, ledger, Set.of());
    }
  }

  @Test
  void unauthorizedStopsTheBatchAndTheRestFailBatchStopped() throws Exception {
    FaultPlan faults = plan(b -> b.onRequestNumbers(FaultKind.UNAUTHORIZED_401, 2));
    stopsBatch(faults, "1000", 401, 1);
  }

  @Test
  void arrearsAfterTokensStopsTheBatchAndTheRestFailBatchStopped() throws Exception {
    FaultPlan faults = plan(b -> b.arrearsAfterTokens(1));
    stopsBatch(faults, "1113", 429, 1);
  }

  private void stopsBatch(FaultPlan faults, String code, int httpStatus, int minStopping) throws Exception {
    int items = 40;
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config(faults))) {
      Path out = dir.resolve("out");
      CliRun run = run(sim, manifest(items, "no marker here"), out, List.of());
      assertEquals(ExitCode.STOPPED_EARLY, run.code, run.all());
      assertTrue(run.stdout.contains("STOPPED EARLY"), run.all());
      SimulatorStats stats = sim.stats();
      LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));
      assertEquals(items, ledger.latest().size());
      int ok = 0;
      int stopping = 0;
      int stopped = 0;
      for (LedgerRecord r : ledger.latest().values()) {
        if (r.isOk()) {
          ok++;
          assertEquals(1, r.call().attempts(), r.toString());
        } else {
          assertEquals(LedgerStatus.FAILED, r.status(), r.toString());
          if (r.error().code().equals(code)) {
            stopping++;
            assertEquals(httpStatus, r.error().httpStatus(), r.toString());
            assertEquals(1, r.call().attempts(), "a batch-stopping answer is never retried: " + r);
          } else {
            assertEquals("batch_stopped", r.error().code(), r.toString());
            assertEquals(0, r.call().attempts(), "never sent after the stop: " + r);
            stopped++;
          }
        }
      }
      assertTrue(stopping >= minStopping, "items answered " + code + ": " + stopping);
      // Only what was already in flight (or granted) when the stop came can have gone out.
      assertTrue(ok <= 2 * CAP, "ok " + ok);
      assertTrue(stopped >= items - 2 * CAP - 1, "batch_stopped: " + stopped);
      assertEquals(stats.requests(), attemptsSum(ledger), "nothing was sent after the stop");
      assertTrue(run.stdout.contains(stopped + stopping + " failed"), run.stdout);
      assertCapHeld(stats);
      assertBilling(stats, ledger, Set.of());
    }
  }

  @Test
  void anUnreachableServiceStopsTheBatchWithExitCodeThree() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Path out = dir.resolve("out");
    CliRun run = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=" + manifest(40, "no marker here"),
        "--outputDir=" + out, "--endpoint=http://127.0.0.1:" + closedPort + "/api/paas/v4", "--maxInFlight=" + CAP,
        "--report=false", "--maxConsecutiveConnectionFailures=5");
    assertEquals(ExitCode.STOPPED_EARLY, run.code, run.all());
    assertTrue(run.stdout.contains("STOPPED EARLY"), run.all());
    assertTrue(run.all().contains("gave no answer to 5 attempts in a row across items"), run.all());
    LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));
    assertEquals(40, ledger.latest().size());
    long stopped = ledger.latest().values().stream().filter(r -> "batch_stopped".equals(r.error().code())).count();
    assertTrue(stopped >= 40 - 2 * CAP, "items never sent: " + stopped);
    assertTrue(attemptsSum(ledger) <= 5 + CAP, "attempts after the stop: " + attemptsSum(ledger));
    assertTrue(ledger.latest().values().stream().allMatch(r -> r.status() == LedgerStatus.FAILED), "never sent, never billed");
  }

  /**
   * Every fault that can leave a billed request without a usable reply, at random, over two runs of the
   * same batch (the second re-sends what the first left uncertain): within a run no item is billed twice,
   * and every item billed more than once in all has an {@code uncertain} line saying so. Each run has its
   * own service: requests a finished run gave up on may still run at the service for a while, and a new
   * process cannot know of them (docs/hostile-service.md).
   */
  @Test
  void everyItemBilledMoreThanOnceHasAnUncertainLine() throws Exception {
    int items = 40;
    Path out = dir.resolve("out");
    Path manifest = manifest(items, "no marker here");
    List<String> args = List.of("--readTimeoutSeconds=1", "--connectTimeoutSeconds=1", "--serviceMaxRequestSeconds=5");
    Map<String, String> itemOfRequest = new HashMap<>();
    Map<String, Integer> bills = new HashMap<>();
    for (int run = 0; run < 2; run++) {
      try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(hostileConfig(23 + run))) {
        CliRun cli = run(sim, manifest, out, args);
        assertTrue(cli.code == ExitCode.SOME_FAILED || run == 1 && cli.code == ExitCode.ALL_DONE, cli.all());
        for (LedgerRecord r : LedgerView.read(out.resolve("ledger.jsonl")).lines()) {
          if (r.call().requestId() != null) {
            itemOfRequest.put(r.call().requestId(), r.id());
          }
        }
        Map<String, Integer> billsThisRun = new HashMap<>();
        for (String requestId : sim.stats().billedTokensByRequestId().keySet()) {
          String item = itemOfRequest.get(requestId);
          assertNotNull(item, "billed request " + requestId + " is on no ledger line");
          billsThisRun.merge(item, 1, Integer::sum);
          bills.merge(item, 1, Integer::sum);
        }
        billsThisRun.forEach((item, n) -> assertEquals(1, n, item + " was billed " + n + " times in one run"));
        assertCapHeld(sim.stats());
      }
    }
    Set<String> uncertainLines = new HashSet<>();
    for (LedgerRecord r : LedgerView.read(out.resolve("ledger.jsonl")).lines()) {
      if (r.status() == LedgerStatus.UNCERTAIN) {
        uncertainLines.add(r.id());
      }
    }
    List<String> billedTwice = bills.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
        .sorted().toList();
    assertFalse(billedTwice.isEmpty(), "the faults should have made the second run pay again for someone");
    for (String item : billedTwice) {
      assertTrue(uncertainLines.contains(item), item + " was billed " + bills.get(item) + " times and the ledger "
          + "has no uncertain line for it");
    }
    System.out.printf("fault matrix: %d items billed twice, all with an uncertain line: %s%n", billedTwice.size(),
        billedTwice);
  }

  /** Drops, drips past the call timeout, unusable 200s, errors, and latencies past the 1 s read timeout. */
  private static SimulatorConfig hostileConfig(long seed) {
    FaultPlan faults = FaultPlan.builder()
        .rate(FaultKind.DROP_CONNECTION_MID_BODY, 0.08)
        .rate(FaultKind.SLOW_TRICKLE, 0.06).trickleDuration(Duration.ofSeconds(4))
        .rate(FaultKind.MISSING_USAGE, 0.05)
        .rate(FaultKind.NO_AUDIO, 0.05)
        .rate(FaultKind.BAD_BASE64, 0.05)
        .rate(FaultKind.SERVER_500, 0.05)
        .rate(FaultKind.HTML_502, 0.04)
        .build();
    // Latency N(350 ms, 350 ms): some replies come after the read timeout (the service bills them anyway).
    return SimulatorConfig.builder().apiKey(KEY).maxInFlight(CAP).seed(seed)
        .latency(LatencyModel.normal(Duration.ofMillis(350), Duration.ofMillis(350))).faults(faults).build();
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertCapHeld(SimulatorStats stats) {
    assertTrue(stats.maxInFlight() <= CAP, "more than the cap in flight: " + stats);
    assertEquals(0, stats.concurrencyRejections(), "the service refused us for exceeding the cap: " + stats);
  }

  /**
   * Every billed request id belongs to a ledger item; per item, billed == the ledger's tokens, except the
   * named items, billed more than their ledger line records by exactly their attempts whose usage we
   * never read.
   */
  private static void assertBilling(SimulatorStats stats, LedgerView ledger, Set<String> billedNotRecorded) {
    Map<String, String> itemOfRequest = new HashMap<>();
    for (LedgerRecord r : ledger.latest().values()) {
      for (String id : r.call().requestIds() == null ? List.<String>of() : r.call().requestIds()) {
        itemOfRequest.put(id, r.id());
      }
    }
    Map<String, Long> billedPerItem = new HashMap<>();
    for (Map.Entry<String, Long> e : stats.billedTokensByRequestId().entrySet()) {
      String item = itemOfRequest.get(e.getKey());
      assertNotNull(item, "billed request " + e.getKey() + " is in no ledger line's request_ids");
      billedPerItem.merge(item, e.getValue(), Long::sum);
    }
    long ledgerTotal = 0;
    long unrecorded = 0;
    Set<String> seenUnrecorded = new HashSet<>();
    for (LedgerRecord r : ledger.latest().values()) {
      long recorded = r.usage().totalTokens() == null ? 0 : r.usage().totalTokens();
      long billed = billedPerItem.getOrDefault(r.id(), 0L);
      ledgerTotal += recorded;
      if (billedNotRecorded.contains(r.id())) {
        assertTrue(billed > recorded, r.id() + ": billed " + billed + ", ledger " + recorded);
        unrecorded += billed - recorded;
        seenUnrecorded.add(r.id());
        if (r.isOk()) {
          // What the ledger records is exactly the attempt whose reply we read: the last one.
          assertEquals(stats.billedTokensByRequestId().get(r.call().requestId()), r.usage().totalTokens(), r.toString());
        }
      } else {
        assertEquals(billed, recorded, r.id() + ": service billed " + billed + ", ledger records " + recorded);
      }
    }
    assertEquals(billedNotRecorded, seenUnrecorded);
    assertEquals(stats.totalTokensBilled(), ledgerTotal + unrecorded);
  }

  private static long attemptsSum(LedgerView ledger) {
    return ledger.latest().values().stream().mapToLong(r -> r.call().attempts() == null ? 0 : r.call().attempts()).sum();
  }

  private static FaultPlan plan(UnaryOperator<FaultPlan.Builder> spec) {
    return spec.apply(FaultPlan.builder()).build();
  }

  private static SimulatorConfig config(FaultPlan faults) {
    return SimulatorConfig.builder().apiKey(KEY).maxInFlight(CAP).seed(11)
        .latency(LatencyModel.fixed(Duration.ofMillis(40))).faults(faults).build();
  }

  private static CliRun run(GlmVoiceSimulator sim, Path manifest, Path out, List<String> extra) {
    List<String> args = new ArrayList<>(List.of("--manifest=" + manifest, "--outputDir=" + out,
        "--endpoint=" + sim.baseUrl(), "--maxInFlight=" + CAP, "--report=false"));
    args.addAll(extra);
    return CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), args.toArray(String[]::new));
  }

  private Path manifest(int items, String marker) throws Exception {
    String clip = Path.of("sample-data/clips/en-sky-blue.wav").toAbsolutePath().toString();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      String id = "item-" + i;
      String prompt = "Answer item " + i + " briefly." + (id.equals(MARKED) ? " " + marker : "");
      lines.add("{\"id\":\"" + id + "\",\"audio\":\"" + clip + "\",\"prompt\":\"" + prompt + "\"}");
    }
    Path manifest = dir.resolve("manifest.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    return manifest;
  }
}
