package io.glmvoicebatch.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The API key ({@code <id>.<secret>}) and how to present it. {@link #toString()} never shows the key;
 * no exception message built here contains it. Note: Java serialization (how Beam ships settings to
 * workers) does carry the key, as it must.
 */
public final class ApiCredentials implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Environment variable the official SDKs read. */
  public static final String ENV_VAR = "ZHIPUAI_API_KEY";
  /** Token lifetime the official Java SDKs use. */
  public static final Duration DEFAULT_JWT_TTL = Duration.ofMinutes(30);
  /** Renew a cached JWT this long before it expires (at most a quarter of its lifetime). */
  public static final Duration JWT_RENEW_MARGIN = Duration.ofSeconds(30);

  private static final JsonFactory JSON = new JsonFactory();

  private final String key;
  private final AuthMode mode;
  private final Duration jwtTtl;

  private transient String cachedToken;
  private transient long cachedRenewAtMs;
  private transient long lastTimestampMs;

  private ApiCredentials(String key, AuthMode mode, Duration jwtTtl) {
    this.key = key;
    this.mode = mode;
    this.jwtTtl = jwtTtl;
  }

  /** Sends {@code Authorization: Bearer <key>} (what current official SDKs do). */
  public static ApiCredentials rawKey(String key) {
    return new ApiCredentials(checkKey(key, false), AuthMode.RAW_KEY, null);
  }

  /** Sends a HS256 JWT built from the key, valid for {@code ttl}, cached and renewed before expiry. */
  public static ApiCredentials jwt(String key, Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.compareTo(Duration.ofSeconds(10)) < 0) {
      throw new IllegalArgumentException("JWT ttl must be at least 10 s: " + ttl);
    }
    return new ApiCredentials(checkKey(key, true), AuthMode.JWT, ttl);
  }

  /**
   * The key from {@code envValue} (pass {@code System.getenv(ENV_VAR)}) if non-blank, else the trimmed
   * contents of {@code keyFileOrNull}. JWT mode uses {@link #DEFAULT_JWT_TTL}.
   */
  public static ApiCredentials fromEnvironmentOrFile(String envValue, Path keyFileOrNull, AuthMode mode) {
    Objects.requireNonNull(mode, "mode");
    String key = envValue == null ? "" : envValue.trim();
    if (key.isEmpty()) {
      if (keyFileOrNull == null) {
        throw new IllegalArgumentException("no API key: set " + ENV_VAR + " or give a key file");
      }
      try {
        key = Files.readString(keyFileOrNull, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        // The path is not secret; the exception never sees the key's contents.
        throw new UncheckedIOException("cannot read API key file " + keyFileOrNull, e);
      }
      if (key.isEmpty()) {
        throw new IllegalArgumentException("API key file is empty: " + keyFileOrNull);
      }
    }
    return mode == AuthMode.JWT ? jwt(key, DEFAULT_JWT_TTL) : rawKey(key);
  }

  private static String checkKey(String key, boolean needsIdAndSecret) {
    Objects.requireNonNull(key, "key");
    String k = key.trim();
    if (k.isEmpty()) {
      throw new IllegalArgumentException("API key is blank");
    }
    for (int i = 0; i < k.length(); i++) {
      char c = k.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException("API key contains a space or non-ASCII character at index " + i);
      }
    }
    if (needsIdAndSecret) {
      int dot = k.indexOf('.');
      if (dot <= 0 || dot == k.length() - 1 || k.indexOf('.', dot + 1) >= 0) {
        throw new IllegalArgumentException("JWT mode needs a key of the form <id>.<secret>");
      }
    }
    return k;
  }

  public AuthMode mode() {
    return mode;
  }

  /** The JWT lifetime, null in raw-key mode. */
  public Duration jwtTtl() {
    return jwtTtl;
  }

  /** The token for the Authorization header at {@code nowMs}: the key itself or a cached JWT. */
  synchronized String bearerToken(long nowMs) {
    if (mode == AuthMode.RAW_KEY) {
      return key;
    }
    if (cachedToken == null || nowMs >= cachedRenewAtMs) {
      // A renewed token must differ from the one the service rejected, even within the same millisecond.
      long ts = Math.max(nowMs, lastTimestampMs + 1);
      lastTimestampMs = ts;
      cachedToken = buildJwt(ts);
      long ttl = jwtTtl.toMillis();
      cachedRenewAtMs = ts + ttl - Math.min(JWT_RENEW_MARGIN.toMillis(), ttl / 4);
    }
    return cachedToken;
  }

  /** Drops the cached JWT if it is still {@code rejectedToken} (the service answered 1003). */
  synchronized void invalidate(String rejectedToken) {
    if (cachedToken != null && cachedToken.equals(rejectedToken)) {
      cachedToken = null;
    }
  }

  private String buildJwt(long nowMs) {
    int dot = key.indexOf('.');
    String id = key.substring(0, dot);
    byte[] secret = key.substring(dot + 1).getBytes(StandardCharsets.UTF_8);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"HS256\",\"sign_type\":\"SIGN\"}".getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream payload = new ByteArrayOutputStream(128);
    try (JsonGenerator g = JSON.createGenerator(payload)) {
      g.writeStartObject();
      g.writeStringField("api_key", id);
      g.writeNumberField("exp", nowMs + jwtTtl.toMillis());
      g.writeNumberField("timestamp", nowMs);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JWT payload", e); // in-memory: cannot happen
    }
    String signingInput = header + "." + b64.encodeToString(payload.toByteArray());
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] sig = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64.encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** {@code text} with the key, its halves and the current token replaced by "***". */
  String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text.replace(key, "***");
    int dot = key.indexOf('.');
    if (dot > 0) {
      String id = key.substring(0, dot);
      String secret = key.substring(dot + 1);
      if (secret.length() >= 6) {
        out = out.replace(secret, "***");
      }
      if (id.length() >= 6) {
        out = out.replace(id, "***");
      }
    }
    String token;
    synchronized (this) {
      token = cachedToken;
    }
    if (token != null) {
      out = out.replace(token, "***");
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiCredentials c && c.key.equals(key) && c.mode == mode && Objects.equals(c.jwtTtl, jwtTtl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, mode, jwtTtl);
  }

  @Override
  public String toString() {
    return "ApiCredentials[key=***]";
  }
}
