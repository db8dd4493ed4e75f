package io.glmvoicebatch.ledger;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a ledger lives. On a local (or mounted) filesystem it is one file appended in place and fsynced.
 * On a filesystem that cannot append (gs://, s3://, any object store Beam reaches) each worker JVM writes
 * its lines as small immutable part objects under {@code <ledger>.parts/}; readers see the ledger plus
 * every part, and the batch folds the parts into the ledger object when it ends ({@link #compact}).
 */
public final class LedgerLocation implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String spec;
  private final boolean local;

  private LedgerLocation(String spec, boolean local) {
    this.spec = spec;
    this.local = local;
  }

  public static LedgerLocation file(Path file) {
    return new LedgerLocation(file.toAbsolutePath().normalize().toString(), true);
  }

  /** A ledger object on a Beam filesystem, e.g. {@code gs://bucket/out/ledger.jsonl}. */
  public static LedgerLocation object(String uri) {
    return new LedgerLocation(uri, false);
  }

  public boolean isLocal() {
    return local;
  }

  /** The local file; only for {@link #isLocal()} ledgers. */
  public Path file() {
    if (!local) {
      throw new IllegalStateException(spec + " is not a local file");
    }
    return Path.of(spec);
  }

  /** The prefix of this ledger's part objects. */
  String partsPrefix() {
    return spec + ".parts/";
  }

  /** A new sink for this ledger; the caller closes it (a batch shares one per JVM through its runtime). */
  public LedgerSink openSink() {
    return local ? LedgerWriter.open(file()) : LedgerParts.open(this);
  }

  /** Every line so far, parts included, in order; a missing ledger is empty. */
  public LedgerView read() throws IOException {
    return local ? LedgerView.read(file()) : LedgerView.of(LedgerParts.readLines(this));
  }

  /** What {@link #forEachLine} hands over: a parsed line, or (record null) why a line could not be read. */
  public interface LineVisitor {
    void line(int number, LedgerRecord record, String unreadable);
  }

  /**
   * Every non-blank line in order, parsed one at a time and not kept: a reader of a large ledger (the
   * report) holds only what it folds. Numbers are 1-based line numbers.
   */
  public void forEachLine(LineVisitor visitor) throws IOException {
    if (!local) {
      visit(LedgerParts.readLines(this).iterator(), visitor);
      return;
    }
    if (!Files.exists(file())) {
      return;
    }
    try (java.io.InputStream in = Files.newInputStream(file())) {
      visit(LedgerLines.iterator(in), visitor);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static void visit(java.util.Iterator<String> lines, LineVisitor visitor) {
    int n = 0;
    while (lines.hasNext()) {
      String line = lines.next();
      n++;
      if (line.isBlank()) {
        continue;
      }
      if (LedgerLines.notUtf8(line)) {
        visitor.line(n, null, LedgerLines.problem(n));
        continue;
      }
      try {
        visitor.line(n, LedgerJson.parse(line), null);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        visitor.line(n, null, "line " + n + ": " + e.getOriginalMessage());
      }
    }
  }

  /** Folds part objects into the ledger object (nothing to do for a local file). */
  public void compact() throws IOException {
    if (!local) {
      LedgerParts.compact(this);
    }
  }

  /** Removes the ledger and its parts (a dry run starts from an empty estimate file). */
  public void delete() throws IOException {
    if (local) {
      Files.deleteIfExists(file());
    } else {
      LedgerParts.delete(this);
    }
  }

  /** The key that names this batch's JVM-wide tally and budget. */
  public String key() {
    return spec;
  }

  @Override
  public String toString() {
    return spec;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LedgerLocation l && l.spec.equals(spec) && l.local == local;
  }

  @Override
  public int hashCode() {
    return spec.hashCode();
  }
}
