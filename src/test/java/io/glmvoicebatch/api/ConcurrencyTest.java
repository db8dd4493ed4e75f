package io.glmvoicebatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** In-flight limiting, AIMD and back-pressure against a scripted server (no wall-clock limits: see serveGated). */
class ConcurrencyTest {
  private final AtomicInteger current = new AtomicInteger();
  private final AtomicInteger max = new AtomicInteger();
  private final AtomicInteger rejected = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
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

  /**
   * Holds every request until the test hands out a reply ({@code replies.release()}); counts the
   * requests answered. The test then steps the client request by request, with no clock involved.
   */
  private void serveGated(Semaphore replies) throws Exception {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        max.accumulateAndGet(current.incrementAndGet(), Math::max);
        try {
          return replies.tryAcquire(2, TimeUnit.MINUTES) ? Fixtures.ok() : Fixtures.error(500, "500", "test gave no reply");
        } finally {
          current.decrementAndGet();
          answered.incrementAndGet();
        }
      }
    });
    server.start();
  }

  /** Polls (no fixed sleep) until {@code condition} holds; fails naming {@code what} after a minute. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within a minute: " + what);
      Thread.sleep(2);
    }
  }

  private static List<CompletableFuture<CallOutcome>> submit(GlmVoiceClient client, int n) {
    List<CompletableFuture<CallOutcome>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(client.submit(Fixtures.request(String.format("conc-%04d", i))));
    }
    return futures;
  }

  private static List<CallOutcome> run(GlmVoiceClient client, int n) throws Exception {
    List<CompletableFuture<CallOutcome>> futures = submit(client, n);
    List<CallOutcome> out = new ArrayList<>();
    for (CompletableFuture<CallOutcome> f : futures) {
      out.add(f.get(30, TimeUnit.SECONDS));
    }
    return out;
  }

  /**
   * Each reply is handed out by the test only once the server holds exactly five requests (fewer at the
   * end), so five are in flight from the first request to the last, and never a sixth.
   */
  @Test
  void thirtyRequestsWithCapFiveKeepExactlyFiveInFlight() throws Exception {
    Semaphore replies = new Semaphore(0);
    serveGated(replies);
    try (GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(server).maxInFlight(5).build())) {
      // submit blocks while queueFactor x cap items wait, so it runs beside the replies the test hands out
      CompletableFuture<List<CompletableFuture<CallOutcome>>> submitted =
          CompletableFuture.supplyAsync(() -> submit(client, 30));
      for (int done = 0; done < 30; done++) {
        int answeredSoFar = done;
        int expected = Math.min(5, 30 - done);
        await(expected + " in flight after " + done + " replies (now " + current.get() + ")",
            () -> answered.get() == answeredSoFar && current.get() == expected);
        assertTrue(max.get() <= 5, "server-observed max concurrency " + max.get());
        replies.release();
      }
      for (CompletableFuture<CallOutcome> f : submitted.get(1, TimeUnit.MINUTES)) {
        assertTrue(f.get(1, TimeUnit.MINUTES).ok());
      }
      assertEquals(5, max.get(), "server-observed max concurrency");
      await("every permit returned", () -> client.inFlight() == 0);
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
  void withoutAProbeIntervalTheLimitKeepsProbingAboveTheSharedCap() throws Exception {
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

  /** One in flight and two queued (queueFactor 2): a fourth submit waits until the first reply frees a slot. */
  @Test
  void submitBlocksOnlyWhileTheQueueIsFull() throws Exception {
    Semaphore replies = new Semaphore(0);
    serveGated(replies);
    ClientSettings settings = Fixtures.settings(server).maxInFlight(1).queueFactor(2).build();
    try (GlmVoiceClient client = GlmVoiceClient.create(settings)) {
      // No reply is handed out yet: if any of these three waited for one, this would never finish.
      List<CompletableFuture<CallOutcome>> futures = new ArrayList<>(CompletableFuture.supplyAsync(() -> submit(client, 3))
          .get(1, TimeUnit.MINUTES));
      await("the first request at the server", () -> current.get() == 1);
      CompletableFuture<CompletableFuture<CallOutcome>> fourth = new CompletableFuture<>();
      Thread submitter = new Thread(() -> fourth.complete(client.submit(Fixtures.request("bp-item-3"))));
      submitter.start();
      await("the fourth submit waiting or returning",
          () -> submitter.getState() == Thread.State.WAITING || fourth.isDone());
      assertFalse(fourth.isDone(), "the fourth submit returned while the queue was full");
      assertEquals(2, client.queued());
      replies.release(); // the first reply: its slot goes to the second item, and the queue has room
      futures.add(fourth.get(1, TimeUnit.MINUTES));
      replies.release(3);
      for (CompletableFuture<CallOutcome> f : futures) {
        assertTrue(f.get(1, TimeUnit.MINUTES).ok());
      }
      assertEquals(1, max.get(), "server-observed max concurrency");
    }
  }
}
