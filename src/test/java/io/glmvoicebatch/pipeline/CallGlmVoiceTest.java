package io.glmvoicebatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.audio.WavFile;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.simulator.FaultKind;
import io.glmvoicebatch.simulator.FaultPlan;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.SimulatorStats;
import io.glmvoicebatch.testing.TestWavs;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fused call stage on its own: a slice of manifest items in, audio prepared just in time, requests sent through
 * the real client to the simulator over loopback, ledger lines written; only segment records come out. Its
 * contract: an ok line carries the tokens the service billed for its request and their exact cost; a fault is a
 * failed (or, when it may have been billed, uncertain) line and the batch goes on; the cap holds and is used;
 * the budget stops sending before it could be exceeded; what an earlier run finished is not sent again.
 */
class CallGlmVoiceTest {
  static final Path LONG_CLIP = StageFixture.LONG_CLIP;
  static final Path SHORT_CLIP = Path.of("sample-data/clips/en-circle-area.wav").toAbsolutePath();
  static final BigDecimal PER_TOKEN = new BigDecimal("0.00008");
  @TempDir Path out;

  @Test
  void preparesAndSendsEachItemOutputsOnlySegmentsAndMarksLastRunsInFlightItemUncertainFirst() throws Exception {
    StageFixture stage = StageFixture.ledgerAt(out);
    List<ManifestItem> items = new ArrayList<>(StageFixture.items("clip-", 30, SHORT_CLIP));
    items.add(StageFixture.item("gone", 31, out.resolve("none.wav"), null));
    items.add(StageFixture.item("long", 32, LONG_CLIP, null));
    // The previous run died with clip-0 in flight.
    stage.appendToBatchLedger(StageFixture.intentLine("clip-0", "gvb-earlier-r1"));

    try (GlmVoiceSimulator sim = StageFixture.simulator(Duration.ofMillis(30), FaultPlan.none())) {
      // Segments of at most 3 s: the long clip is split, the short ones are not.
      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      PCollection<LedgerRecord> segments = StageFixture.slice(p, items)
          .apply("CallGlmVoice", call(stage, new SegmentPolicy(true, 3.0), StageFixture.client(sim, 4), null));
      PAssert.that(segments).satisfies(records -> {
        int n = 0;
        for (LedgerRecord r : records) {
          assertEquals("long", r.id(), "only segment records come out: " + r);
          assertTrue(r.isOk() && r.segment() != null && r.segments() != null, r.toString());
          n++;
        }
        assertTrue(n >= 2, "the long clip was not split: " + n + " segments");
        return null;
      });
      p.run().waitUntilFinish();

      List<LedgerRecord> lines = stage.lines();
      long okItems = lines.stream().filter(r -> r.isOk() && r.segment() == null).count();
      assertEquals(30, okItems);
      LedgerRecord gone = lines.stream().filter(r -> r.id().equals("gone")).findFirst().orElseThrow();
      assertEquals("audio_unreadable", gone.error().code());
      assertTrue(sim.stats().maxInFlight() <= 4, sim.stats().toString());
      assertEquals(sim.stats().requests(), lines.stream().filter(r -> r.status() == LedgerStatus.SENDING).count() - 1,
          "an intent line before every attempt");

      List<LedgerStatus> clip0 = lines.stream().filter(r -> r.id().equals("clip-0")).map(LedgerRecord::status).toList();
      assertEquals(List.of(LedgerStatus.SENDING, LedgerStatus.UNCERTAIN, LedgerStatus.SENDING, LedgerStatus.OK), clip0,
          "the uncertain line comes before anything else happens to the item");
    }
  }

