package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.ledger.FolderLock;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per output folder, with real CLI processes: a second run into a folder another process is
 * writing to refuses at once (exit 2) naming the holder; after the holder is killed with SIGKILL, its lock
 * is gone with it and the next run resumes.
 */
class OneWriterPerFolderTest {
  static final String KEY = "lockfolder.c2VjcmV0c2VjcmV0";
  static final int ITEMS = 20;
  @TempDir Path dir;

  @Test
  void secondProcessIntoTheSameFolderRefusesAtOnceNamingTheHolder() throws Exception {
    Path out = dir.resolve("out");
    try (GlmVoiceSimulator sim = slowSimulator()) {
      List<String> command = command(manifest(), out, sim.baseUrl());
      Process first = startHoldingTheLock(command, out);

      Process second = start(command, dir.resolve("second.log"));
      assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the second run must not wait for the first");
      String secondLog = log(dir.resolve("second.log"));
      assertEquals(2, second.exitValue(), secondLog);
      assertTrue(secondLog.contains("another run is writing to this folder (held by pid " + first.pid() + " on host "),
          secondLog);
      assertTrue(first.isAlive(), "the refusal came while the first run was still writing");

      assertTrue(first.waitFor(300, TimeUnit.SECONDS), "first run did not finish");
      assertEquals(0, first.exitValue(), log(dir.resolve("first.log")));
      // Only the first run's requests reached the service, each item once.
      assertEquals(ITEMS, sim.stats().requests(), sim.stats().toString());
      Map<String, Integer> ok = okLinesPerItem(out);
      assertEquals(ITEMS, ok.size());
      ok.forEach((id, n) -> assertEquals(1, n, id));
    }
  }

  @Test
  void aLockLeftByAKilledRunNeverBlocksTheNextOne() throws Exception {
    Path out = dir.resolve("out");
    try (GlmVoiceSimulator sim = slowSimulator()) {
      List<String> command = command(manifest(), out, sim.baseUrl());
      Process first = startHoldingTheLock(command, out);
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no unlock of our own
      assertTrue(first.waitFor(30, TimeUnit.SECONDS));
      assertTrue(Files.readString(out.resolve(FolderLock.FILE)).contains("pid " + first.pid()),
          "the dead run's lock file is still there");

      Process next = start(command, dir.resolve("next.log"));
      assertTrue(next.waitFor(300, TimeUnit.SECONDS), "the run after the killed one did not finish");
      String nextLog = log(dir.resolve("next.log"));
      assertEquals(0, next.exitValue(), nextLog);
      assertTrue(nextLog.contains(ITEMS + " ok, 0 failed"), nextLog);
      assertTrue(Files.readString(out.resolve(FolderLock.FILE)).contains("pid " + next.pid()));
    }
  }

  @Test
  void aRunInThisJvmAlsoRefusesAFolderThisJvmIsWritingTo() throws Exception {
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    try (FolderLock held = FolderLock.acquire(out)) {
      CliRun run = CliRun.of(Map.of(), "--manifest=" + manifest(), "--outputDir=" + out);
      assertEquals(ExitCode.USAGE, run.code, run.all());
      assertTrue(run.stderr.contains("another run is writing to this folder (held by pid "
          + ProcessHandle.current().pid()), run.stderr);
    }
    assertTrue(!Files.exists(out.resolve("ledger.jsonl")), "the refused run wrote nothing");
  }

  private static GlmVoiceSimulator slowSimulator() throws Exception {
    // Slow enough that the first run is still sending while the second starts its JVM.
    return GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY).maxInFlight(5)
        .latency(LatencyModel.fixed(Duration.ofMillis(1500))).build());
  }

  /** Starts the first run ({@code first.log}) and polls (no fixed sleep) until it holds the folder's lock. */
  private Process startHoldingTheLock(List<String> command, Path out) throws Exception {
    Process first = start(command, dir.resolve("first.log"));
    awaitLockHeldBy(first, out);
    return first;
  }

  /** Polls until {@code holder} has written its pid into the folder's lock file. */
  private static void awaitLockHeldBy(Process holder, Path out) throws Exception {
    Path lock = out.resolve(FolderLock.FILE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline && holder.isAlive()) {
      if (Files.exists(lock) && Files.readString(lock).contains("pid " + holder.pid() + " ")) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the first run never took the folder's lock (alive: " + holder.isAlive() + ")");
  }

  private Path manifest() throws IOException {
    return ClipManifest.write(dir.resolve("manifest.jsonl"), ITEMS, i -> "Answer item " + i + " briefly.");
  }

  private static List<String> command(Path manifest, Path out, String endpoint) {
    return List.of("--manifest=" + manifest, "--outputDir=" + out, "--endpoint=" + endpoint, "--report=false");
  }

  private static Process start(List<String> args, Path log) throws IOException {
    return ClipManifest.startCli(KEY, log, args.toArray(String[]::new));
  }

  static Map<String, Integer> okLinesPerItem(Path out) throws IOException {
    Map<String, Integer> ok = new HashMap<>();
    for (LedgerRecord r : LedgerView.read(out.resolve("ledger.jsonl")).lines()) {
      if (r.isOk()) {
        ok.merge(r.id(), 1, Integer::sum);
      }
    }
    return ok;
  }

  private static String log(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
  }
}
