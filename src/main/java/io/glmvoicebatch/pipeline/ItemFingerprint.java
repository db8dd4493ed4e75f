package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.manifest.ManifestItem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes two runs of an item "the same request": the input bytes, the prompt, the request parameters
 * and how the audio was prepared. Resume skips an item only when its fingerprint is unchanged.
 */
public final class ItemFingerprint {
  private ItemFingerprint() {}

  public static String of(ManifestItem item, String inputSha256, String model, String preparation) {
    String canonical = String.join("\u0000",
        "v1", inputSha256, nullSafe(item.prompt()), nullSafe(item.system()), String.valueOf(item.maxTokens()),
        String.valueOf(item.temperature()), String.valueOf(item.topP()), model, preparation);
    return sha256Hex(canonical);
  }

  public static String sha256Hex(String text) {
    MessageDigest digest = sha256();
    return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /** Streams the file through SHA-256 so large recordings are never held in memory for hashing. */
  public static String sha256Hex(Path file) throws IOException {
    return sha256Hex(file, Long.MAX_VALUE);
  }

  /**
   * The same, reading at most {@code maxBytes}: a file still growing past the input limit (a recording
   * being written, a file replaced after its size was checked) is refused instead of read without end.
   */
  public static String sha256Hex(Path file, long maxBytes) throws IOException {
    MessageDigest digest = sha256();
    byte[] buf = new byte[1 << 16];
    long total = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new IOException("more than " + maxBytes + " bytes (--maxInputFileBytes): the file grew while read");
        }
        digest.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The fingerprint exactly as {@link ItemPreparation} computes it, for a ledger rebuilt from reply files. */
  public static String of(ManifestItem item, String inputSha256, String model,
      io.glmvoicebatch.audio.NormalizerSettings settings, SegmentPolicy segments) {
    return of(item, inputSha256, model, settings + " " + segments);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static String nullSafe(String s) {
    return s == null ? "\u0001" : s;
  }
}
