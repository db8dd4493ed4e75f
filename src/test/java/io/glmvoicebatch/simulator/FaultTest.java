package io.glmvoicebatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Each fault kind does what it says, and is billed or not as the billing rule says. */
class FaultTest {
  static final byte[] WAV = TestAudio.wavSeconds(1.0, 16_000);

  static GlmVoiceSimulator start(FaultPlan plan) throws IOException {
    return GlmVoiceSimulator.start(
        SimulatorConfig.builder().latency(LatencyModel.fixed(Duration.ofMillis(1))).faults(plan).build());
  }

  static GlmVoiceSimulator always(FaultKind kind) throws IOException {
    return start(FaultPlan.builder().rate(kind, 1.0).build());
  }

  static ObjectNode request(String requestId) {
    return SimClient.audioRequest(WAV, "hi").put("request_id", requestId);
  }

  @Test
  void server500IsNotBilled() throws Exception {
    try (GlmVoiceSimulator sim = always(FaultKind.SERVER_500)) {
      SimClient.Reply r = new SimClient(sim).post(request("fault-500-1"));
      assertEquals(500, r.status());
      assertEquals("500", r.errorCode());
      assertEquals(0, sim.stats().totalTokensBilled());
      assertEquals(1L, sim.stats().errorsByCode().get("500"));
    }
  }

  @Test
  void overloadedIs429Code1305() throws Exception {
    try (GlmVoiceSimulator sim = always(FaultKind.OVERLOADED_1305)) {
      SimClient.Reply r = new SimClient(sim).post(request("fault-1305-1"));
      assertEquals(429, r.status());
      assertEquals("1305", r.errorCode());
      assertEquals(0, sim.stats().totalTokensBilled());
    }
  }

  @Test
  void concurrencyBurstRejectsTheNextFewRequestsToo() throws Exception {
    try (GlmVoiceSimulator sim =
        start(FaultPlan.builder().onRequestNumbers(FaultKind.CONCURRENCY_1302_BURST, 1).burstLength(3).build())) {
      SimClient c = new SimClient(sim);
      for (int i = 0; i < 3; i++) {
        SimClient.Reply r = c.post(request("burst-00" + i));
        assertEquals(429, r.status());
        assertEquals("1302", r.errorCode());
      }
      assertEquals(200, c.post(request("burst-004")).status());
      SimulatorStats s = sim.stats();
      assertEquals(3, s.tooManyRequestsSent());
      assertEquals(0, s.concurrencyRejections(), "injected, not caused by in-flight count");
    }
  }

  @Test
  void droppedConnectionFailsTheClientButIsBilled() throws Exception {
    try (GlmVoiceSimulator sim = start(FaultPlan.builder().onRequestNumbers(FaultKind.DROP_CONNECTION_MID_BODY, 1).build())) {
      SimClient c = new SimClient(sim);
      assertThrows(IOException.class, () -> c.post(request("drop-000001")));
      SimulatorStats s = sim.stats();
      assertEquals(1, s.droppedConnections());
      assertEquals(0, s.okReplies());
      assertTrue(s.billedTokensByRequestId().get("drop-000001") > 0, "the service did the work");
      // The retry succeeds and is billed again: the double billing is visible per request_id.
      long first = s.billedTokensByRequestId().get("drop-000001");
      JsonNode retry = c.post(request("drop-000001")).json();
      assertEquals(
          first + retry.path("usage").path("total_tokens").asLong(),
          sim.stats().billedTokensByRequestId().get("drop-000001").longValue());
    }
  }

  @Test
  void htmlBadGatewayPage() throws Exception {
    try (GlmVoiceSimulator sim = always(FaultKind.HTML_502)) {
      SimClient.Reply r = new SimClient(sim).post(request("fault-502-1"));
      assertEquals(502, r.status());
      assertTrue(r.contentType().startsWith("text/html"));
      assertTrue(r.body().contains("502 Bad Gateway"));
      assertEquals(0, sim.stats().totalTokensBilled());
      assertEquals(1L, sim.stats().errorsByCode().get("502"));
    }
  }

  @Test
  void slowTrickleDeliversAValidBodySlowly() throws Exception {
    try (GlmVoiceSimulator sim =
        start(FaultPlan.builder().rate(FaultKind.SLOW_TRICKLE, 1).trickleDuration(Duration.ofMillis(900)).build())) {
      long t0 = System.nanoTime();
      SimClient.Reply r = new SimClient(sim).post(request("trickle-01"));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(200, r.status());
      assertTrue(ms >= 800, "took " + ms + " ms");
      assertTrue(r.json().path("usage").path("total_tokens").asLong() > 0);
      assertTrue(sim.stats().totalTokensBilled() > 0);
    }
  }

  @Test
  void injected401() throws Exception {
    try (GlmVoiceSimulator sim = always(FaultKind.UNAUTHORIZED_401)) {
      SimClient.Reply r = new SimClient(sim).post(request("fault-401-1"));
      assertEquals(401, r.status());
      assertEquals("1000", r.errorCode());
    }
  }

  @Test
  void arrearsAfterTheTokenThresholdStopsEverything() throws Exception {
    try (GlmVoiceSimulator sim = start(FaultPlan.builder().arrearsAfterTokens(50).build())) {
      SimClient c = new SimClient(sim);
      assertEquals(200, c.post(request("arrears-01")).status()); // > 50 tokens billed
      for (int i = 2; i < 5; i++) {
        SimClient.Reply r = c.post(request("arrears-0" + i));
        assertEquals(429, r.status());
        assertEquals("1113", r.errorCode());
      }
      assertEquals(3L, sim.stats().errorsByCode().get("1113"));
    }
  }

