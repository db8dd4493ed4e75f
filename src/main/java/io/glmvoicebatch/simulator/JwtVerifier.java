package io.glmvoicebatch.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the JWT form of the API key, as the official SDKs build it: HS256, header
 * {@code sign_type: "SIGN"}, payload {@code api_key, exp, timestamp} with both times in
 * milliseconds, HMAC key = UTF-8 bytes of the secret (not base64-decoded).
 */
final class JwtVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String keyId;
  private final byte[] secret;
  private final Clock clock;

  JwtVerifier(String keyId, String secret, Clock clock) {
    this.keyId = keyId;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
  }

  static boolean looksLikeJwt(String token) {
    return token.chars().filter(c -> c == '.').count() == 2;
  }

  /** Throws 1002 for anything malformed, forged or for another key; 1003 when expired. */
  void verify(String token) throws ServiceErrorException {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw ServiceErrorException.tokenInvalid("not a JWT");
    }
    JsonNode header = decodeJson(parts[0], "header");
    if (!"HS256".equals(header.path("alg").asText(null))) {
      throw ServiceErrorException.tokenInvalid("alg must be HS256");
    }
    if (!"SIGN".equals(header.path("sign_type").asText(null))) {
      throw ServiceErrorException.tokenInvalid("header sign_type must be SIGN");
    }
    byte[] expected = hmac((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    byte[] actual = decodeBase64Url(parts[2], "signature");
    // Checked before the claims so a forged token never learns whether its claims were right.
    if (!MessageDigest.isEqual(expected, actual)) {
      throw ServiceErrorException.tokenInvalid("bad signature");
    }
    JsonNode payload = decodeJson(parts[1], "payload");
    if (!keyId.equals(payload.path("api_key").asText(null))) {
      throw ServiceErrorException.tokenInvalid("api_key does not match");
    }
    JsonNode exp = payload.get("exp");
    JsonNode timestamp = payload.get("timestamp");
    if (exp == null || !exp.isIntegralNumber() || timestamp == null || !timestamp.isIntegralNumber()) {
      throw ServiceErrorException.tokenInvalid("exp and timestamp must be integers (epoch ms)");
    }
    // exp is in milliseconds: a client sending seconds produces an "expired" token, as on the real service.
    if (exp.asLong() <= clock.millis()) {
      throw ServiceErrorException.tokenExpired();
    }
  }

  private byte[] hmac(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static JsonNode decodeJson(String part, String what) throws ServiceErrorException {
    try {
      JsonNode node = JSON.readTree(decodeBase64Url(part, what));
      if (node == null || !node.isObject()) {
        throw ServiceErrorException.tokenInvalid(what + " is not a JSON object");
      }
      return node;
    } catch (java.io.IOException e) {
      throw ServiceErrorException.tokenInvalid(what + " is not JSON");
    }
  }

  private static byte[] decodeBase64Url(String part, String what) throws ServiceErrorException {
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw ServiceErrorException.tokenInvalid(what + " is not base64url");
    }
  }
}
