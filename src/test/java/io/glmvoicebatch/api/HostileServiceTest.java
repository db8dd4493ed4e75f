package io.glmvoicebatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import io.glmvoicebatch.simulator.SimulatorStats;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * A service that misbehaves in ways that cost money or time: replies the client cannot use after it may
 * have been billed, replies too large to hold, a service that is down or never answers, and a service
 * that keeps counting a request after the client gave up on it. All over real loopback HTTP.
 */
class HostileServiceTest {

  private static CallOutcome call(GlmVoiceClient client, String id) throws Exception {
    return client.submit(Fixtures.request(id)).get(30, TimeUnit.SECONDS);
  }

  /** One scripted 200 reply from MockWebServer; the outcome of the one item sent. */
  private static CallOutcome oneReply(MockResponse reply, int[] requestsSeen) throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(reply);
      server.enqueue(Fixtures.ok()); // what a blind retry would get
      try (GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(server).build())) {
        CallOutcome outcome = call(client, "hostile-0001");
        requestsSeen[0] = server.getRequestCount();
        return outcome;
      }
    }
  }

  private static MockResponse withAudioData(String data) {
    ObjectNode reply = Fixtures.reply(Fixtures.wav(22050, 1, 2205), true);
    ((ObjectNode) reply.get("choices").get(0).get("message").get("audio")).put("data", data);
    return Fixtures.ok(reply);
  }

  @Test
  void base64OfALengthNotAMultipleOfFourIsNamedAndNotRetried() throws Exception {
    int[] seen = new int[1];
    // 4,001 characters: a multiple of 4 plus one stray; the usage after it must still be read.
    CallOutcome outcome = oneReply(withAudioData("UklG".repeat(1000) + "R"), seen);
    assertTrue(outcome.uncertain(), outcome.toString());
    assertEquals(ApiError.BAD_REPLY, outcome.error().code());
    String m = outcome.error().message();
    assertTrue(m.contains("audio.data is not valid base64") && m.contains("length 4001 is not a multiple of 4"), m);
    assertFalse(m.contains("not valid JSON"), m);
    assertEquals(Usage.of(107, 340, 447), outcome.usage(), "billed: the reply's usage is kept");
    assertEquals(1, outcome.attempts());
    assertEquals(1, seen[0], "a billed, unusable reply is not sent again");
  }

  @Test
  void usageTokensAsStringsAreNotConvertedAndTheReplyIsUncertain() throws Exception {
    ObjectNode reply = Fixtures.reply(Fixtures.wav(22050, 1, 22050), true);
    ((ObjectNode) reply.get("usage")).put("prompt_tokens", "107");
    int[] seen = new int[1];
    CallOutcome outcome = oneReply(Fixtures.ok(reply), seen);
    assertTrue(outcome.uncertain(), outcome.toString());
    assertNull(outcome.usage(), "a token count that is a string is not a count");
    assertTrue(outcome.error().message().contains("usage.prompt_tokens is a string (\"107\"), not a whole number"),
        outcome.error().message());
    assertEquals(1, seen[0]);

    ObjectNode fraction = Fixtures.reply(Fixtures.wav(22050, 1, 22050), true);
    ((ObjectNode) fraction.get("usage")).put("total_tokens", 447.5);
    CallOutcome f = oneReply(Fixtures.ok(fraction), seen);
    assertTrue(f.error().message().contains("usage.total_tokens is a fraction (447.5)"), f.error().message());
  }

  @Test
  void aFourByteReplyAudioIsNotOk() throws Exception {
    int[] seen = new int[1];
    CallOutcome outcome = oneReply(Fixtures.ok(Fixtures.reply(new byte[] {1, 2, 3, 4}, true)), seen);
    assertFalse(outcome.ok(), outcome.toString());
    assertTrue(outcome.uncertain(), outcome.toString());
    assertTrue(outcome.error().message().contains("under the 0.100 s minimum"), outcome.error().message());
    assertEquals(Usage.of(107, 340, 447), outcome.usage());
    assertEquals(1, seen[0]);
    // 0.1 s of raw reply audio passes.
    CallOutcome tenth = oneReply(Fixtures.ok(Fixtures.reply(Fixtures.rawPcm(4410), true)), seen);
    assertTrue(tenth.ok(), tenth.toString());
  }

  @Test
  void aDeclaredTwoGigabyteBodyIsRefusedBeforeAnyAllocation() throws Exception {
    try (MisbehavingServer server = new MisbehavingServer((socket, out) -> {
          out.write(MisbehavingServer.headers("2000000000"));
          out.write("{\"id\":\"".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          MisbehavingServer.holdOpen(socket);
        });
        GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(server.endpoint()).build())) {
      CallOutcome outcome = call(client, "huge-0001");
      assertTrue(outcome.uncertain(), outcome.toString());
      assertEquals(ApiError.REPLY_TOO_LARGE, outcome.error().code());
      assertEquals(200, outcome.error().httpStatus());
      assertTrue(outcome.error().message().contains("Content-Length 2000000000, over the 134217728-byte cap"),
          outcome.error().message());
      assertEquals(1, server.requests());
      assertEquals(0, client.inFlight());
    }
  }

  @Test
  void anEndlessChunkedBodyStopsAtTheCap() throws Exception {
    byte[] chunk = ("10000\r\n" + "A".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    try (MisbehavingServer server = new MisbehavingServer((socket, out) -> {
          out.write(MisbehavingServer.headers(null));
          while (true) {
            out.write(chunk); // until the client hangs up
          }
        });
        GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(server.endpoint())
            .maxReplyBytes(4L * 1024 * 1024).build())) {
      CallOutcome outcome = call(client, "endless-0001");
      assertTrue(outcome.uncertain(), outcome.toString());
      assertEquals(ApiError.REPLY_TOO_LARGE, outcome.error().code());
      assertTrue(outcome.error().message().contains("passed the 4194304-byte cap"), outcome.error().message());
      assertEquals(1, server.requests(), "not retried");
    }
  }

  @Test
  void aTimedOutRequestKeepsItsSlotWhileTheServiceStillCountsIt() throws Exception {
    // The service takes 1.5 s and counts each request until then, whatever the client does; the client
    // gives up after 0.5 s. Freeing the slot at the timeout would send new requests into a full account.
    SimulatorConfig config = SimulatorConfig.builder().apiKey(Fixtures.KEY).maxInFlight(2)
        .latency(LatencyModel.fixed(Duration.ofMillis(1500))).build();
    try (GlmVoiceSimulator simulator = GlmVoiceSimulator.start(config);
        GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(simulator.baseUrl()).maxInFlight(2)
            .readTimeout(Duration.ofMillis(500)).serviceMaxRequestTime(Duration.ofMillis(2000)).build())) {
      List<CallOutcome> outcomes = SimulatorLoopbackTest.runBatch(client, 6, "slow");
      SimulatorStats stats = simulator.stats();
      for (CallOutcome o : outcomes) {
        assertTrue(o.uncertain(), o.toString());
        assertEquals(ApiError.TIMEOUT, o.error().code(), o.toString());
        assertEquals(1, o.attempts(), "a timed-out request may have been billed: not retried");
      }
      assertEquals(0, stats.concurrencyRejections(), "the service saw more than its cap in flight: " + stats);
      assertTrue(stats.maxInFlight() <= 2, stats.toString());
      assertEquals(6, stats.requests(), "one attempt each: " + stats);
    }
  }

  @Test
  void anUnreachableServiceStopsTheBatchAfterNFailuresInARow() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings("http://127.0.0.1:" + closedPort + "/v4")
        .maxInFlight(2).maxConsecutiveConnectionFailures(5).build())) {
      List<CallOutcome> outcomes = SimulatorLoopbackTest.runBatch(client, 30, "down");
      assertTrue(client.batchStopped());
      ApiError stop = client.stopReason();
      assertEquals(ApiError.SERVICE_UNREACHABLE, stop.code());
      assertTrue(stop.message().contains("gave no answer to 5 attempts in a row across items"), stop.message());
      int attempts = outcomes.stream().mapToInt(CallOutcome::attempts).sum();
      assertTrue(attempts <= 5 + 2, "attempts after the stop: " + attempts);
      long stopped = outcomes.stream().filter(o -> ApiError.BATCH_STOPPED.equals(o.error().code())).count();
      assertTrue(stopped >= 30 - 2, outcomes.toString());
      assertTrue(outcomes.get(outcomes.size() - 1).error().message().startsWith("batch stopped: the service at"),
          outcomes.get(outcomes.size() - 1).error().message());
      assertTrue(outcomes.stream().noneMatch(CallOutcome::uncertain), "nothing was ever sent");
    }
  }

  @Test
  void aServiceThatNeverAnswersStopsTheBatchAfterNTimeouts() throws Exception {
    try (MisbehavingServer server = new MisbehavingServer((socket, out) -> MisbehavingServer.holdOpen(socket));
        GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(server.endpoint()).maxInFlight(2)
            .readTimeout(Duration.ofMillis(300)).serviceMaxRequestTime(Duration.ofMillis(300))
            .maxConsecutiveConnectionFailures(4).build())) {
      List<CallOutcome> outcomes = SimulatorLoopbackTest.runBatch(client, 20, "mute");
      assertTrue(client.batchStopped());
      assertEquals(ApiError.SERVICE_UNREACHABLE, client.stopReason().code());
      long uncertain = outcomes.stream().filter(CallOutcome::uncertain).count();
      assertTrue(uncertain >= 4 && uncertain <= 4 + 2, outcomes.toString());
      assertEquals(uncertain, server.requests(), "each sent request is one uncertain item, none retried");
      assertEquals(20 - uncertain, outcomes.stream().filter(o -> !o.uncertain()
          && ApiError.BATCH_STOPPED.equals(o.error().code()) && o.attempts() == 0).count());
      assertTrue(server.maxActive() <= 2, "over the cap: " + server.maxActive());
    }
  }

  @Test
  void anyAnswerResetsTheCountOfFailuresInARow() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      int closedPort;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = s.getLocalPort();
      }
      ClientSettings down = Fixtures.settings("http://127.0.0.1:" + closedPort + "/v4").maxInFlight(1)
          .retryPolicy(RetryPolicy.builder().maxAttempts(3).baseDelay(Duration.ZERO).maxDelay(Duration.ZERO).build())
          .maxConsecutiveConnectionFailures(4).build();
      // Three failures (one item's attempts), then an answer from a live service, then three more:
      // never four in a row. The two clients share nothing, so the count is checked on each.
      try (GlmVoiceClient client = GlmVoiceClient.create(down)) {
        assertEquals(3, call(client, "flaky-0001").attempts());
        assertFalse(client.batchStopped());
        assertEquals(ApiError.BATCH_STOPPED, call(client, "flaky-0002").error().code(),
            "the fourth failure in a row stops it");
      }
      server.enqueue(Fixtures.error(500, "500", "内部错误"));
      server.enqueue(Fixtures.ok());
      try (GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(server)
          .maxConsecutiveConnectionFailures(1).build())) {
        assertTrue(call(client, "live-0001").ok(), "an HTTP error is an answer, not a connection failure");
        assertFalse(client.batchStopped());
      }
    }
  }
}
