package io.glmvoicebatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The key must not appear in outcomes, exceptions, toString or logs, even when the service echoes it. */
class KeyLeakTest {
  private static final String SECRET = "SeCrEtPaRtOfTheKey42";
  private static final String ID = "0123456789abcdef0123456789abcdef";

  private static void assertClean(String text) {
    assertFalse(text.contains(SECRET), text);
    assertFalse(text.contains(ID), text);
  }

  /** Turns the client's slf4j-simple logger to DEBUG (it prints to the current System.err). */
  private static int setLevel(Logger logger, int level) throws Exception {
    Field f = logger.getClass().getDeclaredField("currentLogLevel");
    f.setAccessible(true);
    int old = f.getInt(logger);
    f.setInt(logger, level);
    return old;
  }

  @Test
  void echoedKeyIsMaskedInOutcomesAndLogs() throws Exception {
    Logger logger = LoggerFactory.getLogger(GlmVoiceClient.class);
    Assumptions.assumeTrue(logger.getClass().getName().equals("org.slf4j.simple.SimpleLogger"), "needs slf4j-simple");
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int oldLevel = setLevel(logger, 10); // DEBUG
    List<CallOutcome> outcomes;
    try (MockWebServer server = new MockWebServer()) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      server.start();
      server.enqueue(Fixtures.error(400, "1214", "invalid parameter near api key " + Fixtures.KEY));
      server.enqueue(Fixtures.error(500, "1234", "secret was " + SECRET));
      server.enqueue(new okhttp3.mockwebserver.MockResponse().setResponseCode(502).setBody("<html>key " + Fixtures.KEY + "</html>"));
      server.enqueue(Fixtures.error(401, "1002", "令牌无效: " + Fixtures.KEY));
      ClientSettings settings = Fixtures.settings(server)
          .retryPolicy(RetryPolicy.builder().maxAttempts(1).baseDelay(Duration.ZERO).maxDelay(Duration.ZERO).build())
          .build();
      try (GlmVoiceClient client = GlmVoiceClient.create(settings)) {
        CallOutcome a = client.submit(Fixtures.request("leak-item-1")).get(10, TimeUnit.SECONDS);
        CallOutcome b = client.submit(Fixtures.request("leak-item-2")).get(10, TimeUnit.SECONDS);
        CallOutcome c = client.submit(Fixtures.request("leak-item-3")).get(10, TimeUnit.SECONDS);
        CallOutcome d = client.submit(Fixtures.request("leak-item-4")).get(10, TimeUnit.SECONDS);
        outcomes = List.of(a, b, c, d);
        assertEquals("invalid parameter near api key ***", a.error().message());
        assertEquals("1002", d.error().code());
        assertClean(client.stopReason().toString());
        assertClean(client.settings().toString());
      }
    } finally {
      System.setErr(originalErr);
      setLevel(logger, oldLevel);
    }
    for (CallOutcome o : outcomes) {
      assertClean(o.toString());
      assertClean(o.error().message());
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("leak-item-1 attempt 1"), "debug log per attempt: " + log);
    assertTrue(log.contains("batch stopped"), log);
    assertClean(log);
  }

  @Test
  void echoedJwtIsMasked() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      ApiCredentials creds = ApiCredentials.jwt(ID + "." + SECRET, Duration.ofMinutes(30));
      String token = creds.bearerToken(System.currentTimeMillis());
      server.enqueue(Fixtures.error(400, "1214", "bad token " + token));
      try (GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(server).credentials(creds).build())) {
        CallOutcome o = client.submit(Fixtures.request("leak-jwt-1")).get(10, TimeUnit.SECONDS);
        assertEquals("bad token ***", o.error().message());
      }
    }
  }

  @Test
  void settingsErrorsDoNotEchoTheKey() {
    try {
      ClientSettings.builder().credentials(ApiCredentials.rawKey(Fixtures.KEY)).endpoint("http://example.com/v4").build();
    } catch (IllegalArgumentException e) {
      assertClean(e.getMessage());
      return;
    }
    throw new AssertionError("expected refusal");
  }
}
