package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerRecord;
import java.time.Instant;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code --dryRun}: in place of the call stage, records what each prepared item would cost (exact prompt
 * tokens, expected and worst-case totals) in the dry-run ledger. Nothing is sent.
 */
public final class EstimateCost extends PTransform<PCollection<PreparedItem>, PCollection<LedgerRecord>> {
  private final ItemLedger estimates;
  private final long expectedCompletionTokens;

  public EstimateCost(ItemLedger estimates, long expectedCompletionTokens) {
    this.estimates = estimates;
    this.expectedCompletionTokens = expectedCompletionTokens;
  }

  @Override
  public PCollection<LedgerRecord> expand(PCollection<PreparedItem> items) {
    return items.apply(ParDo.of(new EstimateFn(estimates, expectedCompletionTokens)));
  }

  static final class EstimateFn extends DoFn<PreparedItem, LedgerRecord> {
    private final ItemLedger estimates;
    private final long expectedCompletionTokens;

    EstimateFn(ItemLedger estimates, long expectedCompletionTokens) {
      this.estimates = estimates;
      this.expectedCompletionTokens = expectedCompletionTokens;
    }

    @ProcessElement
    public void process(@Element PreparedItem prepared, OutputReceiver<LedgerRecord> out) {
      RequestCost cost = RequestCost.of(prepared, expectedCompletionTokens);
      LedgerRecord record = estimates.newRecord(prepared)
          .status(LedgerRecord.ESTIMATE)
          .requestId(prepared.requestIdBase())
          .tokens(cost.promptTokens(), cost.expectedCompletionTokens(), cost.expectedTokens(),
              estimates.pricePerMillion(), estimates.currency())
          .worstCaseTokens(cost.worstCaseTokens())
          .worstCaseCost(Cost.format(cost.worstCase(estimates.pricePerMillion())))
          .finishedAt(Instant.now().toString())
          .build();
      out.output(estimates.append(record));
    }

    @Teardown
    public void teardown() {
      estimates.release();
    }
  }
}
