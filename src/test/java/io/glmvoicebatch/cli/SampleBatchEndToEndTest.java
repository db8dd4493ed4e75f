package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.api.TokenEstimate;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.manifest.Manifest;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.ManifestReader;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.ReplyAudioForm;
import io.glmvoicebatch.simulator.SimulatorConfig;
import io.glmvoicebatch.simulator.SimulatorStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The README's main command, run in-process over the shipped sample manifest against the simulator on
 * loopback, exactly as a user with a key runs it against the real service.
 */
class SampleBatchEndToEndTest {
  static final String KEY = "e2etest01.c2VjcmV0c2VjcmV0";
  static final Path SAMPLE = Path.of("sample-data/manifest.jsonl");

  @TempDir Path out;

  @ParameterizedTest
  @EnumSource(ReplyAudioForm.class)
  void sampleManifestEndsOkWithTokensAndCostMatchingTheService(ReplyAudioForm form) throws Exception {
    SimulatorConfig config = SimulatorConfig.builder().apiKey(KEY).maxInFlight(5)
        .latency(LatencyModel.fixed(Duration.ofMillis(30))).replyAudioForm(form).build();
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config)) {
      CliRun run = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY),
          "--manifest=" + SAMPLE, "--outputDir=" + out, "--endpoint=" + sim.baseUrl());
      assertEquals(ExitCode.ALL_DONE, run.code, run.all());
      assertTrue(!run.all().contains(KEY), "key leaked into output");

      Manifest manifest = ManifestReader.read(SAMPLE);
      LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));
      SimulatorStats stats = sim.stats();
      long ledgerTokens = 0;
      for (ManifestItem item : manifest.items()) {
        LedgerRecord r = ledger.latest().get(item.id());
        assertNotNull(r, item.id());
        assertEquals(LedgerStatus.OK, r.status(), r.toString());
        assertNull(r.error());
        assertEquals(1, r.call().attempts());
        // Tokens are the service's own count for this request id, and the arithmetic we expect of it.
        assertEquals(stats.billedTokensByRequestId().get(r.call().requestId()), r.usage().totalTokens(), item.id());
        assertEquals(r.usage().promptTokens() + r.usage().completionTokens(), r.usage().totalTokens());
        long sentFrames = Math.round(r.input().secondsSent() * 16000);
        long expectedPrompt = TokenEstimate.audioTokens(sentFrames, 16000)
            + TokenEstimate.textTokens(TokenEstimate.promptText(item.params().system(), item.params().prompt()));
        assertEquals(expectedPrompt, r.usage().promptTokens(), item.id());
        int maxTokens = item.params().effectiveMaxTokens();
        assertTrue(r.usage().completionTokens() > 0 && r.usage().completionTokens() <= maxTokens);
        assertEquals(new BigDecimal(r.usage().totalTokens()).multiply(new BigDecimal("80")).movePointLeft(6)
            .compareTo(new BigDecimal(r.usage().costRmb())), 0, r.usage().costRmb());
        assertEquals("80", r.usage().pricePerMillionTokens());
        ledgerTokens += r.usage().totalTokens();

        Path wav = out.resolve(r.reply().outputAudio());
        AudioFileFormat format = AudioSystem.getAudioFileFormat(wav.toFile());
        assertEquals(AudioFileFormat.Type.WAVE, format.getType());
        assertTrue(format.getFrameLength() > 0, "reply WAV has no frames: " + wav);
        assertTrue(r.reply().replySeconds() > 0);
        assertTrue(!Files.readString(out.resolve(r.reply().outputText()), StandardCharsets.UTF_8).isBlank());
        assertTrue(r.input().seconds() > 0 && r.input().secondsSent() > 0 && r.input().secondsSent() <= r.input().seconds() + 0.01);
      }
      assertEquals(stats.totalTokensBilled(), ledgerTokens, "ledger and service disagree on tokens");
      assertEquals(0, stats.tooManyRequestsSent());
      assertTrue(Files.exists(out.resolve("summary.json")));
      assertTrue(run.stdout.contains(manifest.items().size() + " ok, 0 failed"), run.stdout);
    }
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    CliRun run = CliRun.of(Map.of(), "--help");
    assertEquals(ExitCode.ALL_DONE, run.code);
    for (String name : HelpText.optionNames()) {
      assertTrue(run.stdout.contains("--" + name + "="), name);
    }
    assertTrue(run.stdout.contains("--tier=<String>  (default: V0)"), run.stdout);
    // One option of each stage's interface that VoiceBatchOptions extends, and of its own; none of Beam's.
    for (String name : List.of("manifest", "targetLufs", "endpoint", "clusterWorkers", "outputDir", "maxCostRmb",
        "retryFailed", "simulatorSeed", "progressIntervalSeconds")) {
      assertTrue(HelpText.optionNames().contains(name) && run.stdout.contains("--" + name + "="), name);
    }
    assertFalse(run.stdout.contains("--runner="), run.stdout);
    // It reads on an 80-column terminal: every row fits, descriptions broken between words, none lost.
    for (String row : run.stdout.lines().toList()) {
      assertTrue(row.length() < 80, row.length() + " columns: " + row);
    }
    String flowed = run.stdout.replaceAll("\\s+", " ");
    assertTrue(flowed.contains("Worker JVMs the batch runs on (TaskManagers, executors). Above 1, the workers share the "
        + "account's cap through lease files in the output folder (.slots/)"), run.stdout);
  }

  @Test
  void badUsageExitsTwoNamingTheOption() {
    CliRun run = CliRun.of(Map.of(), "--manifest=" + SAMPLE, "--outputDir=" + out, "--tier=V9");
    assertEquals(ExitCode.USAGE, run.code);
    assertTrue(run.stderr.contains("--tier=V9 is not a tier; accepted: V0 (5 in flight)"), run.stderr);
    CliRun unknown = CliRun.of(Map.of(), "--manifest=" + SAMPLE, "--outputDir=" + out, "--maxInFlights=3");
    assertEquals(ExitCode.USAGE, unknown.code);
    assertTrue(unknown.stderr.contains("missing a property named 'maxInFlights'. Did you mean 'maxInFlight'?"),
        unknown.stderr);
    CliRun notANumber = CliRun.of(Map.of(), "--manifest=" + SAMPLE, "--outputDir=" + out, "--maxInFlight=abc");
    assertEquals(ExitCode.USAGE, notANumber.code);
    assertTrue(notANumber.stderr.contains("--maxInFlight=abc: expected a whole number"), notANumber.stderr);
    CliRun noManifest = CliRun.of(Map.of(), "--outputDir=" + out);
    assertEquals(ExitCode.USAGE, noManifest.code);
    assertTrue(noManifest.stderr.contains("--manifest is required"), noManifest.stderr);
  }

  /** One in-process CLI run with captured output. */
  static final class CliRun {
    final ExitCode code;
    final String stdout;
    final String stderr;

    private CliRun(ExitCode code, String stdout, String stderr) {
      this.code = code;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    static CliRun of(Map<String, String> env, String... args) {
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      ByteArrayOutputStream e = new ByteArrayOutputStream();
      ExitCode code = Main.run(args, env, new PrintStream(o, true, StandardCharsets.UTF_8),
          new PrintStream(e, true, StandardCharsets.UTF_8));
      return new CliRun(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    String all() {
      return stdout + "\n" + stderr;
    }
  }
}
