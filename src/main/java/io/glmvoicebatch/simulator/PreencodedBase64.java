package io.glmvoicebatch.simulator;

import java.util.Arrays;
import java.util.Base64;

/**
 * Bytes whose base64 is computed once, so the base64 of a long range of them is mostly a copy.
 * Base64 maps each 3-byte group to 4 characters on its own, so the text of {@code source[q..)} is a
 * substring of the text of {@code source[p..)} whenever {@code q - p} is a multiple of 3. Keeping the
 * text from byte 0 and from byte 1 ("phases") covers ranges that start at q ≡ 0 or 1 (mod 3).
 */
final class PreencodedBase64 {
  private static final Base64.Encoder ENCODER = Base64.getEncoder();

  private final byte[] source;
  /** {@code phases[p]} is the base64 of {@code source[p..]}. */
  private final byte[][] phases;

  /** Encodes {@code source} from each of its first {@code phaseCount} bytes; zero: encode every call. */
  PreencodedBase64(byte[] source, int phaseCount) {
    this.source = source;
    this.phases = new byte[phaseCount][];
    for (int p = 0; p < phaseCount; p++) {
      phases[p] = ENCODER.encode(Arrays.copyOfRange(source, p, source.length));
    }
  }

  /** {@code "<base64 of prefix ++ source[from, to)>"}; the whole groups of the range come from a phase. */
  RawJsonBytes quoted(byte[] prefix, int from, int to) {
    int join = Math.min(to - from, (3 - prefix.length % 3) % 3); // source bytes completing the prefix's group
    int middleFrom = from + join;
    int phase = middleFrom % 3;
    if (phase >= phases.length) { // not aligned with any kept phase: encode it all
      return RawJsonBytes.quotedBase64(concat(prefix, from, to));
    }
    int middleTo = middleFrom + (to - middleFrom) / 3 * 3;
    byte[] head = ENCODER.encode(concat(prefix, from, middleFrom));
    byte[] tail = ENCODER.encode(Arrays.copyOfRange(source, middleTo, to)); // padded here, never in the middle
    int middleChars = (middleTo - middleFrom) / 3 * 4;
    byte[] out = new byte[1 + head.length + middleChars + tail.length + 1];
    out[0] = '"';
    System.arraycopy(head, 0, out, 1, head.length);
    System.arraycopy(phases[phase], (middleFrom - phase) / 3 * 4, out, 1 + head.length, middleChars);
    System.arraycopy(tail, 0, out, 1 + head.length + middleChars, tail.length);
    out[out.length - 1] = '"';
    return new RawJsonBytes(out);
  }

  private byte[] concat(byte[] prefix, int from, int to) {
    byte[] bytes = Arrays.copyOf(prefix, prefix.length + to - from);
    System.arraycopy(source, from, bytes, prefix.length, to - from);
    return bytes;
  }
}
