package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.ledger.LedgerRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/** The batch as one Beam pipeline: read the manifest, prepare and call (or estimate), stitch; the ledger is the output. */
public final class VoiceBatchPipeline {
  private VoiceBatchPipeline() {}

  /**
   * Adds the batch to {@code pipeline}. The ledger is the batch's output; what comes back is only the item
   * lines of split recordings stitched in this run (empty for a dry run), each already durable in the ledger.
   */
  public static PCollection<LedgerRecord> build(Pipeline pipeline, BatchPlan plan) {
    ManifestInput manifest = plan.manifest();
    PCollection<ReadManifest.Slice> items = pipeline.apply("ReadManifest", manifest.location() != null
        ? ReadManifest.file(manifest.location(), plan.itemsPerBundle())
        : ReadManifest.of(manifest.inMemory(), plan.itemsPerBundle()));

    ItemPreparation preparation = new ItemPreparation(plan.audio(), plan.inputFiles(), plan.model(),
        plan.resumePolicy(), plan.segmentPolicy(), plan.dryRun() == null);
    if (plan.dryRun() != null) {
      return items.apply("EstimateCost",
          new EstimateCost(plan.runtime(), preparation, plan.dryRun().expectedCompletionTokens()));
    }
    PCollection<LedgerRecord> segments = items
        .apply("CallGlmVoice", new CallGlmVoice(plan.runtime(), preparation, plan.replySize(), plan.model()));
    return segments.apply("StitchSegments", new StitchSegments(plan.runtime()));
  }
}
