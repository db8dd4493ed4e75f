package io.glmvoicebatch.manifest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.io.ByteOrderMark;
import org.apache.commons.io.input.BOMInputStream;

/**
 * The text encoding of a manifest as tools write it: a byte-order mark (UTF-8, UTF-16 LE/BE) decides; without
 * one, UTF-8, else UTF-16 recognised by its zero bytes, else GBK/GB18030 (Chinese Windows Excel's "CSV") when
 * the file is not UTF-8 anywhere and decodes as GB18030 throughout. A file that is otherwise UTF-8 keeps its
 * good lines: a line with bytes that are not UTF-8 becomes that line's problem, with its number.
 *
 * <p>Works on bytes, so a whole-file reader ({@link #lines(byte[])}) and a streaming one ({@link #detect} on
 * the first block, then {@link #decodeLine} per line when {@link #splitsOnNewlineBytes()}) share the rules.
 */
public final class ManifestEncoding implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A physical line: its text, or why it could not be decoded. Numbers count from 1. */
  public record Line(int number, String text, String problem) {}

  static final Charset GB18030 = Charset.forName("GB18030");
  private static final String FIX = "save the manifest as UTF-8 (Excel: Save As \"CSV UTF-8\")";

  // By name: a part of the manifest carries its file's encoding to the worker that reads it, and Charset
  // is not Serializable.
  private final String charsetName;
  private final int bomLength;
  private final String name;

  private ManifestEncoding(Charset charset, int bomLength, String name) {
    this.charsetName = charset.name();
    this.bomLength = bomLength;
    this.name = name;
  }

  public Charset charset() {
    return Charset.forName(charsetName);
  }

  /** Bytes of the byte-order mark at the start of the file (skipped), 0 if none. */
  public int bomLength() {
    return bomLength;
  }

  /** For messages: "UTF-8", "UTF-16LE (byte-order mark)", "GBK/GB18030". */
  public String name() {
    return name;
  }

  /** True when lines end at the bytes {@code \n} / {@code \r}, so lines can be cut before decoding. */
  public boolean splitsOnNewlineBytes() {
    return charset().equals(StandardCharsets.UTF_8) || charset().equals(GB18030);
  }

  /**
   * For the streaming reader, which cuts the file into parts by byte range at newline bytes: UTF-16 (whose
   * newline is two bytes, one of them zero) is refused, naming the encoding and the fix.
   */
  public ManifestEncoding requireNewlineBytes(String source) throws UnusableManifestException {
    if (!splitsOnNewlineBytes()) {
      throw new UnusableManifestException(source + " is " + name + ", which the streaming manifest reader does not "
          + "read (only UTF-8 and GBK/GB18030); " + FIX);
    }
    return this;
  }

  /**
   * Detects the encoding from the file's bytes (all of them, or a first block for a streaming reader).
   *
   * @throws UnusableManifestException for an encoding we do not read (UTF-32), naming it and the fix
   */
  public static ManifestEncoding detect(byte[] bytes, String source) throws UnusableManifestException {
    ByteOrderMark bom;
    try (BOMInputStream in = BOMInputStream.builder()
        .setInputStream(new ByteArrayInputStream(bytes))
        .setByteOrderMarks(ByteOrderMark.UTF_32LE, ByteOrderMark.UTF_32BE, ByteOrderMark.UTF_8,
            ByteOrderMark.UTF_16LE, ByteOrderMark.UTF_16BE)
        .get()) {
      bom = in.getBOM();
    } catch (IOException e) {
      throw new IllegalStateException("reading a byte array", e);
    }
    if (bom != null) {
      if (bom.equals(ByteOrderMark.UTF_32LE) || bom.equals(ByteOrderMark.UTF_32BE)) {
        throw new UnusableManifestException(source + " is " + bom.getCharsetName()
            + " (byte-order mark): not read; " + FIX);
      }
      return new ManifestEncoding(Charset.forName(bom.getCharsetName()), bom.length(),
          bom.getCharsetName() + " (byte-order mark)");
    }
    Charset utf16 = utf16ByZeroBytes(bytes);
    if (utf16 != null) {
      return new ManifestEncoding(utf16, 0, utf16.name() + " (no byte-order mark)");
    }
    if (decodes(StandardCharsets.UTF_8, bytes, 0, bytes.length) || hasUtf8Text(bytes)
        || !decodes(GB18030, bytes, 0, bytes.length)) {
      return new ManifestEncoding(StandardCharsets.UTF_8, 0, "UTF-8");
    }
    return new ManifestEncoding(GB18030, 0, "GBK/GB18030");
  }

  /** The whole file as numbered lines (after the byte-order mark); a line that cannot be decoded carries its problem. */
  public List<Line> lines(byte[] bytes) throws UnusableManifestException {
    List<Line> lines = new ArrayList<>();
    if (splitsOnNewlineBytes()) {
      int start = bomLength;
      int number = 0;
      for (int i = bomLength; i <= bytes.length; i++) {
        if (i == bytes.length || bytes[i] == '\n' || bytes[i] == '\r') {
          if (i == bytes.length && start == i) {
            break; // no line after the last line break
          }
          lines.add(decodeLine(++number, bytes, start, i - start));
          if (i < bytes.length - 1 && bytes[i] == '\r' && bytes[i + 1] == '\n') {
            i++;
          }
          start = i + 1;
        }
      }
      return lines;
    }
    String text;
    try {
      text = strict(charset()).decode(ByteBuffer.wrap(bytes, bomLength, bytes.length - bomLength)).toString();
    } catch (CharacterCodingException e) {
      throw new UnusableManifestException("the manifest is " + name + " but holds bytes that are not " + charsetName
          + "; " + FIX);
    }
    int number = 0;
    for (String line : (Iterable<String>) text.lines()::iterator) {
      lines.add(new Line(++number, line, null));
    }
    return lines;
  }

  /** One line's bytes (without its line break) decoded; for encodings that {@link #splitsOnNewlineBytes()}. */
  public Line decodeLine(int number, byte[] bytes, int offset, int length) {
    try {
      return new Line(number, strict(charset()).decode(ByteBuffer.wrap(bytes, offset, length)).toString(), null);
    } catch (MalformedInputException e) {
      int at = firstBadByte(bytes, offset, length);
      return new Line(number, null, String.format(Locale.ROOT,
          "not valid %s (byte 0x%02X at byte %d of the line); the manifest is read as %s: %s",
          charsetName, bytes[offset + at] & 0xFF, at + 1, name, FIX));
    } catch (CharacterCodingException e) {
      return new Line(number, null, "not valid " + charsetName + ": " + FIX);
    }
  }

  private int firstBadByte(byte[] bytes, int offset, int length) {
    CharsetDecoder d = strict(charset());
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    CharBuffer out = CharBuffer.allocate(length + 1);
    d.decode(in, out, true);
    return in.position() - offset;
  }

  private static CharsetDecoder strict(Charset c) {
    return c.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  private static boolean decodes(Charset c, byte[] bytes, int offset, int length) {
    try {
      strict(c).decode(ByteBuffer.wrap(bytes, offset, length));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** Whether some line holds non-ASCII text that is valid UTF-8: then the file is UTF-8 with bad lines. */
  private static boolean hasUtf8Text(byte[] bytes) {
    int start = 0;
    boolean nonAscii = false;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        if (nonAscii && decodes(StandardCharsets.UTF_8, bytes, start, i - start)) {
          return true;
        }
        start = i + 1;
        nonAscii = false;
      } else if (bytes[i] < 0) {
        nonAscii = true;
      }
    }
    return false;
  }

  /** UTF-16 without a byte-order mark: text manifests hold no zero bytes, UTF-16 of ASCII is half zeros. */
  private static Charset utf16ByZeroBytes(byte[] bytes) {
    int n = Math.min(bytes.length, 4096) & ~1;
    int evenZeros = 0;
    int oddZeros = 0;
    for (int i = 0; i < n; i += 2) {
      evenZeros += bytes[i] == 0 ? 1 : 0;
      oddZeros += bytes[i + 1] == 0 ? 1 : 0;
    }
    if (n < 4) {
      return null;
    }
    if (oddZeros * 4 >= n && evenZeros == 0) {
      return StandardCharsets.UTF_16LE;
    }
    if (evenZeros * 4 >= n && oddZeros == 0) {
      return StandardCharsets.UTF_16BE;
    }
    return null;
  }
}
