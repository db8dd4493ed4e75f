package io.glmvoicebatch.simulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Derives the random stream of one attempt from (seed, request key, attempt number). Keying on
 * content rather than arrival order keeps outcomes reproducible under any concurrency.
 */
final class RequestRandom {
  private RequestRandom() {}

  static SplittableRandom forAttempt(long seed, String requestKey, int attempt) {
    long keyHash = ByteBuffer.wrap(sha256(requestKey.getBytes(StandardCharsets.UTF_8))).getLong();
    return new SplittableRandom(seed ^ (keyHash * 0x9E3779B97F4A7C15L) ^ ((long) attempt << 32));
  }

  /** Key of a request: its caller-chosen request_id, else a hash of the body bytes. */
  static String requestKey(String callerRequestId, byte[] body) {
    return callerRequestId != null
        ? "id:" + callerRequestId
        : "body:" + HexFormat.of().formatHex(sha256(body));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
