package io.glmvoicebatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.api.ApiCredentials;
import io.glmvoicebatch.api.CallOutcome;
import io.glmvoicebatch.api.ChatRequest;
import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.api.GlmVoiceClient;
import io.glmvoicebatch.api.SendSlots;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster-wide slot leases on real files: several holders (as the worker JVMs of a cluster are) in one
 * folder never hold more than the cap between them, any one of them can use the whole cap, a dead worker's
 * leases (a real child JVM killed with SIGKILL) are taken over once not renewed for the lease time, and
 * two clients sending to the simulator through the same leases keep exactly the cap in flight.
 */
class ClusterSlotsTest {
  static final Duration LONG_LEASE = Duration.ofHours(1);
  static final String KEY = "clusterslots01.c2VjcmV0c2VjcmV0";

  @TempDir Path dir;

  @Test
  void oneHolderCanTakeTheWholeCapAndNoOneMore() {
    ClusterSlots a = holder("a", 3, LONG_LEASE);
    ClusterSlots b = holder("b", 3, LONG_LEASE);
    try {
      List<SendSlots.Slot> taken = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        taken.add(takeWithin(a, Duration.ofSeconds(30)));
      }
      assertNull(a.tryTake(), "a fourth slot of three");
      assertNull(b.tryTake(), "b took a slot while a holds all three");
      assertEquals(3, leaseFiles());
      taken.get(1).release();
      taken.get(1).release(); // idempotent: frees one slot, not two
      SendSlots.Slot forB = takeWithin(b, Duration.ofSeconds(30));
      assertNull(a.tryTake(), "the freed slot was taken twice");
      forB.release();
      assertEquals(2, leaseFiles());
    } finally {
      a.close();
      b.close();
    }
    assertEquals(0, leaseFiles(), "close gives back every lease");
  }

  @Test
  void manyThreadsOfSeveralHoldersNeverHoldMoreThanTheCap() throws Exception {
    int cap = 4;
    List<ClusterSlots> holders = List.of(holder("a", cap, LONG_LEASE), holder("b", cap, LONG_LEASE),
        holder("c", cap, LONG_LEASE));
    AtomicInteger inUse = new AtomicInteger();
    AtomicInteger maxInUse = new AtomicInteger();
    AtomicInteger uses = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < 9; t++) {
      ClusterSlots h = holders.get(t % holders.size());
      threads.add(new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < 30; i++) {
            SendSlots.Slot slot = takeWithin(h, Duration.ofSeconds(60));
            int now = inUse.incrementAndGet();
            maxInUse.accumulateAndGet(now, Math::max);
            Thread.onSpinWait();
            inUse.decrementAndGet();
            uses.incrementAndGet();
            slot.release();
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }));
    }
    threads.forEach(Thread::start);
    start.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.MINUTES.toMillis(2));
      assertTrue(!t.isAlive(), "a thread never got its slots");
    }
    holders.forEach(ClusterSlots::close);
    assertTrue(errors.isEmpty(), errors.toString());
    assertEquals(9 * 30, uses.get());
    assertTrue(maxInUse.get() <= cap, "held " + maxInUse.get() + " of " + cap + " at once");
    assertEquals(0, leaseFiles());
  }

  @Test
  void aDeadWorkersLeasesAreTakenOverOnlyOnceNotRenewedForTheLeaseTime() throws Exception {
    Duration lease = Duration.ofSeconds(2);
    Process worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-cp", System.getProperty("java.class.path"), Worker.class.getName(), dir.toString(), "2",
        Long.toString(lease.toMillis())).redirectErrorStream(true).start();
    ClusterSlots survivor = holder("survivor", 2, lease);
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = out.readLine(); // its log lines, if any, come first
      } while (line != null && !line.equals("holding 2"));
      assertEquals("holding 2", line, "the worker JVM did not take its slots");
      // Alive, the worker renews its leases: two lease times later they are still its own.
      long aliveUntil = System.nanoTime() + 2 * lease.toNanos();
      while (System.nanoTime() < aliveUntil) {
        assertNull(survivor.tryTake(), "took a slot from a live worker");
        LockSupport.parkNanos(survivor.pollInterval().toNanos());
      }
      worker.destroyForcibly(); // SIGKILL: its leases stay behind, no longer renewed
      assertTrue(worker.waitFor(30, TimeUnit.SECONDS));
      Instant killed = Instant.now();
      SendSlots.Slot first = takeWithin(survivor, Duration.ofSeconds(60));
      SendSlots.Slot second = takeWithin(survivor, Duration.ofSeconds(60));
      assertTrue(Duration.between(killed, Instant.now()).compareTo(lease.dividedBy(2)) > 0,
          "taken over before the lease could have run out");
      assertNull(survivor.tryTake(), "more than the cap after the take-over");
      for (Path p : leaseFileList()) {
        assertEquals("survivor", Files.readString(p), p + " still names the dead worker");
      }
      first.release();
      second.release();
    } finally {
      worker.destroyForcibly();
      survivor.close();
    }
  }

  @Test
  void aHolderWhoseLeaseWasTakenOverDoesNotDeleteTheNewOne() throws Exception {
    ClusterSlots paused = holder("paused", 1, LONG_LEASE);
    ClusterSlots other = holder("other", 1, LONG_LEASE);
    SendSlots.Slot lost = takeWithin(paused, Duration.ofSeconds(30));
    // As if the holder had been paused past its lease time: its lease looks abandoned.
    Files.setLastModifiedTime(dir.resolve("0"), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    SendSlots.Slot taken = takeWithin(other, Duration.ofSeconds(30));
    lost.release();
    assertEquals("other", Files.readString(dir.resolve("0")));
    taken.release();
    assertEquals(0, leaseFiles());
    paused.close();
    other.close();
  }

  /** Two clients, as two worker JVMs, each allowed the whole cap by its own limiter: the leases keep them at it. */
  @Test
  void twoClientsThroughTheSameLeasesKeepExactlyTheCapInFlight() throws Exception {
    int cap = 5;
    byte[] wav = Files.readAllBytes(Path.of("sample-data/clips/en-sky-blue.wav"));
    SimulatorConfig config = SimulatorConfig.builder().apiKey(KEY).maxInFlight(cap)
        .latency(LatencyModel.fixed(Duration.ofMillis(150))).build();
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config)) {
      List<GlmVoiceClient> clients = new ArrayList<>();
      for (String name : List.of("worker-1", "worker-2")) {
        clients.add(GlmVoiceClient.create(ClientSettings.builder().endpoint(sim.baseUrl())
            .credentials(ApiCredentials.rawKey(KEY)).maxInFlight(cap).sendSlots(holder(name, cap, LONG_LEASE))
            .build()));
      }
      List<CompletableFuture<CallOutcome>> calls = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        calls.add(clients.get(i % 2).submit(ChatRequest.builder().requestId(String.format("slots-%04d", i))
            .audio(wav, "wav").params(io.glmvoicebatch.manifest.RequestParams.prompt("Answer briefly.")).build()));
      }
      for (CompletableFuture<CallOutcome> c : calls) {
        CallOutcome outcome = c.get(5, TimeUnit.MINUTES);
        assertTrue(outcome.ok(), outcome.toString());
      }
      clients.forEach(GlmVoiceClient::close);
      System.out.printf("two clients, cap %d through leases: simulator max in flight %d, 429s %d%n", cap,
          sim.stats().maxInFlight(), sim.stats().tooManyRequestsSent());
      assertEquals(0, sim.stats().tooManyRequestsSent(), "over the account's cap");
      assertEquals(cap, sim.stats().maxInFlight(), "the whole cap, not a share of it");
      assertEquals(0, leaseFiles());
    }
  }

  private ClusterSlots holder(String name, int cap, Duration lease) {
    return new ClusterSlots(dir, cap, lease, name);
  }

  /** Polls at the slots' own interval until one is free, up to {@code within} (a deadline, not a sleep). */
  static SendSlots.Slot takeWithin(SendSlots slots, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      SendSlots.Slot slot = slots.tryTake();
      if (slot != null) {
        return slot;
      }
      assertTrue(System.nanoTime() < deadline, "no slot free within " + within);
      LockSupport.parkNanos(slots.pollInterval().toNanos());
    }
  }

  private List<Path> leaseFileList() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().matches("\\d+")).toList();
    }
  }

  private long leaseFiles() {
    try {
      return leaseFileList().size();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A worker JVM that takes {@code cap} slots, says so, and holds them (renewing) until it is killed. */
  public static final class Worker {
    public static void main(String[] args) throws Exception {
      int cap = Integer.parseInt(args[1]);
      ClusterSlots slots = new ClusterSlots(Path.of(args[0]), cap, Duration.ofMillis(Long.parseLong(args[2])),
          "worker-jvm");
      for (int i = 0; i < cap; i++) {
        assertNotNull(takeWithin(slots, Duration.ofSeconds(30)));
      }
      System.out.println("holding " + cap);
      System.out.flush();
      new CountDownLatch(1).await();
    }
  }
}
