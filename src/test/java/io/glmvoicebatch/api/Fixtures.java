package io.glmvoicebatch.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glmvoicebatch.testing.TestWavs;
import java.time.Duration;
import java.util.Base64;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;

/** Test data: WAV files, service replies, settings pointing at a loopback server. */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "0123456789abcdef0123456789abcdef.SeCrEtPaRtOfTheKey42";

  private Fixtures() {}

  /** A 16-bit PCM WAV with a ramp, written by hand so tests do not depend on the code under test. */
  static byte[] wav(int rate, int channels, int frames) {
    short[] samples = new short[frames * channels];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (short) ((i * 37) % 20000 - 10000);
    }
    return TestWavs.pcm16(rate, channels, samples);
  }

  static byte[] rawPcm(int frames) {
    byte[] pcm = new byte[frames * 2];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (byte) i;
    }
    return pcm;
  }

  static ObjectNode reply(byte[] audio, boolean withUsage) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "20250605132035222ead927d794645");
    root.put("object", "chat.completion");
    root.put("created", 1749187238);
    root.put("model", "glm-4-voice");
    ArrayNode choices = root.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    choice.put("finish_reason", "stop");
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", "你好，我是语音助手");
    if (audio != null) {
      ObjectNode a = message.putObject("audio");
      a.put("id", "f8d4bf4b-a376-48e6-8c81-54bb6a9a31d0");
      a.put("data", Base64.getEncoder().encodeToString(audio));
      a.put("expires_at", 1749187238);
    }
    if (withUsage) {
      ObjectNode u = root.putObject("usage");
      u.put("prompt_tokens", 107);
      u.put("completion_tokens", 340);
      u.put("total_tokens", 447);
    }
    return root;
  }

  static MockResponse ok() {
    return ok(reply(wav(22050, 1, 2205), true));
  }

  static MockResponse ok(ObjectNode body) {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }

  static MockResponse error(int status, String code, String message) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode e = root.putObject("error");
    e.put("code", code);
    e.put("message", message);
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
        .setBody(root.toString());
  }

  static ChatRequest request(String id) {
    return ChatRequest.builder().requestId(id).audio(wav(16000, 1, 1600)).build();
  }

  static ClientSettings.Builder settings(MockWebServer server) {
    return settings(server.url("/api/paas/v4").toString());
  }

  static ClientSettings.Builder settings(String endpoint) {
    return ClientSettings.builder()
        .endpoint(endpoint)
        .credentials(ApiCredentials.rawKey(KEY))
        .maxInFlight(5)
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(5))
        .retryPolicy(RetryPolicy.builder().baseDelay(Duration.ofMillis(20)).maxDelay(Duration.ofMillis(100)).build());
  }
}
