package io.glmvoicebatch.ledger;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kill -9 during an append can leave a last line without its newline. That fragment is moved to
 * {@code <ledger>.corrupt} (kept, never deleted) and cut from the ledger, so appends start on a clean line.
 */
final class TornTail {
  private static final Logger LOG = LoggerFactory.getLogger(TornTail.class);

  private TornTail() {}

  static void setAside(Path ledger) throws IOException {
    if (!Files.exists(ledger)) {
      return;
    }
    try (RandomAccessFile raf = new RandomAccessFile(ledger.toFile(), "rw")) {
      long length = raf.length();
      if (length == 0) {
        return;
      }
      raf.seek(length - 1);
      if (raf.read() == '\n') {
        return;
      }
      // Walk back to the last newline: everything after it is the torn fragment.
      long pos = length - 1;
      byte[] one = new byte[1];
      while (pos > 0) {
        raf.seek(pos - 1);
        raf.readFully(one);
        if (one[0] == '\n') {
          break;
        }
        pos--;
      }
      byte[] fragment = new byte[(int) (length - pos)];
      raf.seek(pos);
      raf.readFully(fragment);
      Path corrupt = ledger.resolveSibling(ledger.getFileName() + ".corrupt");
      Files.write(corrupt, concat(fragment, new byte[] {'\n'}), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      raf.setLength(pos);
      raf.getFD().sync();
      LOG.warn("ledger {} ended in a torn line ({} bytes); moved it to {}", ledger, fragment.length, corrupt);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
