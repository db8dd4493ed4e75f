package io.glmvoicebatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** Streaming, the async variant, multi-turn billing, the stats endpoint and the CLI. */
class ProtocolExtrasTest {
  static GlmVoiceSimulator start(FaultPlan plan) throws IOException {
    return GlmVoiceSimulator.start(
        SimulatorConfig.builder().latency(LatencyModel.fixed(Duration.ofMillis(5))).faults(plan).build());
  }

  static List<String> sseData(SimClient c, ObjectNode body) throws IOException {
    Request req =
        new Request.Builder()
            .url(c.baseUrl + "/chat/completions")
            .header("Authorization", c.authorization)
            .post(RequestBody.create(SimClient.JSON.writeValueAsString(body), SimClient.JSON_TYPE))
            .build();
    try (Response r = c.http.newCall(req).execute()) {
      assertEquals(200, r.code());
      assertTrue(r.header("Content-Type").startsWith("text/event-stream"));
      List<String> data = new ArrayList<>();
      for (String frame : r.body().string().split("\n\n")) {
        assertTrue(frame.startsWith("data: "), frame);
        data.add(frame.substring(6));
      }
      return data;
    }
  }

  @Test
  void streamingSendsSseFramesEndingWithDoneAndUsageOnTheLastChunk() throws Exception {
    try (GlmVoiceSimulator sim = start(FaultPlan.none())) {
      SimClient c = new SimClient(sim);
      ObjectNode body = SimClient.audioRequest(TestAudio.wavSeconds(2, 16_000), null).put("stream", true);
      List<String> data = sseData(c, body);
      assertEquals("[DONE]", data.get(data.size() - 1));
      StringBuilder text = new StringBuilder();
      ByteArrayOutputStream pcm = new ByteArrayOutputStream();
      JsonNode last = null;
      for (String d : data.subList(0, data.size() - 1)) {
        JsonNode chunk = SimClient.JSON.readTree(d);
        JsonNode delta = chunk.path("choices").path(0).path("delta");
        text.append(delta.path("content").asText(""));
        if (delta.has("audio")) {
          pcm.write(Base64.getDecoder().decode(delta.path("audio").path("data").asText()));
        }
        last = chunk;
      }
      assertEquals("stop", last.path("choices").path(0).path("finish_reason").asText());
      long completion = last.path("usage").path("completion_tokens").asLong();
      assertEquals(
          io.glmvoicebatch.api.TokenEstimate.textTokens(text.toString())
              + io.glmvoicebatch.api.TokenEstimate.audioTokens(pcm.size() / 2, 44_100),
          completion);
      assertEquals(25, last.path("usage").path("prompt_tokens").asLong());
      assertTrue(TestAudio.rms(pcm.toByteArray(), 0) > 0.03);
      assertEquals(sim.stats().totalTokensBilled(), last.path("usage").path("total_tokens").asLong());
    }
  }

  @Test
  void droppedStreamEndsWithoutDone() throws Exception {
    try (GlmVoiceSimulator sim = start(FaultPlan.builder().rate(FaultKind.DROP_CONNECTION_MID_BODY, 1).build())) {
      SimClient c = new SimClient(sim);
      ObjectNode body = SimClient.audioRequest(TestAudio.wavSeconds(2, 16_000), null).put("stream", true);
      assertThrows(IOException.class, () -> sseData(c, body));
      assertEquals(1, sim.stats().droppedConnections());
      assertTrue(sim.stats().totalTokensBilled() > 0);
    }
  }

  @Test
  void asyncTaskGoesFromProcessingToSuccess() throws Exception {
    try (GlmVoiceSimulator sim =
        GlmVoiceSimulator.start(SimulatorConfig.builder().latency(LatencyModel.fixed(Duration.ofMillis(300))).build())) {
      SimClient c = new SimClient(sim);
      ObjectNode body = SimClient.audioRequest(TestAudio.wavSeconds(1, 16_000), null).put("request_id", "async-0001");
      SimClient.Reply submitted =
          c.post("/async/chat/completions", SimClient.JSON.writeValueAsString(body), SimClient.JSON_TYPE);
      assertEquals(200, submitted.status());
      JsonNode s = submitted.json();
      assertEquals("PROCESSING", s.path("task_status").asText());
      assertEquals("async-0001", s.path("request_id").asText());
      String id = s.path("id").asText();
      assertEquals("PROCESSING", c.get(c.baseUrl + "/async-result/" + id).json().path("task_status").asText());
      JsonNode done = c.get(c.baseUrl + "/async-result/" + id).json();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while ("PROCESSING".equals(done.path("task_status").asText()) && System.nanoTime() < deadline) {
        Thread.sleep(20); // a poll's pace, not a wait for the task
        done = c.get(c.baseUrl + "/async-result/" + id).json();
      }
      assertEquals("SUCCESS", done.path("task_status").asText());
      assertEquals(13, done.path("usage").path("prompt_tokens").asLong());
      assertTrue(SimClient.replyAudio(done).length > 0);
      assertEquals("1214", c.get(c.baseUrl + "/async-result/nope").errorCode());
    }
  }

