package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No single item can stop or hang the batch, run as a real CLI process: audio paths that are a FIFO,
 * /dev/zero, /dev/urandom or a folder, and an 8,000-character system prompt are their items' errors while
 * the good items are sent; then a ledger line spoiled with bytes that are not UTF-8 is skipped with a
 * warning naming it and the next run resumes from the others.
 */
class NoItemStopsTheBatchTest {
  static final String KEY = "noitemstops.c2VjcmV0c2VjcmV0";
  @TempDir Path dir;

  @Test
  void specialFilesAndAHugePromptAreTheirItemsErrorsAndABadLedgerLineIsSkipped() throws Exception {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")) && Files.exists(Path.of("/dev/urandom")),
        "skipped: no /dev/zero or /dev/urandom on this machine");
    Path fifo = dir.resolve("lesson.wav");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    Assumptions.assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0,
        "skipped: mkfifo is not available");
    String good = Path.of("sample-data/clips/en-sky-blue.wav").toAbsolutePath().toString();
    List<String> lines = new ArrayList<>();
    lines.add("{\"id\":\"fifo\",\"audio\":\"" + fifo + "\"}");
    lines.add("{\"id\":\"zero\",\"audio\":\"/dev/zero\"}");
    lines.add("{\"id\":\"urandom\",\"audio\":\"/dev/urandom\"}");
    lines.add("{\"id\":\"folder\",\"audio\":\"" + dir + "\"}");
    lines.add("{\"id\":\"huge-system\",\"audio\":\"" + good + "\",\"system\":\"" + "很".repeat(8000) + "\"}");
    lines.add("{\"id\":\"good-1\",\"audio\":\"" + good + "\",\"prompt\":\"Answer briefly.\"}");
    lines.add("{\"id\":\"good-2\",\"audio\":\"" + good + "\",\"prompt\":\"Answer in one sentence.\"}");
    Path manifest = dir.resolve("manifest.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    Path out = dir.resolve("out");

    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY)
        .latency(LatencyModel.fixed(Duration.ofMillis(10))).build())) {
      String log = run(manifest, out, sim, "first");
      LedgerView view = LedgerView.read(out.resolve("ledger.jsonl"));
      assertEquals(LedgerStatus.OK, view.latest().get("good-1").status(), log);
      assertEquals(LedgerStatus.OK, view.latest().get("good-2").status(), log);
      assertFailed(view, "fifo", "audio_unreadable", "is a FIFO (named pipe), not a regular file");
      assertFailed(view, "zero", "audio_unreadable", "is a character device, not a regular file");
      assertFailed(view, "urandom", "audio_unreadable", "is a character device, not a regular file");
      assertFailed(view, "folder", "audio_unreadable", "is a directory");
      assertFailed(view, "huge-system", "prompt_too_long", "leave no room for audio");
      assertEquals(2, sim.stats().requests(), "only the good items were sent");

      // Spoil the first line (good-1's or good-2's intent, or a failed item's line) with bytes that are not UTF-8.
      byte[] ledger = Files.readAllBytes(out.resolve("ledger.jsonl"));
      int firstQuote = indexOf(ledger, (byte) '"', 0);
      ledger[firstQuote + 1] = (byte) 0xFF;
      ledger[firstQuote + 2] = (byte) 0xFE;
      Files.write(out.resolve("ledger.jsonl"), ledger);
      String again = run(manifest, out, sim, "again");
      assertTrue(again.contains("line 1: not valid UTF-8 (skipped)"), again);
      assertEquals(2, sim.stats().requests(), "the good items' ok lines were still read: nothing sent again");
    }
  }

  private String run(Path manifest, Path out, GlmVoiceSimulator sim, String name) throws Exception {
    Path log = dir.resolve(name + ".log");
    Process p = ClipManifest.startCli(KEY, log, "--manifest=" + manifest, "--outputDir=" + out,
        "--endpoint=" + sim.baseUrl(), "--report=false");
    // A hang is what this test is about: it fails instead of waiting for ever.
    boolean ended = p.waitFor(300, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(ended, "the batch hung: " + text);
    assertEquals(1, p.exitValue(), "some items failed, the batch ran to its end: " + text);
    return text;
  }

  private static void assertFailed(LedgerView view, String id, String code, String what) {
    LedgerRecord r = view.latest().get(id);
    assertEquals(LedgerStatus.FAILED, r.status(), r.toString());
    assertEquals(code, r.error().code(), r.toString());
    assertTrue(r.error().message().contains(what) && r.error().message().contains("item '" + id + "'"),
        r.error().message());
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