  @Test
  void anOkLineCarriesWhatTheServiceBilledItsExactCostAndItsReplyAndAResumedRunSendsNothing() throws Exception {
    StageFixture stage = StageFixture.ledgerAt(out);
    List<ManifestItem> items = new ArrayList<>();
    String[] clips = {"en-check-answer", "en-sky-blue", "en-weather-climate", "zh-homework", "zh-english-word"};
    for (int i = 0; i < clips.length; i++) {
      Path clip = Path.of("sample-data/clips/" + clips[i] + ".wav").toAbsolutePath();
      items.add(StageFixture.item(clips[i], i + 1, clip, i % 2 == 0 ? "请简短回答。" : "Answer briefly."));
    }
    try (GlmVoiceSimulator sim = StageFixture.simulator(Duration.ZERO, FaultPlan.none())) {
      ClientSettings client = StageFixture.client(sim, 3);
      run(stage, items, client, null);

      SimulatorStats stats = sim.stats();
      Map<String, Long> billed = stats.billedTokensByRequestId();
      long promptSum = 0;
      long totalSum = 0;
      for (ManifestItem item : items) {
        LedgerRecord r = stage.concluded(item.id());
        assertTrue(r.isOk(), r.toString());
        assertEquals(billed.get(r.call().requestId()), r.usage().totalTokens(), "tokens of " + r.id() + " = what its request was billed");
        assertEquals(r.usage().promptTokens() + r.usage().completionTokens(), r.usage().totalTokens(), r.toString());
        assertEquals(0, PER_TOKEN.multiply(BigDecimal.valueOf(r.usage().totalTokens())).compareTo(r.usage().cost()), "cost of " + r);
        assertEquals(item.line(), r.manifestLine());
        WavFile.decode(Files.readAllBytes(out.resolve(r.reply().outputAudio()))); // a real reply WAV, decoded
        assertTrue(Files.size(out.resolve(r.reply().outputText())) > 0, r.reply().outputText());
        promptSum += r.usage().promptTokens();
        totalSum += r.usage().totalTokens();
      }
      assertEquals(stats.promptTokensBilled(), promptSum);
      assertEquals(stats.totalTokensBilled(), totalSum);
      assertEquals(items.size(), stats.requests());

      // The same items again over the same folder: finished already, nothing sent, nothing written.
      int linesBefore = stage.lines().size();
      run(stage, items, client, null);
      assertEquals(items.size(), sim.stats().requests());
      assertEquals(linesBefore, stage.lines().size());
    }
  }

  @Test
  void aFaultIsAFailedOrUncertainLineAndTheOtherItemsGoOn() throws Exception {
    StageFixture stage = StageFixture.ledgerAt(out);
    FaultPlan faults = FaultPlan.builder().onMarker(FaultKind.SERVER_500, "[[500]]")
        .onMarker(FaultKind.DROP_CONNECTION_MID_BODY, "[[drop]]").sensitiveMarker("[[unsafe]]").build();
    List<ManifestItem> items = List.of(
        StageFixture.item("ok-1", 1, SHORT_CLIP, "fine"),
        StageFixture.item("five-hundred", 2, SHORT_CLIP, "[[500]]"),
        StageFixture.item("dropped", 3, SHORT_CLIP, "[[drop]]"),
        StageFixture.item("unsafe", 4, SHORT_CLIP, "[[unsafe]]"),
        StageFixture.item("ok-2", 5, SHORT_CLIP, "also fine"));
    try (GlmVoiceSimulator sim = StageFixture.simulator(Duration.ZERO, faults)) {
      run(stage, items, StageFixture.client(sim, 2), null);
      Map<String, Long> billed = sim.stats().billedTokensByRequestId();

      assertTrue(stage.concluded("ok-1").isOk() && stage.concluded("ok-2").isOk(), stage.concluded().toString());

      LedgerRecord serverError = stage.concluded("five-hundred");
      assertEquals(LedgerStatus.FAILED, serverError.status());
      assertEquals("500", serverError.error().code(), serverError.toString());
      assertEquals(2, serverError.call().attempts(), "retried up to the policy's attempts");
      assertNull(serverError.usage().totalTokens(), "not billed");

      LedgerRecord unsafe = stage.concluded("unsafe");
      assertEquals(LedgerStatus.FAILED, unsafe.status());
      assertEquals("1301", unsafe.error().code(), unsafe.toString());
      assertEquals(1, unsafe.call().attempts(), "unsafe content is never retried");

      LedgerRecord dropped = stage.concluded("dropped");
      assertEquals(LedgerStatus.UNCERTAIN, dropped.status(), dropped.toString());
      String requestId = dropped.call().requestIds().get(dropped.call().requestIds().size() - 1);
      assertEquals("may have been billed: request " + requestId + " got no usable reply", dropped.reason());
      assertNotNull(billed.get(requestId), "the service did bill the dropped request: " + billed);
      assertNull(dropped.reply().outputAudio());
    }
  }