  @Test
  void assistantTurnReferencingAnEarlierReplyAudioIsBilledAsPrompt() throws Exception {
    try (GlmVoiceSimulator sim = start(FaultPlan.none())) {
      SimClient c = new SimClient(sim);
      JsonNode first = c.post(SimClient.textRequest("hello")).json();
      JsonNode msg = first.path("choices").path(0).path("message");
      long replyAudioTokens =
          io.glmvoicebatch.api.TokenEstimate.audioTokens(SimClient.replyAudio(first).length / 2, 44_100);
      ObjectNode second = SimClient.textRequest("and then?");
      second.withArray("messages").insertObject(0).put("role", "user").put("content", "hello");
      ObjectNode assistant = second.withArray("messages").insertObject(1).put("role", "assistant");
      assistant.put("content", msg.path("content").asText());
      assistant.putObject("audio").put("id", msg.path("audio").path("id").asText());
      JsonNode r = c.post(second).json();
      long text = io.glmvoicebatch.api.TokenEstimate.textTokens("hello\n" + msg.path("content").asText() + "\nand then?");
      assertEquals(text + replyAudioTokens, r.path("usage").path("prompt_tokens").asLong());
    }
  }

  @Test
  void statsAreServedAsJsonOutsideTheApiPrefixAndCanBeReset() throws Exception {
    try (GlmVoiceSimulator sim = start(FaultPlan.none())) {
      SimClient c = new SimClient(sim);
      c.post(SimClient.textRequest("hello").put("request_id", "stats-0001"));
      c.post(SimClient.textRequest("hello").put("model", "nope"));
      String statsUrl = "http://127.0.0.1:" + sim.port() + "/simulator/stats";
      SimClient.Reply r = c.get(statsUrl);
      assertEquals(200, r.status());
      JsonNode j = r.json();
      assertEquals(2, j.path("requests").asLong());
      assertEquals(1, j.path("okReplies").asLong());
      assertEquals(sim.stats().totalTokensBilled(), j.path("totalTokensBilled").asLong());
      assertEquals(1, j.path("errorsByCode").path("1211").asLong());
      assertEquals("stats-0001", j.path("requestIdsSeen").path(0).asText());
      assertTrue(j.path("billedTokensByRequestId").path("stats-0001").asLong() > 0);
      for (String field : List.of("promptTokensBilled", "completionTokensBilled", "maxInFlight", "tooManyRequestsSent", "concurrencyRejections")) {
        assertTrue(j.has(field), field);
      }
      SimClient.Reply reset =
          c.execute(new Request.Builder().url("http://127.0.0.1:" + sim.port() + "/simulator/reset").post(RequestBody.create(new byte[0])).build());
      assertEquals(200, reset.status());
      assertEquals(0, sim.stats().requests());
      sim.resetStats();
      assertFalse(sim.stats().requestIdsSeen().contains("stats-0001"));
    }
  }

  @Test
  void mainParsesItsOptions() throws Exception {
    SimulatorConfig cfg =
        SimulatorMain.parse(
            new String[] {
              "--port=0", "--maxInFlight=10", "--reservedForOthers=2", "--latency=longtail:800,5000",
              "--replyAudio=wav", "--faultRate=0.12", "--fault=NO_AUDIO:0.01", "--seed=7", "--arrearsAfterTokens=1000000"
            });
    assertEquals(10, cfg.maxInFlight());
    assertEquals(2, cfg.reservedForOthers().slotsHeldAt(Duration.ZERO));
    assertEquals(ReplyAudioForm.WAV, cfg.replyAudioForm());
    assertEquals(7, cfg.seed());
    assertEquals(0.13, cfg.faults().rates().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    assertEquals(1_000_000, cfg.faults().arrearsAfterTokens());
    assertEquals(8765, SimulatorMain.parse(new String[0]).port());
    assertThrows(IllegalArgumentException.class, () -> SimulatorMain.parse(new String[] {"--bogus=1"}));
  }
}
