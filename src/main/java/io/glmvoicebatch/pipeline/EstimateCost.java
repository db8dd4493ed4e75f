package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.UsageCost;
import java.io.IOException;
import java.time.Instant;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code --dryRun}: in place of the call stage, prepares each item the same way (resume decision, decode,
 * normalize, split) and records what it would cost (exact prompt tokens, expected and worst-case totals)
 * in the dry-run ledger. Nothing is sent, and nothing goes downstream: the estimates file is the output.
 */
public final class EstimateCost extends PTransform<PCollection<ReadManifest.Slice>, PCollection<LedgerRecord>> {
  private final BatchRuntime.Spec runtime;
  private final ItemPreparation preparation;
  private final long expectedCompletionTokens;

  EstimateCost(BatchRuntime.Spec runtime, ItemPreparation preparation, long expectedCompletionTokens) {
    this.runtime = runtime;
    this.preparation = preparation;
    this.expectedCompletionTokens = expectedCompletionTokens;
  }

  @Override
  public PCollection<LedgerRecord> expand(PCollection<ReadManifest.Slice> items) {
    return items.apply(ParDo.of(new EstimateFn(runtime, preparation, expectedCompletionTokens)))
        .setCoder(SerializableCoder.of(LedgerRecord.class));
  }

  static final class EstimateFn extends DoFn<ReadManifest.Slice, LedgerRecord> {
    private final BatchRuntime.Spec spec;
    private final ItemPreparation preparation;
    private final long expectedCompletionTokens;
    /** Its ledger is the estimates file. */
    private transient BatchRuntime estimates;

    EstimateFn(BatchRuntime.Spec spec, ItemPreparation preparation, long expectedCompletionTokens) {
      this.spec = spec;
      this.preparation = preparation;
      this.expectedCompletionTokens = expectedCompletionTokens;
    }

    @Setup
    public void setup() {
      estimates = BatchRuntime.acquire(spec);
    }

    @ProcessElement
    public void process(@Element ReadManifest.Slice slice) throws IOException, InterruptedException {
      // One item at a time on the runner thread: only its own audio is ever held.
      ReadManifest.forEachItem(slice, estimates, item -> {
        for (PreparedItem prepared : preparation.prepare(estimates, item).toSend()) {
          estimate(prepared);
        }
      });
    }

    private void estimate(PreparedItem prepared) {
      RequestCost cost = RequestCost.of(prepared, expectedCompletionTokens);
      RecordStamp stamp = estimates.records();
      LedgerRecord record = stamp.newRecord(prepared)
          .status(LedgerStatus.ESTIMATE)
          .usage(UsageCost.billed(cost.promptTokens(), cost.expectedCompletionTokens(), cost.expectedTokens(),
                  stamp.pricePerMillion(), stamp.currency())
              .withWorstCase(cost.worstCaseTokens(), Cost.format(cost.worstCase(stamp.pricePerMillion()))))
          .call(cf -> cf.withRequestId(prepared.requestIdBase()).withFinishedAt(Instant.now().toString()))
          .build();
      estimates.append(record);
    }

    @Teardown
    public void teardown() {
      if (estimates != null) {
        estimates.close();
        estimates = null;
      }
    }
  }
}
