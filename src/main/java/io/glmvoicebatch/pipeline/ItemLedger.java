package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerWriter;
import io.glmvoicebatch.ledger.OutputFolder;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * The serializable handle DoFns use to conclude items: where outputs go, the price, and whether the
 * endpoint is simulated. The file itself is opened once per JVM by {@link LedgerWriter}.
 */
public final class ItemLedger implements Serializable {
  private static final long serialVersionUID = 1L;

  private final OutputFolder folder;
  private final String pricePerMillion;
  private final String currency;
  private final boolean simulated;
  private transient LedgerWriter writer;

  public ItemLedger(OutputFolder folder, BigDecimal pricePerMillion, String currency, boolean simulated) {
    this.folder = folder;
    this.pricePerMillion = pricePerMillion.toPlainString();
    this.currency = currency;
    this.simulated = simulated;
  }

  public OutputFolder folder() {
    return folder;
  }

  public BigDecimal pricePerMillion() {
    return new BigDecimal(pricePerMillion);
  }

  public String currency() {
    return currency;
  }

  /** A record builder already stamped with the batch-wide fields. */
  public LedgerRecord.Builder newRecord(String id) {
    return LedgerRecord.builder()
        .id(id)
        .simulated(simulated)
        .pricePerMillionTokens(pricePerMillion)
        .currency(currency);
  }

  /** Appends durably; returns the record for chaining into the pipeline's output. */
  public synchronized LedgerRecord append(LedgerRecord record) {
    if (writer == null) {
      writer = LedgerWriter.open(folder.ledger());
    }
    writer.append(record);
    return record;
  }

  public synchronized void release() {
    if (writer != null) {
      writer.close();
      writer = null;
    }
  }
}
