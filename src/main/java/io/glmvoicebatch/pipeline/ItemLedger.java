package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.audio.InputFileCheck;
import io.glmvoicebatch.ledger.AudioFacts;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerSink;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.ledger.RunTally;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * The serializable handle DoFns use to conclude items: where outputs go, which ledger file, the price,
 * and whether the endpoint is simulated. The ledger itself is opened once per JVM ({@link LedgerLocation#openSink}).
 */
public final class ItemLedger implements Serializable {
  private static final long serialVersionUID = 1L;

  private final OutputFolder folder;
  private final LedgerLocation ledgerLocation;
  private final String pricePerMillion;
  private final String currency;
  private final boolean simulated;
  private boolean keepNormalizedAudio;
  private InputFileCheck inputFiles = InputFileCheck.defaults();
  private ReplySize replySize = ReplySize.defaults();
  private transient LedgerSink writer;

  public ItemLedger(OutputFolder folder, BigDecimal pricePerMillion, String currency, boolean simulated) {
    this(folder, folder.ledgerLocation(), pricePerMillion, currency, simulated);
  }

  public ItemLedger(OutputFolder folder, LedgerLocation ledger, BigDecimal pricePerMillion, String currency,
      boolean simulated) {
    this.folder = folder;
    this.ledgerLocation = ledger;
    this.pricePerMillion = pricePerMillion.toPlainString();
    this.currency = currency;
    this.simulated = simulated;
  }

  /** Also keep the audio as sent, under normalized/, for each ok item (dataset builds). */
  public ItemLedger keepNormalizedAudio(boolean keep) {
    this.keepNormalizedAudio = keep;
    return this;
  }

  /** What an input file must be before it is read (type, size limit). */
  public ItemLedger inputFiles(InputFileCheck check) {
    this.inputFiles = check;
    return this;
  }

  /** How much disk a reply may take ({@code --replyAudioTokensPerSecond}, {@code --diskMarginBytes}...). */
  public ItemLedger replySize(ReplySize size) {
    this.replySize = size;
    return this;
  }

  /** The reply size bound, keeping the sent audio too when {@link #keepsNormalizedAudio()}. */
  public ReplySize replySize() {
    return replySize.keepingSentAudio(keepNormalizedAudio);
  }

  public InputFileCheck inputFiles() {
    return inputFiles;
  }

  public boolean keepsNormalizedAudio() {
    return keepNormalizedAudio;
  }

  public OutputFolder folder() {
    return folder;
  }

  public LedgerLocation location() {
    return ledgerLocation;
  }

  public BigDecimal pricePerMillion() {
    return new BigDecimal(pricePerMillion);
  }

  public String currency() {
    return currency;
  }

  /** This run's live counts (for the progress line). */
  public RunTally tally() {
    return RunTally.of(ledgerLocation.key());
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

  /** Appends durably; returns the record for chaining into the pipeline's output. */
  public LedgerRecord append(LedgerRecord record) {
    LedgerSink w;
    synchronized (this) {
      if (writer == null) {
        writer = ledgerLocation.openSink();
      }
      w = writer;
    }
    // An intent is counted before it is written, an outcome after: whoever sees the line on disk (a
    // Ctrl-C report of what is in flight) also finds it in the tally.
    boolean intent = LedgerRecord.SENDING.equals(record.status());
    if (intent) {
      tally().count(record);
    }
    w.append(record);
    if (!intent) {
      tally().count(record);
    }
    return record;
  }

  public synchronized void release() {
    if (writer != null) {
      writer.close();
      writer = null;
    }
  }
}
