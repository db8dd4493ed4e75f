package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dry-run estimates against what the service bills, and the budget ceiling. */
class MoneyTest {
  static final String KEY = "moneytest.c2VjcmV0c2VjcmV0";
  static final Path SAMPLE = Path.of("sample-data/manifest.jsonl");
  @TempDir Path out;

  private static GlmVoiceSimulator simulator() throws Exception {
    return GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY)
        .latency(LatencyModel.fixed(Duration.ofMillis(20))).build());
  }

  /** The sample's clips five times over (40 items), so the typical reply length is an average, not luck. */
  private Path forty() throws Exception {
    List<String> lines = new ArrayList<>();
    List<String> sample = Files.readAllLines(SAMPLE);
    for (int copy = 0; copy < 5; copy++) {
      for (String line : sample) {
        lines.add(line.replace("\"id\": \"", "\"id\": \"c" + copy + "-")
            .replace("\"clips/", "\"" + SAMPLE.toAbsolutePath().getParent() + "/clips/"));
      }
    }
    Path manifest = out.resolveSibling(out.getFileName() + "-forty.jsonl");
    Files.write(manifest, lines);
    return manifest;
  }

  @Test
  void dryRunSendsNothingAndItsPromptTokensMatchWhatTheServiceBills() throws Exception {
    Path manifest = forty();
    try (GlmVoiceSimulator sim = simulator()) {
      // The simulator speaks 2 to 8 s per reply (62.5 audio tokens on average) plus about 12 text tokens:
      // 75 is its typical completion, what a user would measure from a first ledger.
      CliRun dry = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=" + manifest, "--outputDir=" + out,
          "--endpoint=" + sim.baseUrl(), "--dryRun=true", "--expectedCompletionTokens=75");
      assertEquals(ExitCode.ALL_DONE, dry.code, dry.all());
      assertEquals(0, sim.stats().requests(), "a dry run must not send");
      assertTrue(dry.stdout.contains("DRY RUN"), dry.stdout);
      LedgerView estimates = LedgerView.read(out.resolve("dry-run.jsonl"));
      assertTrue(!out.resolve("ledger.jsonl").toFile().exists(), "a dry run must not touch the ledger");

      CliRun real = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=" + manifest, "--outputDir=" + out,
          "--endpoint=" + sim.baseUrl());
      assertEquals(ExitCode.ALL_DONE, real.code, real.all());
      LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));
      BigDecimal expected = BigDecimal.ZERO;
      BigDecimal actual = BigDecimal.ZERO;
      for (LedgerRecord estimate : estimates.latest().values()) {
        LedgerRecord billed = ledger.latest().get(estimate.id());
        assertEquals(billed.usage().promptTokens(), estimate.usage().promptTokens(), estimate.id() + ": prompt tokens estimate");
        assertTrue(estimate.usage().worstCaseTokens() >= billed.usage().totalTokens(), estimate.id() + ": worst case below actual");
        expected = expected.add(estimate.usage().cost());
        actual = actual.add(billed.usage().cost());
      }
      assertEquals(40, estimates.latest().size());
      double ratio = expected.doubleValue() / actual.doubleValue();
      assertTrue(ratio > 0.9 && ratio < 1.1, "expected cost " + expected + " vs actual " + actual);
    }
  }

  @Test
  void budgetStopsSendingBeforeTheWorstCaseCouldExceedItAndExitsThree() throws Exception {
    try (GlmVoiceSimulator sim = simulator()) {
      // Each sample item's worst case is about 0.05 to 0.09 RMB (prompt + max_tokens), its real cost about
      // 0.01: the 40 items cost about 0.4, so 0.2 runs out, after about half of them.
      CliRun run = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=" + forty(), "--outputDir=" + out,
          "--endpoint=" + sim.baseUrl(), "--maxCostRmb=0.2");
      assertEquals(ExitCode.STOPPED_EARLY, run.code, run.all());
      LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));
      BigDecimal spent = BigDecimal.ZERO;
      int ok = 0;
      int budgetSkips = 0;
      for (LedgerRecord r : ledger.latest().values()) {
        if (r.isOk()) {
          ok++;
          spent = spent.add(r.usage().cost());
        } else {
          assertEquals(LedgerStatus.SKIPPED, r.status(), r.toString());
          assertEquals("budget", r.reason());
          budgetSkips++;
        }
      }
      assertTrue(ok >= 1 && budgetSkips >= 1, "ok " + ok + ", skipped " + budgetSkips);
      assertEquals(ok, sim.stats().requests());
      assertTrue(spent.compareTo(new BigDecimal("0.2")) <= 0, "spent " + spent);
      // Worst cases are reserved only while requests are in flight, and a request that does not fit waits
      // for them to settle: the budget is used up to about one worst case, not given up at the first miss.
      assertTrue(spent.compareTo(new BigDecimal("0.11")) > 0, "spent only " + spent + " of 0.2");
      assertTrue(run.stdout.contains("STOPPED EARLY: budget"), run.stdout);
      assertTrue(run.stdout.contains("skipped by reason: {budget=" + budgetSkips + "}"), run.stdout);
    }
  }
}
