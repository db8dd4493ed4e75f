package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger written by an earlier release (fingerprint version 1, committed under
 * src/test/resources/resume-v1 as that release wrote it, commit 5515f34) resumes with nothing sent again:
 * the fingerprint of an unchanged item must not move between releases, or a finished batch is paid twice.
 */
class ResumeOldLedgerTest {
  private static final String KEY = "oldledger.c2VjcmV0c2VjcmV0";
  private static final Path FIXTURE = Path.of("src/test/resources/resume-v1");
  @TempDir Path dir;

  @Test
  void aVersionOneLedgerResumesWithNothingSent() throws Exception {
    Path manifest = dir.resolve("manifest.jsonl");
    Files.writeString(manifest, Files.readString(FIXTURE.resolve("manifest.jsonl"))
        .replace("\"clips/", "\"" + Path.of("sample-data").toAbsolutePath() + "/clips/"));
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.copy(FIXTURE.resolve("ledger.jsonl"), out.resolve("ledger.jsonl"));
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY).build())) {
      CliRun run = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=" + manifest, "--outputDir=" + out,
          "--endpoint=" + sim.baseUrl(), "--report=false");
      assertEquals(ExitCode.ALL_DONE, run.code, run.all());
      assertEquals(0, sim.stats().requests(), "an item the old ledger holds as ok was sent again:\n" + run.all());
      assertTrue(run.stdout.contains("3 already done"), run.stdout);
      Map<String, LedgerRecord> latest = LedgerView.read(out.resolve("ledger.jsonl")).latest();
      assertEquals(3, latest.size(), latest.toString());
      latest.values().forEach(r -> assertEquals(LedgerStatus.OK, r.status(), r.toString()));
    }
  }
}
