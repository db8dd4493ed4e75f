package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.ledger.ResumeIndex;
import io.glmvoicebatch.manifest.Manifest;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * Everything a batch run needs, resolved from options before the pipeline is built: where the manifest is,
 * how to prepare audio, how to reach the service, where results go, and what an earlier run finished.
 */
public record BatchPlan(
    ManifestInput manifest,
    NormalizerSettings audio,
    ClientSettings client,
    String model,
    ItemLedger ledger,
    ResumeIndex resume,
    ResumePolicy resumePolicy,
    BigDecimal maxCost,
    DryRun dryRun,
    int itemsPerBundle,
    SegmentPolicy segmentPolicy) {

  /** Items per bundle unless configured: many times the largest tier's cap. */
  public static final int DEFAULT_ITEMS_PER_BUNDLE = 128;

  /**
   * {@code --dryRun}: estimates go to {@code estimates} instead of requests to the service.
   *
   * @param expectedCompletionTokens typical completion tokens per reply, for the expected total
   */
  public record DryRun(ItemLedger estimates, long expectedCompletionTokens) implements java.io.Serializable {}

  /** A plan that sends every item, with no budget. */
  public BatchPlan(Manifest manifest, NormalizerSettings audio, ClientSettings client, String model, ItemLedger ledger,
      ResumeIndex resume, ResumePolicy resumePolicy) {
    this(ManifestInput.of(manifest), audio, client, model, ledger, resume, resumePolicy, null, null,
        DEFAULT_ITEMS_PER_BUNDLE,
        SegmentPolicy.defaults());
  }


  public BatchPlan {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(audio, "audio");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(resume, "resume");
    Objects.requireNonNull(resumePolicy, "resumePolicy");
  }
}
