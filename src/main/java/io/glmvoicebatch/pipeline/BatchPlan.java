package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.audio.InputFileCheck;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.manifest.Manifest;
import java.util.Objects;

/**
 * Everything a batch run needs, resolved from options before the pipeline is built: where the manifest is,
 * how to prepare audio, the batch's runtime (how to reach the service, where results go, the budget, what
 * an earlier run finished), and what a reply may take on disk.
 */
public record BatchPlan(
    ManifestInput manifest,
    NormalizerSettings audio,
    String model,
    BatchRuntime.Spec runtime,
    ResumePolicy resumePolicy,
    DryRun dryRun,
    int itemsPerBundle,
    SegmentPolicy segmentPolicy,
    InputFileCheck inputFiles,
    ReplySize replySize) {

  /** Items per bundle unless configured: many times the largest tier's cap. */
  public static final int DEFAULT_ITEMS_PER_BUNDLE = 128;

  /**
   * {@code --dryRun}: estimates go to the runtime's ledger (the estimates file) instead of requests to the
   * service.
   *
   * @param expectedCompletionTokens typical completion tokens per reply, for the expected total
   */
  public record DryRun(long expectedCompletionTokens) implements java.io.Serializable {}

  /** A plan that sends every item of an in-memory manifest, with the runtime's budget and default limits. */
  public BatchPlan(Manifest manifest, NormalizerSettings audio, String model, BatchRuntime.Spec runtime,
      ResumePolicy resumePolicy) {
    this(ManifestInput.of(manifest), audio, model, runtime, resumePolicy, null, DEFAULT_ITEMS_PER_BUNDLE,
        SegmentPolicy.defaults(), InputFileCheck.defaults(), ReplySize.defaults());
  }


  public BatchPlan {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(audio, "audio");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(resumePolicy, "resumePolicy");
    Objects.requireNonNull(inputFiles, "inputFiles");
    Objects.requireNonNull(replySize, "replySize");
  }
}
