package io.glmvoicebatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.audio.InputFileCheck;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.ResumeIndex;
import io.glmvoicebatch.manifest.Manifest;
import io.glmvoicebatch.manifest.ManifestReader;
import io.glmvoicebatch.simulator.FaultPlan;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline method itself, on the Direct runner, with PAssert over what it concluded. */
class VoiceBatchPipelineTest {
  @TempDir Path out;

  @Test
  void everySampleItemIsConcludedOkOnceAndResumeSendsNothingTwice() throws Exception {
    Manifest manifest = ManifestReader.read(Path.of("sample-data/manifest.jsonl"));
    try (GlmVoiceSimulator sim = StageFixture.simulator(Duration.ofMillis(20), FaultPlan.none())) {
      ClientSettings client = StageFixture.client(sim, 5);
      StageFixture stage = StageFixture.ledgerAt(out);

      runOnce(manifest, stage.runtime(client, null).withResume(ResumeIndex.empty()), manifest.items().size());
      long billed = sim.stats().totalTokensBilled();

      // Second run over the same folder: everything is already done, nothing is sent or billed again.
      ResumeIndex resume = ResumeIndex.of(LedgerView.read(out.resolve("ledger.jsonl")));
      runOnce(manifest, stage.runtime(client, null).withResume(resume), 0);
      assertEquals(billed, sim.stats().totalTokensBilled());
      assertEquals(manifest.items().size(), sim.stats().requests());
    }
  }

  /** The other branch of the pipeline: estimates instead of calls, for every item, and nothing on the wire. */
  @Test
  void aDryRunEstimatesEveryItemAndSendsNothing() throws Exception {
    Manifest manifest = ManifestReader.read(Path.of("sample-data/manifest.jsonl"));
    try (GlmVoiceSimulator sim = StageFixture.simulator(Duration.ZERO, FaultPlan.none())) {
      StageFixture estimates = StageFixture.estimatesAt(out);
      BatchPlan plan = new BatchPlan(ManifestInput.of(manifest), NormalizerSettings.defaults(), StageFixture.MODEL,
          estimates.runtime(StageFixture.client(sim, 5), null).withResume(ResumeIndex.empty()), ResumePolicy.defaults(),
          new BatchPlan.DryRun(200), BatchPlan.DEFAULT_ITEMS_PER_BUNDLE, SegmentPolicy.defaults(),
          InputFileCheck.defaults(), ReplySize.defaults());
      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      PAssert.that(VoiceBatchPipeline.build(p, plan)).empty();
      p.run().waitUntilFinish();

      assertEquals(0, sim.stats().requests());
      List<LedgerRecord> lines = estimates.lines();
      assertEquals(manifest.items().stream().map(i -> i.id()).sorted().toList(),
          lines.stream().map(LedgerRecord::id).sorted().toList());
      for (LedgerRecord r : lines) {
        assertEquals(LedgerStatus.ESTIMATE, r.status(), r.toString());
      }
    }
  }

  private static void runOnce(Manifest manifest, BatchRuntime.Spec runtime, int expectedOk) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    BatchPlan plan = new BatchPlan(manifest, NormalizerSettings.defaults(), StageFixture.MODEL, runtime,
        ResumePolicy.defaults());
    LedgerLocation ledger = runtime.ledger();
    PCollection<LedgerRecord> stitched = VoiceBatchPipeline.build(p, plan);
    PAssert.that(stitched).empty(); // no sample clip is long enough to be split
    int linesBefore = ledgerLines(ledger).size();
    p.run().waitUntilFinish();
    List<LedgerRecord> appended = ledgerLines(ledger).subList(linesBefore, ledgerLines(ledger).size());
    int ok = 0;
    for (LedgerRecord r : appended) {
      if (r.status() == LedgerStatus.SENDING) {
        continue;
      }
      if (!r.isOk()) {
        throw new AssertionError("not ok: " + r);
      }
      ok++;
    }
    assertEquals(expectedOk, ok);
  }

  private static List<LedgerRecord> ledgerLines(LedgerLocation ledger) {
    try {
      return ledger.read().lines();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
