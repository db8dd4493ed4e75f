package io.glmvoicebatch.api;

import io.glmvoicebatch.manifest.RequestParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {
  private static ClientSettings.Builder base() {
    return ClientSettings.builder().credentials(ApiCredentials.rawKey(Fixtures.KEY));
  }

  @Test
  void defaultsFollowTheContract() {
    ClientSettings s = base().build();
    assertEquals("https://open.bigmodel.cn/api/paas/v4/chat/completions", s.chatCompletionsUrl());
    assertEquals(Duration.ofSeconds(8), s.connectTimeout());
    assertEquals(Duration.ofSeconds(300), s.readTimeout());
    assertEquals(Duration.ofSeconds(308), s.callTimeout());
    assertEquals(5, s.maxInFlight());
    assertTrue(s.adaptiveConcurrency());
    assertEquals(RawPcmFormat.S16LE_MONO_44100, s.rawReplyFormat());
    assertEquals(6, s.retryPolicy().maxAttempts());
    assertEquals(20, base().tier(Tier.V3).build().maxInFlight());
  }

  @Test
  void plainHttpOnlyToLoopbackUnlessAllowed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> base().endpoint("http://open.bigmodel.cn/api/paas/v4").build());
    assertTrue(e.getMessage().contains("plain http") && e.getMessage().contains("allowInsecureEndpoint"), e.getMessage());
    base().endpoint("http://127.0.0.1:8080/api/paas/v4/").build();
    base().endpoint("http://localhost:8080/api/paas/v4").build();
    base().endpoint("http://[::1]:8080/api/paas/v4").build();
    base().endpoint("http://10.0.0.5/api/paas/v4").allowInsecureEndpoint(true).build();
    assertThrows(IllegalArgumentException.class, () -> base().endpoint("http://10.0.0.5/x").build());
    assertThrows(IllegalArgumentException.class, () -> base().endpoint("ftp://x/y").build());
    assertEquals("https://api.z.ai/api/paas/v4", base().endpoint("https://api.z.ai/api/paas/v4/").build().endpoint());
  }

  @Test
  void settingsAreValuesThatSurviveSerialization() throws Exception {
    ClientSettings a = base().maxInFlight(10).build();
    ClientSettings b = base().maxInFlight(10).build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, base().maxInFlight(9).build());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(a);
    }
    ClientSettings copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ClientSettings) in.readObject();
    }
    assertEquals(a, copy);
  }

  @Test
  void toStringNeverShowsTheKey() {
    String s = base().build().toString();
    assertFalse(s.contains(Fixtures.KEY) || s.contains("SeCrEt") || s.contains("0123456789abcdef"), s);
    assertTrue(s.contains("ApiCredentials[key=***]"));
  }

  @Test
  void neverRetryCodesCannotBeMadeRetryable() {
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().retryableCodes(Set.of("1302", "1261")));
    RetryPolicy p = RetryPolicy.defaults();
    assertTrue(p.retryable("1302", 429));
    assertTrue(p.retryable("1305", 429));
    assertTrue(p.retryable("http_502", 502));
    assertTrue(p.retryable("9999", 503));
    assertFalse(p.retryable("1210", 400));
    assertFalse(p.retryable("1301", 500));
    assertFalse(p.retryable("1113", 429));
    assertFalse(p.retryable("1304", 429));
    assertTrue(p.stopsBatch("1113", 429));
    assertTrue(p.stopsBatch("http_401", 401));
    assertFalse(p.stopsBatch("1302", 429));
  }

  @Test
  void backoffIsFullJitterWithinCapsAndLongerWhenOverloaded() {
    RetryPolicy p = RetryPolicy.defaults();
    long maxSeen = 0;
    for (int i = 0; i < 2000; i++) {
      long d = p.backoffMillis(1, "1302");
      assertTrue(d >= 0 && d <= 500, "attempt 1 waits at most the base delay: " + d);
      assertTrue(p.backoffMillis(10, "500") <= 8000);
      long o = p.backoffMillis(10, "1305");
      assertTrue(o <= 32_000);
      maxSeen = Math.max(maxSeen, o);
    }
    assertTrue(maxSeen > 8000, "overload backoff exceeds the normal cap: " + maxSeen);
  }

  @Test
  void requestValidation() {
    assertThrows(IllegalArgumentException.class, () -> ChatRequest.builder().requestId("abc"));
    assertThrows(IllegalArgumentException.class, () -> ChatRequest.builder().requestId("x".repeat(65)));
    assertThrows(IllegalArgumentException.class, () -> ChatRequest.builder().requestId("has space"));
    assertThrows(IllegalArgumentException.class, () -> ChatRequest.builder().params(RequestParams.NONE.withMaxTokens(4097)));
    assertThrows(IllegalArgumentException.class, () -> ChatRequest.builder().params(RequestParams.NONE.withSampling(1.5, null)));
    assertThrows(IllegalArgumentException.class, () -> ChatRequest.builder().params(RequestParams.NONE.withSampling(null, 0.0)));
    assertThrows(IllegalArgumentException.class, () -> ChatRequest.builder().audio(new byte[4], "ogg"));
    assertThrows(IllegalStateException.class, () -> ChatRequest.builder().requestId("abcdef").build());
    byte[] audio = Fixtures.wav(16000, 1, 10);
    ChatRequest r = ChatRequest.builder().requestId("abcdef").audio(audio).build();
    audio[50] = 99;
    assertNotEquals(99, r.audio()[50], "builder copies the audio");
    assertEquals("glm-4-voice", r.model());
  }
}
