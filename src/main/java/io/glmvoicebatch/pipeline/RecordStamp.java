package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.ledger.AudioFacts;
import io.glmvoicebatch.ledger.CallFacts;
import io.glmvoicebatch.ledger.InputFacts;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.SegmentPlace;
import io.glmvoicebatch.ledger.UsageCost;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * What every ledger line of a batch carries whatever happened to its item: the price per million tokens,
 * its currency, and whether the endpoint is the simulator. Starts each line's record.
 */
public final class RecordStamp implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String pricePerMillion;
  private final String currency;
  private final boolean simulated;

  public RecordStamp(BigDecimal pricePerMillion, String currency, boolean simulated) {
    this.pricePerMillion = pricePerMillion.toPlainString();
    this.currency = currency;
    this.simulated = simulated;
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
        .call(CallFacts.NONE.withSimulated(simulated))
        .usage(UsageCost.priced(pricePerMillion, currency));
  }

  /** A record for a prepared item, carrying everything known before it is sent. */
  public LedgerRecord.Builder newRecord(PreparedItem prepared) {
    var item = prepared.item();
    var audio = prepared.audio();
    var input = audio.input();
    return newRecord(item.id())
        .manifestLine(item.line())
        .params(item.params())
        .input(new InputFacts(item.audio(), prepared.inputSha256(), prepared.fingerprint(),
            prepared.fingerprint() == null ? null : ItemFingerprint.VERSION_NUMBER,
            new AudioFacts(input.sampleRate(), input.channels(), input.encoding(), input.seconds()), input.seconds(),
            audio.secondsSent(), audio.gainDb(), audio.warnings().isEmpty() ? null : audio.warnings(), null))
        .place(new SegmentPlace(prepared.segment(), prepared.segments(), prepared.segmentStartSeconds()))
        .call(cf -> cf.withStartedAt(prepared.startedAt().toString()));
  }
}
