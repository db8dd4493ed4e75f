package io.glmvoicebatch.ledger;

import java.io.Closeable;

/** Where ledger lines go durably: a local file ({@link LedgerWriter}) or part objects ({@link LedgerParts}). */
public interface LedgerSink extends Closeable {
  /** Returns once the line survives a crash of this JVM. */
  void append(LedgerRecord record);

  /** Releases this user's hold; the JVM-wide sink closes with its last user. */
  @Override
  void close();
}
