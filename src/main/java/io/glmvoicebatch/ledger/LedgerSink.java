package io.glmvoicebatch.ledger;

import java.io.Closeable;

/** Where ledger lines go durably: a local file ({@link LedgerWriter}) or part objects ({@link LedgerParts}). */
public interface LedgerSink extends Closeable {
  /** Returns once the line survives a crash of this JVM. */
  void append(LedgerRecord record);

  /** Closes the sink; its owner (a batch's runtime, or a one-off writer) does so once, when done. */
  @Override
  void close();
}
