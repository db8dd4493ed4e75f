package io.glmvoicebatch.audio;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the chunks of a RIFF/RF64/BW64 WAVE file and finds the format and the audio bytes.
 *
 * <p>Sizes in headers are treated as claims: every one is checked against the real file size
 * before it is used, so a lying header can neither make us allocate nor read past the end.
 */
final class RiffReader {
  private static final long UNKNOWN_SIZE = 0xFFFFFFFFL;
  /** The fmt chunk is at most 40 bytes plus a few of extension in practice. */
  private static final int MAX_FMT_READ = 64;

  private RiffReader() {}

  static WaveLayout read(ByteSource src) throws AudioFormatException {
    long size = src.size();
    byte[] head = new byte[64];
    int headLength = src.read(0, head, 0, (int) Math.min(head.length, size));
    String magic = ascii(head, 0, headLength);
    String container = magic.length() >= 4 ? magic.substring(0, 4) : magic;
    boolean known =
        container.equals("RIFF") || container.equals("RF64") || container.equals("BW64");
    if (!known || headLength < 12 || !ascii(head, 8, headLength).startsWith("WAVE")) {
      if (known && headLength < 12) {
        throw new AudioFormatException("truncated header: file is " + size + " bytes");
      }
      throw new AudioFormatException(ContentSniffer.whyNotWave(head, headLength, size));
    }

    List<String> warnings = new ArrayList<>();
    FmtChunk fmt = null;
    long dataOffset = -1;
    long dataBytes = -1;
    long ds64DataSize = -1;
    byte[] chunkHeader = new byte[8];
    long pos = 12;
    while (pos + 8 <= size) {
      src.read(pos, chunkHeader, 0, 8);
      if (!plausibleId(chunkHeader)) {
        warnings.add("ignored " + (size - pos) + " bytes of non-chunk data at byte " + pos);
        break;
      }
      String id = ascii(chunkHeader, 0, 4);
      long chunkSize = FmtChunk.u32(chunkHeader, 4);
      long body = pos + 8;
      long available = size - body;
      if (id.equals("ds64") && !container.equals("RIFF")) {
        byte[] ds64 = new byte[24];
        if (src.read(body, ds64, 0, 24) == 24) {
          ds64DataSize = u64(ds64, 8);
        }
      } else if (id.equals("fmt ")) {
        if (fmt != null) {
          warnings.add("ignored a second fmt chunk");
        } else {
          int want = (int) Math.min(chunkSize, MAX_FMT_READ);
          byte[] fmtBody = new byte[Math.max(want, 16)];
          int got = src.read(body, fmtBody, 0, want);
          if (want >= 16 && got < 16) {
            throw new AudioFormatException(
                "truncated header: fmt chunk cut off after " + got + " of " + chunkSize + " bytes");
          }
          fmt = FmtChunk.parse(fmtBody, got, warnings);
        }
      } else if (id.equals("data")) {
        if (dataOffset >= 0) {
          warnings.add("ignored a second data chunk");
        } else {
          dataOffset = body;
          long declared = chunkSize;
          if (declared == UNKNOWN_SIZE && ds64DataSize >= 0) {
            declared = ds64DataSize;
          } else if (declared == UNKNOWN_SIZE) {
            warnings.add("data chunk size is 0xFFFFFFFF (unknown): read to end of file");
            dataBytes = available;
            break;
          }
          if (declared == 0) {
            if (available == 0 || chunkFollows(src, body, size)) {
              dataBytes = 0;
            } else {
              warnings.add("data chunk size is 0: read to end of file");
              dataBytes = available;
              break;
            }
          } else if (declared > available) {
            warnings.add(
                "header claims "
                    + declared
                    + " data bytes but file holds "
                    + available
                    + ": decoded what is there");
            dataBytes = available;
            break;
          } else {
            dataBytes = declared;
          }
          if (declared != chunkSize) {
            chunkSize = declared; // RF64: skip by the 64-bit size
          }
        }
      }
      long next = body + chunkSize + (chunkSize & 1);
      if (next > size) {
        break;
      }
      // Some writers omit the pad byte after an odd-sized chunk.
      if ((chunkSize & 1) == 1 && !chunkFollows(src, next, size) && chunkFollows(src, next - 1, size)) {
        next--;
      }
      pos = next;
    }
    if (fmt == null) {
      if (pos != size && dataOffset < 0) {
        throw new AudioFormatException("truncated header: file ends before the fmt chunk");
      }
      throw new AudioFormatException("no fmt chunk");
    }
    if (dataOffset < 0) {
      throw new AudioFormatException("no data chunk");
    }
    if (dataBytes == 0) {
      throw new AudioFormatException("empty data chunk");
    }
    int blockAlign = fmt.blockAlign();
    long frames = dataBytes / blockAlign;
    long partial = dataBytes % blockAlign;
    if (frames == 0) {
      throw new AudioFormatException(
          "data chunk holds " + dataBytes + " bytes, less than one " + blockAlign + "-byte frame");
    }
    if (partial != 0) {
      warnings.add("dropped a partial last frame (" + partial + " bytes)");
    }
    return new WaveLayout(container, fmt, dataOffset, frames, warnings);
  }

  /** True when a plausible chunk header (or the clean end of the file) is at {@code at}. */
  private static boolean chunkFollows(ByteSource src, long at, long size)
      throws AudioFormatException {
    if (at == size) {
      return true; // clean end of file
    }
    if (at + 8 > size || at < 0) {
      return false;
    }
    byte[] h = new byte[8];
    src.read(at, h, 0, 8);
    return plausibleId(h) && at + 8 + FmtChunk.u32(h, 4) <= size + 1;
  }

  private static boolean plausibleId(byte[] h) {
    for (int i = 0; i < 4; i++) {
      int c = h[i] & 0xFF;
      boolean ok =
          (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' '
              || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static long u64(byte[] b, int p) {
    return FmtChunk.u32(b, p) | (FmtChunk.u32(b, p + 4) << 32);
  }

  private static String ascii(byte[] b, int off, int length) {
    int n = Math.max(0, Math.min(4, length - off));
    return new String(b, off, n, StandardCharsets.ISO_8859_1);
  }
}
