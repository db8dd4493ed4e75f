package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.ledger.AudioFacts;
import io.glmvoicebatch.ledger.LedgerRecord;
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
        .simulated(simulated)
        .pricePerMillionTokens(pricePerMillion)
        .currency(currency);
  }

  /** A record for a prepared item, carrying everything known before it is sent. */
  public LedgerRecord.Builder newRecord(PreparedItem prepared) {
    var item = prepared.item();
    var audio = prepared.audio();
    var input = audio.input();
    return newRecord(item.id())
        .manifestLine(item.line())
        .inputAudio(item.audio())
        .params(item.params())
        .inputSha256(prepared.inputSha256())
        .fingerprint(prepared.fingerprint())
        .inputFormat(new AudioFacts(input.sampleRate(), input.channels(), input.encoding(), input.seconds()))
        .inputSeconds(input.seconds())
        .secondsSent(audio.secondsSent())
        .gainDb(audio.gainDb())
        .warnings(audio.warnings().isEmpty() ? null : audio.warnings())
        .segment(prepared.segment())
        .segments(prepared.segments())
        .segmentStartSeconds(prepared.segmentStartSeconds())
        .startedAt(prepared.startedAt().toString());
  }
}
