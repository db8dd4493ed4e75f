package io.glmvoicebatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glmvoicebatch.api.TokenEstimate;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The happy path: response shape and billing arithmetic. */
class ChatCompletionsTest {
  static GlmVoiceSimulator sim;
  static SimClient client;

  @BeforeAll
  static void start() throws Exception {
    sim = GlmVoiceSimulator.start(SimulatorConfig.builder().latency(LatencyModel.fixed(Duration.ofMillis(5))).build());
    client = new SimClient(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void baseUrlIsTheApiPrefixOnLoopback() {
    assertEquals("http://127.0.0.1:" + sim.port() + "/api/paas/v4", sim.baseUrl());
  }

  @Test
  void replyHasTheDocumentedShape() throws Exception {
    SimClient.Reply r = client.post(SimClient.audioRequest(TestAudio.wavSeconds(2.0, 16_000), "hello"));
    assertEquals(200, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/json"));
    JsonNode j = r.json();
    assertTrue(j.path("id").asText().matches("\\d{17}[0-9a-f]{13}"), j.path("id").asText());
    assertEquals("chat.completion", j.path("object").asText());
    assertTrue(j.path("created").isIntegralNumber());
    assertTrue(Math.abs(j.path("created").asLong() - System.currentTimeMillis() / 1000) < 60);
    assertEquals("glm-4-voice", j.path("model").asText());
    assertEquals(j.path("id").asText(), j.path("request_id").asText(), "no caller id: request_id = id");
    JsonNode choice = j.path("choices").path(0);
    assertEquals(0, choice.path("index").asInt());
    assertEquals("stop", choice.path("finish_reason").asText());
    assertEquals("assistant", choice.path("message").path("role").asText());
    assertTrue(choice.path("message").path("content").asText().length() > 10);
    JsonNode audio = choice.path("message").path("audio");
    UUID.fromString(audio.path("id").asText());
    assertTrue(audio.path("expires_at").isIntegralNumber());
    assertTrue(SimClient.replyAudio(j).length > 1000);
    JsonNode usage = j.path("usage");
    assertEquals(
        usage.path("prompt_tokens").asLong() + usage.path("completion_tokens").asLong(),
        usage.path("total_tokens").asLong());
  }

  @Test
  void callerRequestIdIsEchoed() throws Exception {
    ObjectNode body = SimClient.audioRequest(TestAudio.wavSeconds(1.0, 16_000), null);
    body.put("request_id", "item-000123");
    JsonNode j = client.post(body).json();
    assertEquals("item-000123", j.path("request_id").asText());
    assertTrue(sim.stats().requestIdsSeen().contains("item-000123"));
  }

  @Test
  void promptTokensAre12Point5PerSecondRoundedUpPlusText() throws Exception {
    String text = "Please answer briefly."; // 19 non-space chars -> 5 tokens
    JsonNode j = client.post(SimClient.audioRequest(TestAudio.wav(51_200, 16_000, 1), text)).json(); // 3.2 s
    assertEquals(40 + 5, j.path("usage").path("prompt_tokens").asLong());
    assertEquals(40 + TokenEstimate.textTokens(text), j.path("usage").path("prompt_tokens").asLong());

    // 1.01 s rounds up: ceil(12.625) = 13; stereo does not double it.
    JsonNode k = client.post(SimClient.audioRequest(TestAudio.wav(16_160, 16_000, 2), null)).json();
    assertEquals(13, k.path("usage").path("prompt_tokens").asLong());
  }

  @Test
  void systemAndAssistantTextAreBilledAsPrompt() throws Exception {
    ObjectNode body = SimClient.textRequest("你好世界"); // 4 CJK tokens
    body.withArray("messages").insertObject(0).put("role", "system").put("content", "abcdefgh"); // 2
    body.withArray("messages").insertObject(1).put("role", "assistant").put("content", "abcd"); // 1
    JsonNode j = client.post(body).json();
    assertEquals(TokenEstimate.textTokens("abcdefgh\nabcd\n你好世界"), j.path("usage").path("prompt_tokens").asLong());
    assertEquals(7, j.path("usage").path("prompt_tokens").asLong());
  }

  @Test
  void completionTokensMatchTheReplyTextAndAudio() throws Exception {
    JsonNode j = client.post(SimClient.audioRequest(TestAudio.wavSeconds(4.0, 16_000), null)).json();
    byte[] pcm = SimClient.replyAudio(j);
    long frames = pcm.length / 2; // raw s16le mono 44.1 kHz
    double seconds = frames / 44_100.0;
    assertTrue(seconds >= 2 && seconds <= 8, "reply speech " + seconds + " s");
    long expected =
        TokenEstimate.textTokens(j.path("choices").path(0).path("message").path("content").asText())
            + TokenEstimate.audioTokens(frames, 44_100);
    assertEquals(expected, j.path("usage").path("completion_tokens").asLong());
  }

  @Test
  void maxTokensBoundsTheCompletionAndReportsLength() throws Exception {
    for (int max : new int[] {1, 5, 20, 40}) {
      ObjectNode body = SimClient.audioRequest(TestAudio.wavSeconds(6.0, 16_000), null);
      body.put("max_tokens", max);
      JsonNode j = client.post(body).json();
      assertTrue(j.path("usage").path("completion_tokens").asLong() <= max, j.path("usage").toString());
      assertEquals("length", j.path("choices").path(0).path("finish_reason").asText());
    }
  }

  @Test
  void statsAddUpBilledTokensPerRequestId() throws Exception {
    ObjectNode body = SimClient.audioRequest(TestAudio.wavSeconds(1.0, 16_000), null);
    body.put("request_id", "billing-check-1");
    JsonNode a = client.post(body).json();
    JsonNode b = client.post(body).json(); // the same id twice: billed twice, visible in stats
    long total = a.path("usage").path("total_tokens").asLong() + b.path("usage").path("total_tokens").asLong();
    assertEquals(total, sim.stats().billedTokensByRequestId().get("billing-check-1"));
  }

  @Test
  void mp3DurationIsEstimatedFromFrameHeaders() throws Exception {
    // 100 MPEG-1 Layer III frames, 128 kbit/s, 44.1 kHz: 417 bytes each, 1152 samples -> 2.612 s.
    byte[] mp3 = new byte[100 * 417];
    for (int f = 0; f < 100; f++) {
      mp3[f * 417] = (byte) 0xFF;
      mp3[f * 417 + 1] = (byte) 0xFB;
      mp3[f * 417 + 2] = (byte) 0x90;
      mp3[f * 417 + 3] = (byte) 0x64;
    }
    ObjectNode body = SimClient.audioRequest(new byte[] {0}, null);
    ObjectNode audio = (ObjectNode) body.at("/messages/0/content/0/input_audio");
    audio.put("data", java.util.Base64.getEncoder().encodeToString(mp3)).put("format", "mp3");
    JsonNode j = client.post(body).json();
    assertEquals(TokenEstimate.audioTokens(115_200, 44_100), j.path("usage").path("prompt_tokens").asLong());
  }
}
