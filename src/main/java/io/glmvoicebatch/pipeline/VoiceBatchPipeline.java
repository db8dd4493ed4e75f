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
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** The batch as one Beam pipeline: manifest, audio, call, ledger. */
public final class VoiceBatchPipeline {
  private VoiceBatchPipeline() {}

  /**
   * Adds the batch to {@code pipeline}. The ledger is the batch's output; what comes back is only the item
   * lines of split recordings stitched in this run (empty for a dry run), each already durable in the ledger.
   */
  public static PCollection<LedgerRecord> build(Pipeline pipeline, BatchPlan plan) {
    pipeline
        .apply("ManifestProblems", Create.of(problemRecords(plan)).withCoder(SerializableCoder.of(LedgerRecord.class)))
        .apply("RecordInLedger", ParDo.of(new RecordInLedgerFn(plan.ledger())));

    PCollection<ManifestItem> items = pipeline
        .apply("ReadManifest", new ReadManifest(plan.manifest().items(), plan.itemsPerBundle()));

    ItemPreparation preparation = new ItemPreparation(plan.audio(), plan.resume(), plan.ledger(), plan.model(),
        plan.resumePolicy(), plan.segmentPolicy());
    if (plan.dryRun() != null) {
      return items.apply("EstimateCost", new EstimateCost(preparation, plan.dryRun().expectedCompletionTokens()));
    }
    PCollection<LedgerRecord> segments = items
        .apply("CallGlmVoice", new CallGlmVoice(preparation, plan.client(), plan.model(), plan.maxCost()));
    return segments.apply("StitchSegments", new StitchSegments(plan.ledger()));
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
