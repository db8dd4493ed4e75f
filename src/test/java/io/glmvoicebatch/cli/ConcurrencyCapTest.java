package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tier's cap is reached and never exceeded, whatever the runner's thread count. */
class ConcurrencyCapTest {
  static final String KEY = "captest01.c2VjcmV0c2VjcmV0";
  @TempDir Path dir;

  private Path manifestOf(int items) throws Exception {
    List<String> lines = new ArrayList<>();
    String clip = Path.of("sample-data/clips/en-sky-blue.wav").toAbsolutePath().toString();
    for (int i = 0; i < items; i++) {
      lines.add("{\"id\":\"item-" + i + "\",\"audio\":\"" + clip + "\",\"prompt\":\"Answer briefly.\"}");
    }
    Path manifest = dir.resolve("manifest.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    return manifest;
  }

  private void runAtCap(int simulatorCap, String... capArgs) throws Exception {
    SimulatorConfig config = SimulatorConfig.builder().apiKey(KEY).maxInFlight(simulatorCap)
        .latency(LatencyModel.fixed(Duration.ofMillis(200))).build();
    Path out = dir.resolve("out-" + simulatorCap);
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config)) {
      List<String> args = new ArrayList<>(List.of(
          "--manifest=" + manifestOf(30), "--outputDir=" + out, "--endpoint=" + sim.baseUrl()));
      args.addAll(List.of(capArgs));
      CliRun run = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), args.toArray(String[]::new));
      assertEquals(ExitCode.ALL_DONE, run.code, run.all());
      assertEquals(simulatorCap, sim.stats().maxInFlight(), "the cap should be reached");
      assertEquals(0, sim.stats().tooManyRequestsSent(), "we exceeded the cap");
      LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));
      assertEquals(30, ledger.latest().values().stream().filter(LedgerRecord::isOk).count());
    }
  }

  @Test
  void tierV0KeepsFiveInFlightAndNeverSix() throws Exception {
    runAtCap(5, "--tier=V0");
  }

  @Test
  void maxInFlightOverridesTheTier() throws Exception {
    runAtCap(8, "--tier=V0", "--maxInFlight=8");
  }
}
