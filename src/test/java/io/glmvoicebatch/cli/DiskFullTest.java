package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: the output folder is a 3 MB tmpfs (we run as root here; otherwise skipped, saying
 * why). The batch must stop with exit code 5 and one line, leave no temporary file, lose no paid reply
 * (ledger tokens = the service's billed tokens), and after the tmpfs is enlarged the same command finishes
 * with nothing paid twice. The CLI runs as a child process, so its stderr shows any stack trace.
 */
class DiskFullTest {
  private static final String KEY = "diskfull.c2VjcmV0c2VjcmV0";
  private static final int ITEMS = 20;
  @TempDir Path dir;

  @Test
  void theRoomCheckStopsSendingBeforeTheDiskIsFullAndTheNextRunFinishesWithoutPayingTwice() throws Exception {
    runTwice(List.of(), false);
  }

  /**
   * The size assumption made wrong on purpose (a reply assumed to take almost nothing), so the check lets
   * requests through and a paid reply meets ENOSPC while written: it is held outside the folder under an ok
   * line, sending stops, and the next run moves it into place instead of paying again.
   */
  @Test
  void aReplyThatMeetsAFullDiskAnywayIsHeldAndMovedInByTheNextRun() throws Exception {
    runTwice(List.of("--replyAudioTokensPerSecond=1000000", "--diskMarginBytes=0"), true);
  }

  private void runTwice(List<String> extra, boolean expectHeld) throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "skipped: mounting a 3 MB tmpfs needs root (running as " + System.getProperty("user.name") + ")");
    Path out = Files.createDirectories(dir.resolve("out"));
    mount("size=3m", out);
    Path held = new OutputFolder(out).heldRoot();
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY)
        .latency(LatencyModel.fixed(Duration.ofMillis(20))).build())) {
      List<String> args = new ArrayList<>(List.of("--manifest=" + manifest(), "--outputDir=" + out,
          "--endpoint=" + sim.baseUrl()));
      args.addAll(extra);

      ChildProcess first = run(args, "first");
      assertEquals(ExitCode.DISK_FULL.code(), first.exitWithin(300), first.all());
      assertNoStackTrace(first);
      List<String> stop = first.out().lines().filter(l -> l.contains("disk full")).toList();
      assertEquals(1, stop.size(), first.all());
      assertTrue(stop.get(0).startsWith("STOPPED EARLY: disk full"), stop.get(0));
      assertEquals(List.of(), temporaries(out));
      LedgerView ledger = LedgerView.read(out.resolve(OutputFolder.LEDGER));
      assertEquals(sim.stats().totalTokensBilled(), billedTokens(ledger), "every paid reply is in the ledger");
      long okFirst = sim.stats().okReplies();
      assertTrue(okFirst > 0 && okFirst < ITEMS, "billed " + okFirst + " of " + ITEMS);
      long notSent = ledger.latest().values().stream().filter(r -> "disk_full".equals(r.reason())
          && r.status() == LedgerStatus.SKIPPED).count();
      assertTrue(notSent > 0, "items left unsent are skipped with reason disk_full");
      long heldFiles = count(held);
      System.out.println("DiskFullTest first run (" + extra + "): " + okFirst + " replies billed, " + notSent
          + " skipped, " + heldFiles + " held files; " + stop.get(0) + "\n" + first.all());
      assertEquals(expectHeld, heldFiles > 0, "held replies: " + heldFiles);

      remount("size=64m", out);
      // What a killed run leaves: our temporary names go at the next start; a user's file of a like name stays.
      Files.writeString(out.resolve("audio/.clip-0.wav.tmp-99"), "half a reply");
      Files.writeString(out.resolve(".summary.json.tmp-7"), "{");
      Files.writeString(out.resolve("audio/notes.tmp"), "mine");
      ChildProcess second = run(args, "second");
      assertEquals(ExitCode.ALL_DONE.code(), second.exitWithin(300), second.all());
      assertNoStackTrace(second);
      System.out.println("DiskFullTest second run:\n" + second.all());
      assertEquals(ITEMS, sim.stats().okReplies(), "every item paid exactly once over both runs");
      assertEquals(sim.stats().totalTokensBilled(), billedTokens(LedgerView.read(out.resolve(OutputFolder.LEDGER))));
      assertEquals(List.of(), temporaries(out));
      assertEquals(0, count(held), "held replies moved into the folder");
      assertTrue(Files.exists(out.resolve("audio/notes.tmp")), "not our temporary name: left alone");
      for (LedgerRecord r : LedgerView.read(out.resolve(OutputFolder.LEDGER)).latest().values()) {
        assertTrue(r.isOk(), r.toString());
        assertTrue(Files.size(out.resolve(r.reply().outputAudio())) > 44, r.reply().outputAudio());
      }
    } finally {
      umount(out);
      deleteTree(held);
    }
  }

  private ChildProcess run(List<String> args, String name) throws IOException {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("ZHIPUAI_API_KEY", KEY);
    return ChildProcess.start(ChildProcess.cli(List.of("-Xmx256m"), args.toArray(String[]::new)), env, dir, name);
  }

  /** Twenty sample clips, each asking for at most 40 tokens (3.2 s) of reply. */
  private Path manifest() throws IOException {
    File[] clips = Path.of("sample-data/clips").toFile().listFiles((d, n) -> n.endsWith(".wav"));
    Arrays.sort(clips);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      lines.add("{\"id\":\"clip-" + i + "\",\"audio\":\"" + clips[i % clips.length].getAbsolutePath()
          + "\",\"prompt\":\"Answer briefly.\",\"max_tokens\":40}");
    }
    return Files.write(dir.resolve("manifest.jsonl"), lines, StandardCharsets.UTF_8);
  }

  private static long billedTokens(LedgerView ledger) {
    return ledger.lines().stream().filter(r -> r.usage().totalTokens() != null).mapToLong(r -> r.usage().totalTokens()).sum();
  }

  private static void assertNoStackTrace(ChildProcess p) throws IOException {
    String all = p.all();
    assertFalse(all.contains("\tat ") || all.contains("Exception:") || all.contains("error:"), all);
  }

  private static List<String> temporaries(Path out) throws IOException {
    try (Stream<Path> files = Files.walk(out)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.contains(".tmp") && !n.equals("notes.tmp"))
          .toList();
    }
  }

  private static long count(Path tree) throws IOException {
    if (!Files.isDirectory(tree)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(tree)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private static void mount(String size, Path at) throws Exception {
    String said = command("mount", "-t", "tmpfs", "-o", size, "tmpfs", at.toString());
    Assumptions.assumeTrue(said == null, "skipped: cannot mount a tmpfs here: " + said);
  }

  private static void remount(String size, Path at) throws Exception {
    String said = command("mount", "-o", "remount," + size, at.toString());
    assertEquals(null, said, "remount");
  }

  private static void umount(Path at) throws Exception {
    command("umount", at.toString());
  }

  /** Runs a command; null when it exits 0, else its exit code and output. */
  private static String command(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    int code = p.waitFor();
    return code == 0 ? null : "exit " + code + ": " + output;
  }

  private static void deleteTree(Path tree) throws IOException {
    if (!Files.exists(tree)) {
      return;
    }
    try (Stream<Path> files = Files.walk(tree)) {
      for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
