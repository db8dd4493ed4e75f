package io.glmvoicebatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Raw key and JWT bearer tokens, and every documented 401 path. */
class AuthTest {
  static final String ID = "a1b2c3d4e5";
  static final String SECRET = "s3cr3tValue";
  static GlmVoiceSimulator sim;
  static SimClient client;

  @BeforeAll
  static void start() throws Exception {
    sim =
        GlmVoiceSimulator.start(
            SimulatorConfig.builder().apiKey(ID + "." + SECRET).latency(LatencyModel.fixed(Duration.ZERO)).build());
    client = new SimClient(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  /** Built here independently of the simulator's verifier, the way the official SDKs do. */
  static String jwt(String header, String payload, String secret) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }

  static String sdkJwt(long expMillis) throws Exception {
    long now = System.currentTimeMillis();
    return jwt(
        "{\"alg\":\"HS256\",\"sign_type\":\"SIGN\"}",
        "{\"api_key\":\"" + ID + "\",\"exp\":" + expMillis + ",\"timestamp\":" + now + "}",
        SECRET);
  }

  SimClient.Reply call(String authorization) throws Exception {
    client.authorization = authorization;
    return client.post(SimClient.textRequest("hello"));
  }

  @Test
  void rawKeyIsAccepted() throws Exception {
    assertEquals(200, call("Bearer " + ID + "." + SECRET).status());
  }

  @Test
  void validJwtIsAccepted() throws Exception {
    assertEquals(200, call("Bearer " + sdkJwt(System.currentTimeMillis() + 210_000)).status());
    String withTyp =
        jwt(
            "{\"alg\":\"HS256\",\"sign_type\":\"SIGN\",\"typ\":\"JWT\"}",
            "{\"api_key\":\"" + ID + "\",\"exp\":" + (System.currentTimeMillis() + 60_000) + ",\"timestamp\":1}",
            SECRET);
    assertEquals(200, call("Bearer " + withTyp).status());
  }

  @Test
  void missingHeaderIs1001() throws Exception {
    SimClient.Reply r = call(null);
    assertEquals(401, r.status());
    assertEquals("1001", r.errorCode());
  }

  @Test
  void wrongRawKeyIs1000() throws Exception {
    SimClient.Reply r = call("Bearer " + ID + ".wrong");
    assertEquals(401, r.status());
    assertEquals("1000", r.errorCode());
    assertEquals("1000", call(ID + "." + SECRET).errorCode(), "Bearer prefix is required");
  }

  @Test
  void expiredJwtIs1003() throws Exception {
    SimClient.Reply r = call("Bearer " + sdkJwt(System.currentTimeMillis() - 1000));
    assertEquals(401, r.status());
    assertEquals("1003", r.errorCode());
  }

  @Test
  void expiryInSecondsInsteadOfMillisecondsLooksExpired() throws Exception {
    assertEquals("1003", call("Bearer " + sdkJwt(System.currentTimeMillis() / 1000 + 3600)).errorCode());
  }

  @Test
  void forgedOrForeignJwtIs1002() throws Exception {
    long exp = System.currentTimeMillis() + 60_000;
    String wrongSecret =
        jwt("{\"alg\":\"HS256\",\"sign_type\":\"SIGN\"}", "{\"api_key\":\"" + ID + "\",\"exp\":" + exp + ",\"timestamp\":1}", "nope");
    assertEquals("1002", call("Bearer " + wrongSecret).errorCode());
    String otherKey =
        jwt("{\"alg\":\"HS256\",\"sign_type\":\"SIGN\"}", "{\"api_key\":\"other\",\"exp\":" + exp + ",\"timestamp\":1}", SECRET);
    assertEquals("1002", call("Bearer " + otherKey).errorCode());
    String noSignType =
        jwt("{\"alg\":\"HS256\"}", "{\"api_key\":\"" + ID + "\",\"exp\":" + exp + ",\"timestamp\":1}", SECRET);
    assertEquals("1002", call("Bearer " + noSignType).errorCode());
    String base64Secret =
        jwt(
            "{\"alg\":\"HS256\",\"sign_type\":\"SIGN\"}",
            "{\"api_key\":\"" + ID + "\",\"exp\":" + exp + ",\"timestamp\":1}",
            new String(Base64.getDecoder().decode("czNjcjN0VmFsdWU="), StandardCharsets.UTF_8) + "x");
    assertEquals("1002", call("Bearer " + base64Secret).errorCode());
    assertEquals("1002", call("Bearer a.b.c").errorCode());
  }

  @Test
  void anyNonEmptyBearerIsAcceptedWithoutAConfiguredKey() throws Exception {
    try (GlmVoiceSimulator open = GlmVoiceSimulator.start(SimulatorConfig.builder().latency(LatencyModel.fixed(Duration.ZERO)).build())) {
      SimClient c = new SimClient(open);
      c.authorization = "Bearer whatever";
      assertEquals(200, c.post(SimClient.textRequest("hi")).status());
      c.authorization = "Bearer ";
      assertEquals("1001", c.post(SimClient.textRequest("hi")).errorCode());
      c.authorization = null;
      assertEquals("1001", c.post(SimClient.textRequest("hi")).errorCode());
    }
  }

  @Test
  void authFailuresAreNotBilled() throws Exception {
    long before = sim.stats().totalTokensBilled();
    call("Bearer nope.nope");
    assertEquals(before, sim.stats().totalTokensBilled());
  }
}