  @Test
  void sensitiveMarkerIsRefusedWith1301() throws Exception {
    try (GlmVoiceSimulator sim = start(FaultPlan.none())) {
      SimClient.Reply r = new SimClient(sim).post(SimClient.audioRequest(WAV, "tell me [[unsafe]] things"));
      assertEquals(400, r.status());
      assertEquals("1301", r.errorCode());
      assertEquals(0, sim.stats().totalTokensBilled());
    }
    try (GlmVoiceSimulator sim = start(FaultPlan.builder().sensitiveMarker("BAD-WORD").build())) {
      SimClient c = new SimClient(sim);
      assertEquals("1301", c.post(SimClient.textRequest("a BAD-WORD here")).errorCode());
      assertEquals(200, c.post(SimClient.textRequest("[[unsafe]] is not the marker now")).status());
    }
    try (GlmVoiceSimulator sim = start(FaultPlan.builder().sensitiveMarker(null).build())) {
      assertEquals(200, new SimClient(sim).post(SimClient.textRequest("[[unsafe]]")).status());
    }
  }

  @Test
  void missingUsageIsA200WithoutUsageButBilled() throws Exception {
    try (GlmVoiceSimulator sim = always(FaultKind.MISSING_USAGE)) {
      SimClient.Reply r = new SimClient(sim).post(request("no-usage-1"));
      assertEquals(200, r.status());
      assertFalse(r.json().has("usage"));
      assertTrue(r.json().path("choices").path(0).path("message").has("audio"));
      assertTrue(sim.stats().billedTokensByRequestId().get("no-usage-1") > 0);
    }
  }

  @Test
  void noAudioIsA200WithoutAudio() throws Exception {
    try (GlmVoiceSimulator sim = always(FaultKind.NO_AUDIO)) {
      SimClient.Reply r = new SimClient(sim).post(request("no-audio-1"));
      assertEquals(200, r.status());
      assertFalse(r.json().path("choices").path(0).path("message").has("audio"));
      assertTrue(r.json().has("usage"));
      assertTrue(sim.stats().totalTokensBilled() > 0);
    }
  }

  @Test
  void badBase64IsA200WhoseAudioDoesNotDecode() throws Exception {
    try (GlmVoiceSimulator sim = always(FaultKind.BAD_BASE64)) {
      SimClient.Reply r = new SimClient(sim).post(request("bad-b64-01"));
      assertEquals(200, r.status());
      String data = r.json().path("choices").path(0).path("message").path("audio").path("data").asText();
      assertThrows(IllegalArgumentException.class, () -> Base64.getDecoder().decode(data));
      assertThrows(IllegalArgumentException.class, () -> Base64.getMimeDecoder().decode(data));
      assertTrue(sim.stats().totalTokensBilled() > 0);
    }
  }

  @Test
  void markerTriggerFailsOnlyTheFirstAttemptsOfThatItem() throws Exception {
    try (GlmVoiceSimulator sim = start(FaultPlan.builder().onMarker(FaultKind.SERVER_500, "[[flaky]]", 2).build())) {
      SimClient c = new SimClient(sim);
      ObjectNode flaky = SimClient.audioRequest(WAV, "[[flaky]] item").put("request_id", "flaky-0001");
      assertEquals(500, c.post(flaky).status());
      assertEquals(500, c.post(flaky).status());
      assertEquals(200, c.post(flaky).status());
      assertEquals(200, c.post(request("steady-001")).status());
    }
  }

  @Test
  void retrySuffixedRequestIdsCountAsLaterAttemptsOfTheSameRequest() throws Exception {
    try (GlmVoiceSimulator sim = start(FaultPlan.builder().onMarker(FaultKind.SERVER_500, "[[flaky]]", 2).build())) {
      SimClient c = new SimClient(sim);
      ObjectNode flaky = SimClient.audioRequest(WAV, "[[flaky]] item");
      assertEquals(500, c.post(flaky.deepCopy().put("request_id", "gvbflaky01")).status());
      assertEquals(500, c.post(flaky.deepCopy().put("request_id", "gvbflaky01-r2")).status());
      assertEquals(200, c.post(flaky.deepCopy().put("request_id", "gvbflaky01-r3")).status());
      // "-r1" and "-rx" are not retry suffixes: their own first attempts.
      assertEquals(500, c.post(flaky.deepCopy().put("request_id", "gvbflaky02-r1")).status());
    }
  }

  @Test
  void firstAttemptsTriggerAppliesPerRequestKey() throws Exception {
    try (GlmVoiceSimulator sim = start(FaultPlan.builder().firstAttempts(FaultKind.OVERLOADED_1305, 1).build())) {
      SimClient c = new SimClient(sim);
      assertEquals("1305", c.post(request("first-0001")).errorCode());
      assertEquals(200, c.post(request("first-0001")).status());
      assertEquals("1305", c.post(request("first-0002")).errorCode());
    }
  }

  @Test
  void ratesInjectRoughlyTheirShare() throws Exception {
    try (GlmVoiceSimulator sim = start(FaultPlan.builder().rate(FaultKind.SERVER_500, 0.3).build())) {
      SimClient c = new SimClient(sim);
      int failed = 0;
      for (int i = 0; i < 100; i++) {
        if (c.post(SimClient.textRequest("item " + i)).status() == 500) {
          failed++;
        }
      }
      assertTrue(failed > 15 && failed < 45, "failed " + failed);
    }
  }

  @Test
  void faultPlanRejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder().rate(FaultKind.SERVER_500, 1.5));
    assertThrows(
        IllegalArgumentException.class,
        () -> FaultPlan.builder().rate(FaultKind.SERVER_500, 0.6).rate(FaultKind.HTML_502, 0.6).build());
    assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder().rate(FaultKind.ARREARS_1113_AFTER_TOKENS, 0.1));
  }
}
