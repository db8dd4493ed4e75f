package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.api.MisbehavingServer;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.OutputFolder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service that accepts every connection, reads every request and never answers: the batch (the CLI in a
 * process of its own) must end by itself, exit 3, with the requests it sent {@code uncertain} and the rest not
 * sent. Run with the defaults scaled down 300 times (read timeout 1 s for 300 s, slot hold 2 s for 600 s), the
 * cap and the failure count as they are (5, 20); the bound is (ceil(N/C) - 1) x S + R = 3 x 2 + 1 = 7 s of
 * sending. The elapsed time is printed for BENCHMARKS.md, not asserted (no wall-clock limits in tests).
 */
class UnansweringServiceTest {
  private static final int ITEMS = 30;
  @TempDir Path dir;

  @Test
  void aServiceThatNeverAnswersStopsTheBatchAfterABoundedTime() throws Exception {
    Path manifest = ClipManifest.write(dir.resolve("manifest.jsonl"), ITEMS, i -> "Say something.");
    Path out = dir.resolve("out");
    try (MisbehavingServer service = new MisbehavingServer((socket, reply) -> MisbehavingServer.holdOpen(socket))) {
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("ZHIPUAI_API_KEY", "silent.c2VjcmV0c2VjcmV0");
      long start = System.nanoTime();
      ChildProcess run = ChildProcess.start(ChildProcess.cli(List.of("-Xmx256m"), "--manifest=" + manifest,
          "--outputDir=" + out, "--endpoint=" + service.endpoint(), "--maxInFlight=5",
          "--readTimeoutSeconds=1", "--serviceMaxRequestSeconds=2", "--maxConsecutiveConnectionFailures=20"),
          env, dir, "batch");
      int code = run.exitWithin(600);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(ExitCode.STOPPED_EARLY.code(), code, run.all());
      assertTrue(run.out().contains("STOPPED EARLY: the service at 127.0.0.1:" + service.port()
          + " gave no answer to 20 attempts in a row"), run.all());

      Map<String, LedgerRecord> last = LedgerView.read(out.resolve(OutputFolder.LEDGER)).latest();
      long uncertain = last.values().stream().filter(r -> r.status() == LedgerStatus.UNCERTAIN).count();
      long notSent = last.values().stream().filter(r -> r.status() == LedgerStatus.FAILED
          && "batch_stopped".equals(r.error().code())).count();
      assertTrue(uncertain >= 20 && uncertain <= 25, "uncertain " + uncertain + ": " + last.values());
      assertEquals(ITEMS, uncertain + notSent, last.values().toString());
      assertEquals(uncertain, service.requests(), "each request it received is one uncertain item");
      // From the first request's start to the last line: the part the formula bounds.
      Instant first = last.values().stream().filter(r -> r.status() == LedgerStatus.UNCERTAIN)
          .map(r -> Instant.parse(r.call().startedAt())).min(Instant::compareTo).orElseThrow();
      Instant end = last.values().stream().map(r -> Instant.parse(r.call().finishedAt())).max(Instant::compareTo).orElseThrow();
      System.out.printf(Locale.ROOT, "UnansweringServiceTest: cap 5, N 20, read timeout 1 s, slot hold 2 s: "
          + "%.1f s from the first request to the stop (formula: 7 s); the CLI process ran %.1f s; %d requests "
          + "received, %d items uncertain, %d not sent%n", Duration.between(first, end).toMillis() / 1000.0, seconds,
          service.requests(), uncertain, notSent);
    }
  }
}
