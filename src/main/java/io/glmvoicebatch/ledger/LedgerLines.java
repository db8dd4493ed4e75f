package io.glmvoicebatch.ledger;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A ledger file's lines, each decoded on its own: bytes that are not UTF-8 (a disk error, a hand edit) spoil
 * their line only, which readers skip with a warning naming it, instead of the whole ledger failing to read.
 */
final class LedgerLines {
  /** Stands for a line that is not UTF-8 (no JSON line starts with NUL). */
  private static final String NOT_UTF8 = "\u0000not valid UTF-8";

  private LedgerLines() {}

  /** True for the stand-in of a line whose bytes are not UTF-8. */
  static boolean notUtf8(String line) {
    return line.startsWith("\u0000");
  }

  /** Why such a line was skipped. */
  static String problem(int number) {
    return "line " + number + ": not valid UTF-8 (skipped)";
  }

  static List<String> read(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      iterator(in).forEachRemaining(lines::add);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return lines;
  }

  /** The lines of {@code in}, read as they are asked for; I/O errors come as UncheckedIOException. */
  static Iterator<String> iterator(InputStream raw) {
    InputStream in = new BufferedInputStream(raw, 1 << 16);
    return new Iterator<>() {
      private String next;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (next == null && !done) {
          next = readLine();
          done = next == null;
        }
        return next != null;
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        String line = next;
        next = null;
        return line;
      }

      private String readLine() {
        try {
          ByteArrayOutputStream line = new ByteArrayOutputStream(512);
          int b;
          while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
          }
          if (b < 0 && line.size() == 0) {
            return null;
          }
          return decode(line.toByteArray());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  private static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return NOT_UTF8;
    }
  }
}
