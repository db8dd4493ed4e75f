package io.glmvoicebatch.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiCredentialsTest {
  private static final String ID = "0123456789abcdef0123456789abcdef";
  private static final String SECRET = "SeCrEtPaRtOfTheKey42";

  /** Decodes and verifies a token the way the service would; returns the payload. */
  static JsonNode verifyJwt(String token) throws Exception {
    String[] parts = token.split("\\.");
    assertEquals(3, parts.length);
    Base64.Decoder d = Base64.getUrlDecoder();
    JsonNode header = Fixtures.JSON.readTree(d.decode(parts[0]));
    assertEquals("HS256", header.get("alg").asText());
    assertEquals("SIGN", header.get("sign_type").asText());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(expected, d.decode(parts[2]), "HMAC-SHA256 over header.payload with the UTF-8 secret");
    assertFalse(parts[0].contains("=") || parts[1].contains("=") || parts[2].contains("="), "unpadded base64url");
    return Fixtures.JSON.readTree(d.decode(parts[1]));
  }

  @Test
  void jwtHasTheDocumentedStructureInMilliseconds() throws Exception {
    ApiCredentials c = ApiCredentials.jwt(ID + "." + SECRET, Duration.ofMinutes(3));
    long now = 1_750_000_000_000L;
    JsonNode payload = verifyJwt(c.bearerToken(now));
    assertEquals(ID, payload.get("api_key").asText());
    assertEquals(now, payload.get("timestamp").asLong());
    assertEquals(now + 180_000, payload.get("exp").asLong());
  }

  @Test
  void jwtIsCachedAndRenewedBeforeExpiry() {
    ApiCredentials c = ApiCredentials.jwt(ID + "." + SECRET, Duration.ofMinutes(3));
    long now = 1_750_000_000_000L;
    String t1 = c.bearerToken(now);
    assertEquals(t1, c.bearerToken(now + 100_000));
    assertNotEquals(t1, c.bearerToken(now + 151_000), "renewed 30 s before the 180 s expiry");
    String t2 = c.bearerToken(now + 151_000);
    c.invalidate("some-other-token");
    assertEquals(t2, c.bearerToken(now + 151_001));
    c.invalidate(t2);
    assertNotEquals(t2, c.bearerToken(now + 151_000), "a renewed token differs even within the same ms");
  }

  @Test
  void rawKeyIsSentAsIs() {
    assertEquals(ID + "." + SECRET, ApiCredentials.rawKey(" " + ID + "." + SECRET + "\n").bearerToken(0));
  }

  @Test
  void keyFromEnvironmentOrTrimmedFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("key.txt");
    Files.writeString(file, "  " + ID + "." + SECRET + "\n\n");
    assertEquals(ApiCredentials.rawKey(ID + "." + SECRET), ApiCredentials.fromEnvironmentOrFile(null, file, AuthMode.RAW_KEY));
    assertEquals(ApiCredentials.rawKey("env.key"), ApiCredentials.fromEnvironmentOrFile("env.key", file, AuthMode.RAW_KEY));
    assertEquals(AuthMode.JWT, ApiCredentials.fromEnvironmentOrFile(" ", file, AuthMode.JWT).mode());
    assertEquals(ApiCredentials.DEFAULT_JWT_TTL, ApiCredentials.fromEnvironmentOrFile(null, file, AuthMode.JWT).jwtTtl());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> ApiCredentials.fromEnvironmentOrFile("", null, AuthMode.RAW_KEY));
    assertTrue(none.getMessage().contains("ZHIPUAI_API_KEY"));
    Path empty = dir.resolve("empty.txt");
    Files.writeString(empty, " \n");
    assertThrows(IllegalArgumentException.class, () -> ApiCredentials.fromEnvironmentOrFile(null, empty, AuthMode.RAW_KEY));
  }

  @Test
  void badKeysAreRefusedWithoutEchoingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiCredentials.jwt("nodotsecret123", Duration.ofMinutes(1)));
    assertFalse(e.getMessage().contains("nodotsecret123"));
    IllegalArgumentException space = assertThrows(IllegalArgumentException.class, () -> ApiCredentials.rawKey("abc def.secret"));
    assertFalse(space.getMessage().contains("secret"));
  }

  @Test
  void toStringNeverShowsTheKey() {
    assertEquals("ApiCredentials[key=***]", ApiCredentials.rawKey(Fixtures.KEY).toString());
    assertEquals("ApiCredentials[key=***]", ApiCredentials.jwt(Fixtures.KEY, Duration.ofMinutes(1)).toString());
  }

  @Test
  void expiredTokenIsRenewedOnceThenRetried() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(Fixtures.error(401, "1003", "Token 已过期"));
      server.enqueue(Fixtures.ok());
      ClientSettings settings = Fixtures.settings(server)
          .credentials(ApiCredentials.jwt(ID + "." + SECRET, Duration.ofMinutes(30))).build();
      try (GlmVoiceClient client = GlmVoiceClient.create(settings)) {
        CallOutcome o = client.submit(Fixtures.request("jwt-item-1")).get(10, TimeUnit.SECONDS);
        assertTrue(o.ok(), o.toString());
        assertEquals(2, o.attempts());
        assertFalse(client.batchStopped());
      }
      RecordedRequest first = server.takeRequest();
      RecordedRequest second = server.takeRequest();
      String t1 = first.getHeader("Authorization").substring("Bearer ".length());
      String t2 = second.getHeader("Authorization").substring("Bearer ".length());
      assertNotEquals(t1, t2);
      verifyJwt(t1);
      verifyJwt(t2);
    }
  }

  @Test
  void expiredTokenTwiceStopsTheBatch() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(Fixtures.error(401, "1003", "Token 已过期"));
      server.enqueue(Fixtures.error(401, "1003", "Token 已过期"));
      ClientSettings settings = Fixtures.settings(server)
          .credentials(ApiCredentials.jwt(ID + "." + SECRET, Duration.ofMinutes(30))).build();
      try (GlmVoiceClient client = GlmVoiceClient.create(settings)) {
        CallOutcome o = client.submit(Fixtures.request("jwt-item-2")).get(10, TimeUnit.SECONDS);
        assertEquals("1003", o.error().code());
        assertEquals(2, o.attempts());
        assertTrue(client.batchStopped());
      }
    }
  }
}
