package io.glmvoicebatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** In-flight limiting, AIMD and back-pressure against a slow scripted server. */
class ConcurrencyTest {
  private final AtomicInteger current = new AtomicInteger();
  private final AtomicInteger max = new AtomicInteger();
  private final AtomicInteger rejected = new AtomicInteger();
  private MockWebServer server;

  @BeforeEach
  void setUp() throws Exception {
    server = new MockWebServer();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.shutdown();
  }

  /** Answers after {@code latencyMillis}; above {@code accountCap} in flight, answers 1302 at once. */
  private void serve(long latencyMillis, int accountCap) throws Exception {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        int now = current.incrementAndGet();
        max.accumulateAndGet(now, Math::max);
        try {
          if (now > accountCap) {
            rejected.incrementAndGet();
            return Fixtures.error(429, "1302", "您当前使用该API的并发数过高");
          }
          Thread.sleep(latencyMillis);
          return Fixtures.ok();
        } finally {
          current.decrementAndGet();
        }
      }
    });
    server.start();
  }

  private static List<CallOutcome> run(GlmVoiceClient client, int n) throws Exception {
    List<CompletableFuture<CallOutcome>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(client.submit(Fixtures.request(String.format("conc-%04d", i))));
    }
    List<CallOutcome> out = new ArrayList<>();
    for (CompletableFuture<CallOutcome> f : futures) {
      out.add(f.get(30, TimeUnit.SECONDS));
    }
    return out;
  }

  @Test
  void thirtyRequestsWithCapFiveKeepExactlyFiveInFlight() throws Exception {
    serve(200, Integer.MAX_VALUE);
    try (GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(server).maxInFlight(5).build())) {
      long start = System.nanoTime();
      List<CallOutcome> outcomes = run(client, 30);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(outcomes.stream().allMatch(CallOutcome::ok));
      assertEquals(5, max.get(), "server-observed max concurrency");
      assertTrue(millis >= 6 * 200 && millis < 6 * 200 + 1500, "6 full waves of 200 ms: " + millis);
      assertEquals(0, client.inFlight());
    }
  }

  @Test
  void adaptiveLimitConvergesBelowTheSharedCap() throws Exception {
    serve(200, 3);
    try (GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(server).maxInFlight(5).build())) {
      List<CallOutcome> outcomes = run(client, 30);
      assertTrue(outcomes.stream().allMatch(CallOutcome::ok), outcomes.toString());
      assertTrue(client.currentLimit() <= 3, "limit " + client.currentLimit());
      assertTrue(rejected.get() <= 2, "only the first window overshoots: " + rejected.get());
    }
  }

  @Test
  void adaptiveOffHoldsTheCapAndRetries() throws Exception {
    serve(100, 3);
    ClientSettings settings = Fixtures.settings(server).maxInFlight(5).adaptiveConcurrency(false)
        .retryPolicy(RetryPolicy.builder().maxAttempts(50).baseDelay(Duration.ofMillis(5)).maxDelay(Duration.ofMillis(20)).build())
        .build();
    try (GlmVoiceClient client = GlmVoiceClient.create(settings)) {
      List<CallOutcome> outcomes = run(client, 10);
      assertTrue(outcomes.stream().allMatch(CallOutcome::ok), outcomes.toString());
      assertEquals(5, client.currentLimit());
      assertTrue(max.get() <= 5);
    }
  }

  @Test
  void limitProbesBackUpAfterTheInterval() throws Exception {
    serve(20, 3);
    ClientSettings settings = Fixtures.settings(server).maxInFlight(5).adaptiveProbeInterval(Duration.ZERO)
        .retryPolicy(RetryPolicy.builder().maxAttempts(20).baseDelay(Duration.ofMillis(5)).maxDelay(Duration.ofMillis(20)).build())
        .build();
    try (GlmVoiceClient client = GlmVoiceClient.create(settings)) {
      List<CallOutcome> outcomes = run(client, 60);
      assertTrue(outcomes.stream().allMatch(CallOutcome::ok));
      assertTrue(client.currentLimit() >= 3 && client.currentLimit() <= 5, "limit " + client.currentLimit());
      assertTrue(rejected.get() > 2, "without a probe interval it keeps probing: " + rejected.get());
    }
  }

  @Test
  void submitBlocksOnlyWhileTheQueueIsFull() throws Exception {
    serve(400, Integer.MAX_VALUE);
    ClientSettings settings = Fixtures.settings(server).maxInFlight(1).queueFactor(2).build();
    try (GlmVoiceClient client = GlmVoiceClient.create(settings)) {
      assertTrue(client.submit(Fixtures.request("bp-warmup")).get(10, TimeUnit.SECONDS).ok()); // class loading
      long t0 = System.nanoTime();
      List<CompletableFuture<CallOutcome>> futures = new ArrayList<>();
      for (int i = 0; i < 3; i++) { // one in flight, two queued
        futures.add(client.submit(Fixtures.request("bp-item-" + i)));
      }
      long quick = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      futures.add(client.submit(Fixtures.request("bp-item-3"))); // waits for the first to finish
      long blocked = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(quick < 300, "first three do not block: " + quick);
      assertTrue(blocked >= 300, "fourth blocks until a slot frees: " + blocked);
      for (CompletableFuture<CallOutcome> f : futures) {
        assertTrue(f.get(10, TimeUnit.SECONDS).ok());
      }
    }
  }
}
