package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.audio.NormalizerSettings;
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
 * and how the audio was prepared. Resume skips an item only when its fingerprint is unchanged, so the
 * fingerprint is a SHA-256 over an explicit canonical text, never over a class's toString(): renaming a
 * field must not re-send (and re-bill) a finished batch.
 *
 * <p>Version 1, every fingerprint written so far: these fields, in this order, joined by U+0000 — the
 * literal {@code v1}; input_sha256; prompt and system (U+0001 when absent); max_tokens, temperature and
 * top_p as Java prints an Integer / Double ({@code null} when absent); the model; then the preparation as
 * one text, {@code NormalizerSettings{normalize=.., targetRate=.., targetLufs=.., peakCeilingDbfs=..,
 * maxGainDb=.., loudness=.., trimSilence=.., silenceThresholdDbfs=.., trimPaddingSeconds=..}
 * SegmentPolicy[split=.., maxSeconds=.., maxRequestBytes=..]} (the spelling the two classes' toString()
 * had when version 1 was fixed; it is spelled out here so it stays). A new setting that changes what is
 * sent needs a new version, and resume must go on accepting version 1 for items it can describe.
 */
public final class ItemFingerprint {
  /** The canonical text's version, as the ledger's {@code fingerprint_version} records it. */
  public static final int VERSION_NUMBER = 1;

  /** The canonical text's version, its first field. */
  static final String VERSION = "v" + VERSION_NUMBER;

  private ItemFingerprint() {}

  /** The fingerprint of one item as prepared with {@code audio} and split by {@code segments}. */
  public static String of(ManifestItem item, String inputSha256, String model,
      NormalizerSettings audio, SegmentPolicy segments) {
    return sha256Hex(canonical(item, inputSha256, model, audio, segments));
  }

  /** The text hashed (see the class comment). */
  static String canonical(ManifestItem item, String inputSha256, String model,
      NormalizerSettings audio, SegmentPolicy segments) {
    return String.join("\u0000",
        VERSION, inputSha256, textOrAbsent(item.params().prompt()), textOrAbsent(item.params().system()),
        String.valueOf(item.params().maxTokens()), String.valueOf(item.params().temperature()),
        String.valueOf(item.params().topP()),
        model, preparation(audio, segments));
  }

  private static String preparation(NormalizerSettings a, SegmentPolicy s) {
    return "NormalizerSettings{normalize=" + a.normalize()
        + ", targetRate=" + a.targetRate()
        + ", targetLufs=" + a.targetLufs()
        + ", peakCeilingDbfs=" + a.peakCeilingDbfs()
        + ", maxGainDb=" + a.maxGainDb()
        + ", loudness=" + a.loudness()
        + ", trimSilence=" + a.trimSilence()
        + ", silenceThresholdDbfs=" + a.silenceThresholdDbfs()
        + ", trimPaddingSeconds=" + a.trimPaddingSeconds()
        + "} SegmentPolicy[split=" + s.split()
        + ", maxSeconds=" + s.maxSeconds()
        + ", maxRequestBytes=" + s.maxRequestBytes()
        + "]";
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

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static String textOrAbsent(String s) {
    return s == null ? "\u0001" : s;
  }
}
