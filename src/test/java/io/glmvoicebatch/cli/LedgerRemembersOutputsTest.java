package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger is the memory of what was paid: a folder with reply files but no ledger is refused (exit 2,
 * naming the way out), --rebuildLedger rebuilds lines from the reply files so nothing is sent again, and
 * --force sends everything again.
 */
class LedgerRemembersOutputsTest {
  static final String KEY = "ledgermem.c2VjcmV0c2VjcmV0";
  static final Path SAMPLE = Path.of("sample-data/manifest.jsonl");
  @TempDir Path out;

  private static GlmVoiceSimulator simulator() throws Exception {
    return GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY)
        .latency(LatencyModel.fixed(Duration.ofMillis(10))).build());
  }

  private CliRun run(GlmVoiceSimulator sim, String... extra) {
    String[] args = new String[3 + extra.length];
    args[0] = "--manifest=" + SAMPLE;
    args[1] = "--outputDir=" + out;
    args[2] = "--endpoint=" + sim.baseUrl();
    System.arraycopy(extra, 0, args, 3, extra.length);
    return CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), args);
  }

  @Test
  void outputsWithoutALedgerAreRefusedThenRebuiltSoNothingIsPaidAgain() throws Exception {
    try (GlmVoiceSimulator sim = simulator()) {
      CliRun first = run(sim, "--report=false");
      assertEquals(ExitCode.ALL_DONE, first.code, first.all());
      long paid = sim.stats().requests();
      assertEquals(8, paid);
      Files.delete(out.resolve("ledger.jsonl"));

      CliRun refused = run(sim);
      assertEquals(ExitCode.USAGE, refused.code, refused.all());
      assertTrue(refused.stderr.contains("holds reply files (e.g. ") && refused.stderr.contains("but no ledger")
          && refused.stderr.contains("--rebuildLedger") && refused.stderr.contains("--force"), refused.stderr);
      assertEquals(paid, sim.stats().requests(), "refused: nothing sent");
      assertTrue(!Files.exists(out.resolve("ledger.jsonl")), "refused: no ledger written");

      CliRun rebuilt = run(sim, "--rebuildLedger=true");
      assertEquals(ExitCode.ALL_DONE, rebuilt.code, rebuilt.all());
      assertEquals(paid, sim.stats().requests(), "every item was found done in the rebuilt ledger: nothing paid again");
      assertTrue(rebuilt.stdout.contains("8 already done"), rebuilt.stdout);
      LedgerView view = LedgerView.read(out.resolve("ledger.jsonl"));
      assertEquals(8, view.lines().size());
      for (LedgerRecord r : view.lines()) {
        assertEquals(LedgerStatus.OK, r.status(), r.toString());
        assertEquals(RebuiltLedger.REASON, r.reason());
        assertNull(r.usage().totalTokens(), "tokens are not in the reply files");
        assertTrue(r.reply().replySeconds() > 0, r.toString());
        assertTrue(r.input().fingerprint() != null && r.manifestLine() != null, r.toString());
      }
    }
  }

  @Test
  void forceSendsEverythingAgain() throws Exception {
    try (GlmVoiceSimulator sim = simulator()) {
      assertEquals(ExitCode.ALL_DONE, run(sim, "--report=false").code);
      Files.delete(out.resolve("ledger.jsonl"));
      CliRun forced = run(sim, "--force=true", "--report=false");
      assertEquals(ExitCode.ALL_DONE, forced.code, forced.all());
      assertTrue(forced.stderr.contains("--force"), forced.stderr);
      assertEquals(16, sim.stats().requests(), "--force sends (and pays for) every item again");
    }
  }

  @Test
  void aDryRunIsNotRefused() throws Exception {
    try (GlmVoiceSimulator sim = simulator()) {
      assertEquals(ExitCode.ALL_DONE, run(sim, "--report=false").code);
      Files.delete(out.resolve("ledger.jsonl"));
      CliRun dry = run(sim, "--dryRun=true");
      assertEquals(ExitCode.ALL_DONE, dry.code, dry.all());
    }
  }
}
