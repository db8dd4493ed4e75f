package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.report.ReportModel;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Money after a crash series, with real processes: two runs killed with SIGKILL mid-batch, the run that
 * finishes, then a run with changed prompts for some items. The summary's and the report's money is what may
 * have been paid (every billed line, the killed runs' in-flight attempts at their worst case), never less than
 * what the service billed; the part paid for earlier runs is shown apart.
 */
class MoneyAfterCrashTest {
  static final String KEY = "moneycrash.c2VjcmV0c2VjcmV0";
  static final int ITEMS = 30;
  static final BigDecimal PRICE = new BigDecimal("80");
  @TempDir Path dir;

  @Test
  void theSummaryCountsEveryBilledLineAndTheUncertainAttemptsAtTheirWorstCase() throws Exception {
    Path out = dir.resolve("out");
    SimulatorConfig config = SimulatorConfig.builder().apiKey(KEY).maxInFlight(5).seed(3)
        .latency(LatencyModel.fixed(Duration.ofMillis(400))).build();
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config)) {
      Path manifest = manifest("first", "Answer item %d briefly.");
      for (int kill = 0; kill < 2; kill++) {
        long okBefore = okLines(out);
        Process p = start(manifest, out, sim.baseUrl(), dir.resolve("run-" + kill + ".log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && okLines(out) < okBefore + 4 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertTrue(p.isAlive(), "run " + kill + " ended before it was killed");
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      }
      Process last = start(manifest, out, sim.baseUrl(), dir.resolve("final.log"));
      assertTrue(last.waitFor(300, TimeUnit.SECONDS));
      assertEquals(0, last.exitValue(), Files.readString(dir.resolve("final.log")));

      LedgerView view = LedgerView.read(out.resolve("ledger.jsonl"));
      long okTokens = view.latest().values().stream().mapToLong(r -> r.usage().totalTokens()).sum();
      long serviceBilled = sim.stats().totalTokensBilled();
      long uncertainLines = view.lines().stream().filter(r -> r.status() == LedgerStatus.UNCERTAIN).count();
      assertTrue(serviceBilled > okTokens && uncertainLines > 0, "the killed runs' in-flight requests were billed "
          + "by the service (" + serviceBilled + " > " + okTokens + ") and are named uncertain: " + uncertainLines);

      JsonNode summary = summary(out);
      assertEquals(0, Cost.of(okTokens, PRICE).compareTo(new BigDecimal(summary.get("cost_billed").asText())));
      assertEquals(uncertainLines, summary.get("uncertain_attempts").asLong());
      BigDecimal mayHaveBeenPaid = new BigDecimal(summary.get("cost").asText());
      assertTrue(mayHaveBeenPaid.compareTo(Cost.of(serviceBilled, PRICE)) >= 0,
          "summary cost " + mayHaveBeenPaid + " is below what the service billed, " + Cost.of(serviceBilled, PRICE));
      assertReportAgrees(out, summary);

      // A later run with new prompts for the first 5 items: their first results were paid for in earlier runs.
      Path changed = manifest("changed", "Answer item %d in one sentence.");
      Process again = start(changed, out, sim.baseUrl(), dir.resolve("again.log"));
      assertTrue(again.waitFor(300, TimeUnit.SECONDS));
      String againLog = Files.readString(dir.resolve("again.log"));
      assertEquals(0, again.exitValue(), againLog);
      JsonNode after = summary(out);
      long firstFive = 0;
      for (int i = 0; i < 5; i++) {
        firstFive += view.latest().get("clip-" + i).usage().totalTokens();
      }
      assertEquals(0, Cost.of(firstFive, PRICE).compareTo(new BigDecimal(after.get("cost_earlier_attempts").asText())),
          "the 5 items sent again: their first ok lines are the earlier part: " + after);
      assertTrue(againLog.contains("billed for earlier attempts and runs"), againLog);
      assertTrue(new BigDecimal(after.get("cost").asText()).compareTo(Cost.of(sim.stats().totalTokensBilled(), PRICE)) >= 0);
      assertReportAgrees(out, after);
      System.out.printf("money after crash: service billed %d tokens, ok lines %d, %d uncertain attempts; summary %s%n",
          serviceBilled, okTokens, uncertainLines, summary);
    }
  }

  private static void assertReportAgrees(Path out, JsonNode summary) throws IOException {
    BigDecimal report = ReportModel.read(out).totals().costByCurrency().get("RMB");
    assertEquals(0, new BigDecimal(summary.get("cost").asText()).compareTo(report), "report " + report);
    assertEquals(summary.get("total_tokens").asLong(), ReportModel.read(out).totals().spend().totalTokens());
  }

  private static JsonNode summary(Path out) throws IOException {
    return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }

  /** 30 items; with the "changed" manifest the first 5 carry a new prompt. */
  private Path manifest(String name, String prompt) throws IOException {
    return ClipManifest.write(dir.resolve(name + ".jsonl"), ITEMS,
        i -> name.equals("changed") && i < 5 ? String.format(prompt, i) : String.format("Answer item %d briefly.", i));
  }

  private static Process start(Path manifest, Path out, String endpoint, Path log) throws IOException {
    return ClipManifest.startCli(KEY, log, "--manifest=" + manifest, "--outputDir=" + out, "--endpoint=" + endpoint,
        "--report=false");
  }

  private static long okLines(Path out) throws IOException {
    Path ledger = out.resolve("ledger.jsonl");
    if (!Files.exists(ledger)) {
      return 0;
    }
    try (var lines = Files.lines(ledger, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains("\"status\":\"ok\"")).count();
    }
  }
}
