package io.glmvoicebatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The account's in-flight cap, shared with invisible other clients. */
class ConcurrencyTest {
  static List<SimClient.Reply> fire(GlmVoiceSimulator sim, int n) throws Exception {
    return fire(sim, n, SimClient.audioRequest(TestAudio.wavSeconds(0.5, 16_000), null));
  }

  static List<SimClient.Reply> fire(GlmVoiceSimulator sim, int n, Object body) throws Exception {
    SimClient client = new SimClient(sim);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<SimClient.Reply>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return client.post(body);
                }));
      }
      go.countDown();
      List<SimClient.Reply> replies = new ArrayList<>();
      for (Future<SimClient.Reply> f : futures) {
        replies.add(f.get());
      }
      return replies;
    } finally {
      pool.shutdownNow();
    }
  }

  static long count(List<SimClient.Reply> replies, int status) {
    return replies.stream().filter(r -> r.status() == status).count();
  }

  @org.junit.jupiter.api.RepeatedTest(2)
  void requestsOverTheCapGet1302Immediately() throws Exception {
    int cap = 5;
    // A latency far above the time the 8 requests take to arrive, even on a loaded machine, so no slot
    // frees before the last one is admitted or refused.
    try (GlmVoiceSimulator sim = atCap(cap, 2500)) {
      List<SimClient.Reply> replies = fire(sim, cap + 3);
      assertEquals(cap, count(replies, 200));
      assertEquals(3, count(replies, 429));
      replies.stream().filter(r -> r.status() == 429).forEach(r -> assertEquals("1302", r.errorCode()));
      SimulatorStats s = sim.stats();
      assertEquals(cap, s.maxInFlight());
      assertEquals(3, s.concurrencyRejections());
      assertEquals(3, s.tooManyRequestsSent());
      assertEquals(cap, s.okReplies());
      assertEquals(3L, s.errorsByCode().get("1302"));
    }
  }

  @Test
  void slotsHeldByOtherClientsReduceTheUsableCap() throws Exception {
    try (GlmVoiceSimulator sim =
        GlmVoiceSimulator.start(
            SimulatorConfig.builder()
                .maxInFlight(5)
                .reservedForOthers(2)
                .latency(LatencyModel.fixed(Duration.ofMillis(300)))
                .build())) {
      List<SimClient.Reply> replies = fire(sim, 6);
      assertEquals(3, count(replies, 200));
      assertEquals(3, count(replies, 429));
      assertEquals(3, sim.stats().maxInFlight());
    }
  }

  @Test
  void aSequentialClientAtCapOneNeverSeesItsOwnFinishedRequest() throws Exception {
    try (GlmVoiceSimulator sim = atCap(1, 1)) {
      SimClient client = new SimClient(sim);
      for (int i = 0; i < 50; i++) {
        assertEquals(200, client.post(SimClient.textRequest("hello " + i)).status());
      }
      assertEquals(1, sim.stats().maxInFlight());
      assertEquals(0, sim.stats().concurrencyRejections());
    }
  }

  @Test
  void aRequestHoldsItsSlotFromArrivalWhileItsBodyIsStillUploading() throws Exception {
    try (GlmVoiceSimulator sim = atCap(1, 1)) {
      byte[] body = SimClient.JSON.writeValueAsBytes(SimClient.audioRequest(TestAudio.wavSeconds(0.5, 16_000), null));
      java.net.URI base = java.net.URI.create(sim.baseUrl());
      try (java.net.Socket slow = new java.net.Socket(base.getHost(), base.getPort())) {
        java.io.OutputStream out = slow.getOutputStream();
        String head = "POST " + base.getPath() + "/chat/completions HTTP/1.1\r\nHost: " + base.getHost()
            + "\r\nAuthorization: Bearer test.key\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(body, 0, body.length / 2);
        out.flush();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sim.stats().maxInFlight() < 1) {
          assertTrue(System.nanoTime() < deadline, "the half-sent request was never counted");
          Thread.sleep(5);
        }
        // The account is at its cap while the first request is still being uploaded.
        SimClient.Reply second = new SimClient(sim).post(SimClient.textRequest("hello"));
        assertEquals(429, second.status());
        assertEquals("1302", second.errorCode());

        out.write(body, body.length / 2, body.length - body.length / 2);
        out.flush();
        String statusLine = new java.io.BufferedReader(
            new java.io.InputStreamReader(slow.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        assertEquals("HTTP/1.1 200 OK", statusLine);
      }
      assertEquals(1, sim.stats().maxInFlight());
      assertEquals(1, sim.stats().okReplies());
    }
  }

  @Test
  void statsMeasureTheSlotTimeHeldAndItsShareOfTheCap() throws Exception {
    try (GlmVoiceSimulator sim = atCap(2, 100)) {
      SimClient client = new SimClient(sim);
      for (int i = 0; i < 5; i++) {
        assertEquals(200, client.post(SimClient.textRequest("hello " + i)).status());
      }
      SimulatorStats stats = sim.stats();
      // Each request held its slot at least for its 100 ms of latency; one at a time, so over the window at
      // most one of the two slots was ever held.
      assertTrue(stats.slotSecondsHeld() >= 0.5, "held " + stats.slotSecondsHeld());
      assertTrue(stats.occupancyWindowSeconds() >= stats.slotSecondsHeld() - 1e-3, stats.toString());
      assertTrue(stats.slotUse(2) <= 0.5 + 1e-3 && stats.slotUse(2) > 0, "slot use " + stats.slotUse(2));
      // Arrival to last byte: never shorter than the latency, which counts from arrival.
      assertTrue(stats.meanServedSeconds() >= 0.1, "served in " + stats.meanServedSeconds());
      sim.resetStats();
      assertEquals(0.0, sim.stats().slotSecondsHeld());
      assertEquals(0.0, sim.stats().meanServedSeconds());
    }
  }

  @Test
  void manyConcurrentRequestsWithinAHighCapAllSucceed() throws Exception {
    try (GlmVoiceSimulator sim = atCap(150, 1500)) {
      List<SimClient.Reply> replies = fire(sim, 120, SimClient.textRequest("hi").put("max_tokens", 20));
      assertEquals(120, count(replies, 200));
      // Loose bound: how many overlap depends on the test machine's client side, not on the server.
      assertTrue(sim.stats().maxInFlight() >= 50, "observed " + sim.stats().maxInFlight());
      assertEquals(0, sim.stats().concurrencyRejections());
    }
  }

  @Test
  void otherClientsLoadCanVaryOverTime() {
    OtherClientsLoad load = OtherClientsLoad.alternating(0, 4, Duration.ofSeconds(2));
    assertEquals(4, load.slotsHeldAt(Duration.ofMillis(100)));
    assertEquals(0, load.slotsHeldAt(Duration.ofMillis(1500)));
    assertEquals(4, load.slotsHeldAt(Duration.ofMillis(2100)));
  }

  /** A simulator of cap {@code cap} whose every reply takes {@code latencyMs}. */
  private static GlmVoiceSimulator atCap(int cap, long latencyMs) throws IOException {
    return GlmVoiceSimulator.start(
        SimulatorConfig.builder().maxInFlight(cap).latency(LatencyModel.fixed(Duration.ofMillis(latencyMs))).build());
  }
}
