package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.ledger.LedgerError;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.ManifestProblem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/** The batch as one Beam pipeline: manifest, audio, call, ledger. */
public final class VoiceBatchPipeline {
  private VoiceBatchPipeline() {}

  /**
   * Adds the batch to {@code pipeline}. Returns every item concluded by this run (ok, failed or skipped),
   * each already durable in the ledger when it appears here.
   */
  public static PCollection<LedgerRecord> build(Pipeline pipeline, BatchPlan plan) {
    PCollection<LedgerRecord> badLines = pipeline
        .apply("ManifestProblems", Create.of(problemRecords(plan)).withCoder(SerializableCoder.of(LedgerRecord.class)))
        .apply("RecordInLedger", ParDo.of(new RecordInLedgerFn(plan.ledger())));

    PCollection<ManifestItem> items = pipeline
        .apply("ReadManifest", new ReadManifest(plan.manifest().items(), plan.itemsPerBundle()));

    PCollectionTuple prepared = items
        .apply("PrepareAudio", new PrepareAudio(plan.audio(), plan.resume(), plan.ledger(), plan.model(), plan.resumePolicy(),
            plan.segmentPolicy()));

    PCollection<PreparedItem> ready = prepared.get(PrepareAudio.READY)
        .setCoder(SerializableCoder.of(PreparedItem.class));
    PCollection<LedgerRecord> called = (plan.dryRun() != null
            ? ready.apply("EstimateCost", new EstimateCost(plan.dryRun().estimates(), plan.dryRun().expectedCompletionTokens()))
            : ready.apply("CallGlmVoice", new CallGlmVoice(plan.client(), plan.model(), plan.ledger(), plan.maxCost())))
        .setCoder(SerializableCoder.of(LedgerRecord.class));

    PCollection<LedgerRecord> concluded = PCollectionList.of(badLines)
        .and(prepared.get(PrepareAudio.CONCLUDED).setCoder(SerializableCoder.of(LedgerRecord.class)))
        .and(called)
        .apply("AllConcluded", Flatten.pCollections());

    if (plan.dryRun() != null) {
      return concluded;
    }
    PCollection<LedgerRecord> stitched = concluded.apply("StitchSegments", new StitchSegments(plan.ledger()));
    return PCollectionList.of(concluded).and(stitched).apply("WithStitched", Flatten.pCollections());
  }

  private static List<LedgerRecord> problemRecords(BatchPlan plan) {
    List<LedgerRecord> out = new ArrayList<>();
    String now = Instant.now().toString();
    for (ManifestProblem problem : plan.manifest().problems()) {
      out.add(plan.ledger().newRecord(problem.id())
          .status(LedgerRecord.FAILED)
          .manifestLine(problem.line())
          .error(LedgerError.of("manifest", problem.message() + " (" + plan.manifest().source() + ")"))
          .startedAt(now)
          .finishedAt(now)
          .build());
    }
    return out;
  }

  /** Writes records that were concluded before the pipeline ran (bad manifest lines). */
  static final class RecordInLedgerFn extends DoFn<LedgerRecord, LedgerRecord> {
    private final ItemLedger ledger;

    RecordInLedgerFn(ItemLedger ledger) {
      this.ledger = ledger;
    }

    @ProcessElement
    public void process(@Element LedgerRecord record, OutputReceiver<LedgerRecord> out) {
      out.output(ledger.append(record));
    }

    @Teardown
    public void teardown() {
      ledger.release();
    }
  }
}