  @Test
  void neverMoreThanTheCapInFlightAndTheCapIsUsed() throws Exception {
    StageFixture stage = StageFixture.ledgerAt(out);
    List<ManifestItem> items = StageFixture.items("c", 12, SHORT_CLIP);
    // Replies slow enough that preparation is always ahead: what limits the requests in flight is the cap.
    try (GlmVoiceSimulator sim = StageFixture.simulator(Duration.ofMillis(400), FaultPlan.none())) {
      run(stage, items, StageFixture.client(sim, 3), null);
      assertEquals(3, sim.stats().maxInFlight(), sim.stats().toString());
      assertEquals(12, stage.concluded().stream().filter(LedgerRecord::isOk).count());
    }
  }

  @Test
  void theBudgetStopsSendingBeforeTheBatchCouldExceedIt() throws Exception {
    StageFixture stage = StageFixture.ledgerAt(out);
    Path speech = TestWavs.speechLike(out.resolve("speech.wav"), 16_000, 4.0, 3);
    List<ManifestItem> items = StageFixture.items("b", 10, speech);
    // Worst case of one item: (about 50 audio + 2 text + 1024 max_tokens) tokens, about 0.086 RMB; a reply
    // costs about 0.01: with 0.1, a second item fits once the first is settled, a third never does.
    BigDecimal maxCost = new BigDecimal("0.1");
    try (GlmVoiceSimulator sim = StageFixture.simulator(Duration.ZERO, FaultPlan.none())) {
      run(stage, items, StageFixture.client(sim, 2), maxCost);

      List<LedgerRecord> concluded = stage.concluded();
      List<LedgerRecord> skipped = concluded.stream().filter(r -> "budget".equals(r.reason())).toList();
      assertTrue(!skipped.isEmpty(), "the budget never stopped anything: "
          + concluded.stream().map(r -> r.id() + " " + r.status() + " " + r.usage().costRmb()).toList());
      for (LedgerRecord r : skipped) {
        assertEquals(LedgerStatus.SKIPPED, r.status());
        long audioTokens = (Math.round(r.input().secondsSent() * 16_000) * 25 + 31_999) / 32_000;
        BigDecimal worstCase = PER_TOKEN.multiply(BigDecimal.valueOf(audioTokens + 2 + 1024)).stripTrailingZeros();
        assertTrue(r.error().message().startsWith("not sent: its worst-case cost " + worstCase.toPlainString()
            + " RMB could take the batch over --maxCostRmb=0.1"), r.error().message());
      }
      BigDecimal spent = concluded.stream().map(r -> r.usage().cost()).reduce(BigDecimal.ZERO, BigDecimal::add);
      BigDecimal billed = PER_TOKEN.multiply(BigDecimal.valueOf(sim.stats().totalTokensBilled()));
      assertEquals(0, billed.compareTo(spent), "the ledger holds what was billed");
      assertTrue(billed.compareTo(maxCost) <= 0, "billed " + billed + " over " + maxCost);
      assertEquals(10, concluded.size());
      assertEquals(10 - skipped.size(), sim.stats().requests());
    }
  }

  private static CallGlmVoice call(StageFixture stage, SegmentPolicy segments, ClientSettings client, BigDecimal maxCost) {
    return new CallGlmVoice(stage.runtime(client, maxCost), stage.preparation(segments), ReplySize.defaults(),
        StageFixture.MODEL);
  }

  /** The stage over {@code items}, nothing split; it outputs nothing when nothing is split. */
  private static void run(StageFixture stage, List<ManifestItem> items, ClientSettings client, BigDecimal maxCost) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<LedgerRecord> segments = StageFixture.slice(p, items)
        .apply("CallGlmVoice", call(stage, SegmentPolicy.defaults(), client, maxCost));
    PAssert.that(segments).empty();
    p.run().waitUntilFinish();
  }
}
