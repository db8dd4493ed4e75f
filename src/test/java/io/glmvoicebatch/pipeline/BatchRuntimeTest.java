package io.glmvoicebatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.api.ApiCredentials;
import io.glmvoicebatch.api.ApiError;
import io.glmvoicebatch.api.CallOutcome;
import io.glmvoicebatch.api.ChatRequest;
import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.api.GlmVoiceClient;
import io.glmvoicebatch.audio.AudioPreparer;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.audio.PreparedAudio;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.ledger.UsageCost;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifetime rule of a batch's runtime, with a real client over loopback to the simulator and a real
 * ledger file: shared by the holders of one batch, never between batches, closed (client dispatcher,
 * ledger file) by the last release, and fresh for the next batch in the same JVM.
 */
class BatchRuntimeTest {
  static final String KEY = "runtimetest1.c2VjcmV0c2VjcmV0";
  static final RecordStamp STAMP = new RecordStamp(Cost.DEFAULT_PRICE_PER_MILLION_TOKENS, "RMB", true);
  static PreparedAudio clip;
  @TempDir Path dir;

  @BeforeAll
  static void prepareClip() throws Exception {
    clip = new AudioPreparer(NormalizerSettings.defaults()).prepare(Path.of("sample-data/clips/en-circle-area.wav"));
  }

  private static ClientSettings client(String endpoint) {
    return ClientSettings.builder().endpoint(endpoint).credentials(ApiCredentials.rawKey(KEY)).maxInFlight(2).build();
  }

  private BatchRuntime.Spec spec(String folder, String endpoint) {
    return BatchRuntime.Spec.of(new OutputFolder(dir.resolve(folder)), STAMP, client(endpoint))
        .withBudget(new BigDecimal("1.0"));
  }

  private static CallOutcome send(GlmVoiceClient client, String id) throws Exception {
    ChatRequest request = ChatRequest.builder().requestId("runtime-" + id).audio(clip.wavBytes(), clip.format()).build();
    return client.submit(request).get(1, TimeUnit.MINUTES);
  }

  private static LedgerRecord ok(String id) {
    return STAMP.newRecord(id).status(LedgerStatus.OK).usage(UsageCost.billed(10, 10, 20, STAMP.pricePerMillion(), "RMB")).build();
  }

  /** How many descriptors this JVM has open on {@code file} (Linux: /proc/self/fd). */
  private static long openDescriptors(Path file) throws IOException {
    Path target = file.toAbsolutePath().normalize();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).equals(target);
        } catch (IOException | UnsupportedOperationException e) {
          return false; // closed since listed, or not a link
        }
      }).count();
    }
  }

  @Test
  void twoBatchesInOneJvmShareNothingWhileTheHoldersOfOneShareEverything() throws Exception {
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY)
        .latency(LatencyModel.fixed(Duration.ofMillis(5))).build())) {
      BatchRuntime.Spec a = spec("a", sim.baseUrl());
      BatchRuntime.Spec b = spec("b", sim.baseUrl());
      try (BatchRuntime launcherA = BatchRuntime.acquire(a); BatchRuntime stageA = BatchRuntime.acquire(a);
          BatchRuntime launcherB = BatchRuntime.acquire(b)) {
        // One batch's holders (the launcher, each DoFn) get one runtime: one cap, one tally, one budget.
        assertSame(launcherA, stageA);
        assertSame(launcherA.client(), stageA.client());
        // Another batch in the same JVM, same settings: nothing shared.
        assertNotSame(launcherA, launcherB);
        assertNotSame(launcherA.client(), launcherB.client());
        assertNotSame(launcherA.budget(), launcherB.budget());
        assertNotSame(launcherA.tally(), launcherB.tally());

        assertTrue(launcherA.budget().tryReserve(new BigDecimal("0.9")));
        launcherA.budget().settle(new BigDecimal("0.9"), new BigDecimal("0.9"));
        assertFalse(launcherA.budget().tryReserve(new BigDecimal("0.2")), "batch a's budget is spent");
        assertTrue(launcherB.budget().tryReserve(new BigDecimal("0.9")), "batch b's budget is its own");

        stageA.append(ok("x"));
        assertEquals(1, launcherA.tally().ok(), "the launcher reads what a stage appended");
        assertEquals(0, launcherB.tally().ok());
        assertTrue(send(launcherA.client(), "a-1").ok());
        assertTrue(send(launcherB.client(), "b-1").ok());
      }
    }
  }

  @Test
  void theLastReleaseClosesTheClientsDispatcherAndTheLedgerFileAndNotBefore() throws Exception {
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY)
        .latency(LatencyModel.fixed(Duration.ofMillis(5))).build())) {
      BatchRuntime.Spec spec = spec("out", sim.baseUrl());
      Path ledger = spec.ledger().file();
      BatchRuntime launcher = BatchRuntime.acquire(spec);
      BatchRuntime stage = BatchRuntime.acquire(spec);
      GlmVoiceClient client = stage.client();
      stage.append(ok("x"));
      assertEquals(1, openDescriptors(ledger), "one writer per batch and JVM");
      assertTrue(send(client, "r-1").ok());

      stage.close(); // a DoFn's teardown: the launcher still holds the batch
      assertEquals(1, openDescriptors(ledger), "released before the last holder was done");
      assertTrue(send(client, "r-2").ok(), "the client closed while a holder remained");
      launcher.append(ok("y"));

      launcher.close(); // the last hold
      assertEquals(0, openDescriptors(ledger), "the ledger file stayed open after the last release");
      CallOutcome after = send(client, "r-3");
      assertFalse(after.ok());
      assertEquals(ApiError.CLIENT_CLOSED, after.error().code(), "the client's dispatcher still took requests");
      assertThrows(IllegalStateException.class, () -> launcher.append(ok("z")));
      assertEquals(2, spec.ledger().read().lines().size());
    }
  }

  @Test
  void aLaterBatchInTheSameJvmStartsFresh() throws Exception {
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY)
        .latency(LatencyModel.fixed(Duration.ofMillis(5))).build())) {
      BatchRuntime.Spec first = spec("out", sim.baseUrl());
      GlmVoiceClient firstClient;
      try (BatchRuntime runtime = BatchRuntime.acquire(first)) {
        firstClient = runtime.client();
        runtime.append(ok("x"));
        runtime.tally().countAlreadyDone();
        assertFalse(runtime.budget().tryReserve(new BigDecimal("2.0")));
        assertTrue(runtime.budget().exhausted());
      }
      // The same folder run again (a new run id, as every CLI run has), and the same spec opened again.
      for (BatchRuntime.Spec next : new BatchRuntime.Spec[] {spec("out", sim.baseUrl()), first}) {
        try (BatchRuntime runtime = BatchRuntime.acquire(next)) {
          assertEquals(0, runtime.tally().ok() + runtime.tally().alreadyDone(), "the tally carried over");
          assertFalse(runtime.budget().exhausted(), "the budget carried over");
          assertNotSame(firstClient, runtime.client());
          assertTrue(send(runtime.client(), "next").ok(), "the new batch got a closed client");
          assertNull(runtime.stopReason());
          // It resumes from what the first batch wrote: its ledger is read when the runtime opens.
          assertEquals(LedgerStatus.OK, runtime.resume().lastStatus("x"));
        }
      }
    }
  }
}
