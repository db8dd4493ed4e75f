package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.RunTally;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch run unattended or watched: errors an operator can act on, a log that reads, a terminal that does not scroll. */
class OperationsTest {
  static final Pattern ISO_TIMESTAMP = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) .*");
  @TempDir Path dir;

  /** The --outputDir cases: OutputDirChecksTest. */
  @Test
  void anAudioDirWithoutRecordingsIsOneLineAndExit2() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty-day"));
    Files.writeString(empty.resolve("notes.txt"), "no recordings today");
    CliRun none = CliRun.of(Map.of(), "--audioDir=" + empty, "--prompt=hi", "--outputDir=" + dir.resolve("out"));
    assertEquals(ExitCode.USAGE, none.code, none.all());
    assertEquals(1, none.stderr.lines().count(), none.stderr);
    assertTrue(none.stderr.contains("holds no .wav files"), none.stderr);
  }

  @Test
  void theLauncherReportsAUsageErrorBeforeStartingTheJvmThatPreTouchesItsHeap() throws Exception {
    Path file = Files.writeString(dir.resolve("out-is-a-file"), "x");
    Map<String, String> env = new HashMap<>(System.getenv());
    // The bulk presets' pre-touch, plus a flag that makes the big JVM announce itself when it starts.
    env.put("JAVA_OPTS", "-XX:+AlwaysPreTouch -XX:+PrintCommandLineFlags");
    env.put("GLM_VOICE_BATCH_JAR", ChildProcess.pathingJar(dir).toString());
    ChildProcess bad = ChildProcess.start(List.of("bash", "pipelines/run", "adhoc", "--outputDir=" + file), env, dir, "bad");
    assertEquals(ExitCode.USAGE.code(), bad.exitWithin(120), bad.all());
    assertFalse(bad.all().contains("AlwaysPreTouch"), "the pre-touching JVM was started:\n" + bad.all());
    assertEquals(1, bad.err().lines().count(), bad.all());

    ChildProcess good = ChildProcess.start(List.of("bash", "pipelines/run", "adhoc", "--outputDir=" + dir.resolve("out"),
        "--simulatorLatencyMs=20", "--report=false"), env, dir, "good");
    assertEquals(ExitCode.ALL_DONE.code(), good.exitWithin(120), good.all());
    assertTrue(good.out().contains("-XX:+AlwaysPreTouch"), "options that check out run in the configured JVM");
  }

  @Test
  void theTerminalLineFits80ColumnsWhateverTheCounts() {
    RunTally tally = new RunTally();
    for (int i = 0; i < 123_456; i++) {
      tally.countAlreadyDone();
    }
    countOk(tally, 12_345);
    try (ProgressReporter p = new ProgressReporter(tally, () -> 20, () -> 1_234_567L, () -> true, "RMB", null,
        Duration.ofHours(1))) {
      String full = p.line();
      assertTrue(full.length() > 80, full); // what a log line may carry
      for (int width : new int[] {79, 119, 39}) {
        String line = p.line(width);
        assertTrue(line.length() <= width, width + ": " + line);
        assertTrue(line.startsWith("135801/1234567 done"), line);
      }
      assertTrue(p.line(79).contains("ETA") && p.line(79).contains("in flight"), p.line(79));
    }
  }

  /** {@code n} ok lines of this run, as the ledger sink counts them. */
  private static void countOk(RunTally tally, int n) {
    for (int i = 0; i < n; i++) {
      tally.count(LedgerRecord.builder().id("i" + i).status(LedgerStatus.OK).build());
    }
  }

  @Test
  void theInterruptNoticeIsOneLineInALogAndFitsATerminal() {
    String message = InterruptNotice.message(new java.util.LinkedHashSet<>(List.of("zh-homework", "zh-photosynthesis",
        "en-sky-blue", "第0001课-提问")), "/tmp/lessons/out");
    assertEquals(message, InterruptNotice.shown(message, false));
    List<String> rows = InterruptNotice.shown(message, true).lines().toList();
    assertTrue(rows.size() > 1, rows.toString());
    for (String row : rows) {
      assertTrue(row.length() < 80, row.length() + " columns: " + row);
    }
    assertEquals(message, String.join(" ", rows));
  }

  @Test
  void theSimulatedBannerFitsAn80ColumnTerminalWithNoWordCut() {
    List<String> rows = BatchSetup.banner().lines().toList();
    for (String row : rows) {
      assertTrue(row.length() < 80, row.length() + " columns: " + row);
    }
    assertEquals(BatchSetup.SIMULATED_BANNER, String.join(" ", rows.subList(1, rows.size() - 1)));
    assertTrue(rows.get(0).matches("=+") && rows.get(rows.size() - 1).matches("=+"), rows.toString());
  }

  @Test
  void aTotalStillBeingCountedIsShownAsALowerBoundWithNoEta() {
    RunTally tally = new RunTally();
    countOk(tally, 418);
    AtomicBoolean complete = new AtomicBoolean();
    try (ProgressReporter p = new ProgressReporter(tally, () -> 20, () -> 1040L, complete::get, "RMB", null,
        Duration.ofHours(1))) {
      assertTrue(p.line(79).startsWith("418/1040+ done |") && p.line(79).endsWith("ETA --"), p.line(79));
      complete.set(true);
      assertTrue(p.line(79).startsWith("418/1040 done |") && !p.line(79).endsWith("ETA --"), p.line(79));
    }
  }

  /**
   * Small parts and a small cap, so the pipeline reaches the last part of the manifest long after the first
   * progress line: the total must still be the whole manifest's from the start.
   */
  @Test
  void everyProgressLineCarriesTheWholeManifestsTotal() throws Exception {
    Path manifest = ClipManifest.write(dir.resolve("m.jsonl"), 48, i -> "p");
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("ZHIPUAI_API_KEY");
    ChildProcess run = ChildProcess.start(ChildProcess.cli(List.of(), "--manifest=" + manifest,
        "--outputDir=" + dir.resolve("out"), "--maxInFlight=2", "--itemsPerBundle=4", "--simulatorLatencyMs=300",
        "--progressIntervalSeconds=1", "--report=false"), env, dir, "total");
    assertEquals(ExitCode.ALL_DONE.code(), run.exitWithin(240), run.all());
    List<String> progress = run.err().lines().filter(l -> l.contains("progress: ")).toList();
    assertTrue(progress.size() >= 3, run.err());
    List<String> totals = progress.stream().map(l -> l.replaceAll(".*progress: ([^(]*) \\(.*", "$1")).toList();
    assertEquals(List.of(), totals.stream().filter(t -> !t.matches("\\d+/48 done")).toList(), "of " + totals);
  }

  @Test
  void beforeTheManifestIsCountedTheLineSaysSoRatherThanZeroOfZero() {
    try (ProgressReporter p = new ProgressReporter(new RunTally(), () -> 0, () -> 0L, () -> false, "RMB", null,
        Duration.ofHours(1))) {
      assertTrue(p.line(79).startsWith("reading manifest |"), p.line(79));
      assertTrue(p.line().startsWith("reading manifest (0 ok"), p.line());
      assertFalse(p.line().contains("0/0"), p.line());
      assertTrue(p.line().endsWith("ETA --"), p.line());
    }
  }

  /**
   * Under {@code script}, stdin and stdout are a terminal. With stderr sent to a file the log must hold plain
   * timestamped lines, not redraws; with stderr on the terminal, the redrawn line fits 80 columns.
   */
  @Test
  void theLiveLineIsDrawnOnlyWhenStderrIsATerminalAndLogLinesCarryTimestamps() throws Exception {
    Path log = dir.resolve("stderr.log");
    String cli = "'" + ChildProcess.java() + "' -cp \"$CP\" io.glmvoicebatch.cli.Main --manifest=sample-data/manifest.jsonl"
        + " --simulatorLatencyMs=1500 --report=false --progressIntervalSeconds=1 --outputDir=";
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CP", System.getProperty("java.class.path"));
    env.remove("COLUMNS");
    env.remove("ZHIPUAI_API_KEY");

    ChildProcess toFile = ChildProcess.start(List.of("script", "-qec", cli + "'" + dir.resolve("a") + "' 2>'" + log + "'",
        "/dev/null"), env, dir, "script-a");
    assertEquals(0, toFile.exitWithin(120), toFile.all());
    String err = Files.readString(log, StandardCharsets.UTF_8);
    assertFalse(err.contains("\r"), "carriage-return redraws in a log:\n" + err);
    List<String> logLines = err.lines().filter(l -> l.matches(".*\\[[^]]+\\] (INFO|WARN|ERROR|DEBUG) .*")).toList();
    assertTrue(logLines.stream().anyMatch(l -> l.contains("progress:")), err);
    for (String line : logLines) {
      assertTrue(ISO_TIMESTAMP.matcher(line).matches(), "no ISO-8601 timestamp: " + line);
    }

    ChildProcess toTerminal = ChildProcess.start(List.of("script", "-qec", cli + "'" + dir.resolve("b") + "'",
        "/dev/null"), env, dir, "script-b");
    assertEquals(0, toTerminal.exitWithin(120), toTerminal.all());
    String screen = toTerminal.out();
    // A log line printed while the line is drawn clears the row first (LiveLine): never on the progress row.
    List<String> pieces = List.of(screen.split("[\r\n]+"));
    for (String piece : pieces) {
      assertFalse(piece.matches(".*(\\d+/\\d+ done|reading manifest) \\|.*\\d{4}-\\d{2}-\\d{2}T\\d{2}:.*"),
          "a log line on the progress row: " + piece);
    }
    // The end summary and the SIMULATED banner fit the terminal too.
    List<String> ours = pieces.stream().filter(l -> l.matches("(items|tokens|this run|time|audio sent|SIMULATED|=+).*"))
        .toList();
    assertTrue(ours.size() >= 7, screen);
    for (String row : ours) {
      assertTrue(row.length() < 80, row.length() + " columns: " + row);
    }
    List<String> redraws = pieces.stream().map(String::stripTrailing).filter(l -> l.contains(" done")).toList();
    assertTrue(redraws.size() >= 2, screen);
    for (String line : redraws) {
      assertTrue(line.length() < 80, line.length() + " columns: " + line);
    }
  }

  @Test
  void ctrlCPrintsWhatWasInFlightAndHowToResumeAndExits130() throws Exception {
    Path out = dir.resolve("out");
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("ZHIPUAI_API_KEY");
    ChildProcess run = ChildProcess.start(ChildProcess.cli(List.of(), "--manifest=sample-data/manifest.jsonl",
        "--outputDir=" + out, "--simulatorLatencyMs=20000", "--report=false"), env, dir, "interrupted");
    Path ledger = out.resolve("ledger.jsonl");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (run.process.isAlive() && System.nanoTime() < deadline
        && !(Files.exists(ledger) && Files.readString(ledger).contains("\"status\":\"sending\""))) {
      Thread.sleep(20); // poll interval
    }
    assertTrue(run.process.isAlive(), run.all());
    new ProcessBuilder("kill", "-INT", Long.toString(run.process.pid())).start().waitFor();
    assertEquals(ExitCode.INTERRUPTED.code(), run.exitWithin(60), run.all());
    String line = run.err().lines().filter(l -> l.startsWith("interrupted:")).findFirst().orElse("");
    assertTrue(line.matches("interrupted: [1-9]\\d* request\\(s\\) were in flight: .*"), run.all());
    assertTrue(line.contains("run the same command again") && line.contains("--outputDir=" + out), line);

    CliRun resumed = CliRun.of(Map.of(), "--manifest=sample-data/manifest.jsonl", "--outputDir=" + out,
        "--simulatorLatencyMs=20", "--report=false");
    assertEquals(ExitCode.ALL_DONE, resumed.code, resumed.all());
    assertTrue(LedgerLocation.file(ledger).read().lines().stream().anyMatch(r -> r.status() == LedgerStatus.UNCERTAIN));
  }

  @Test
  void aRunWhoseRequestsAllEndIn1302SaysTheAccountsLimitMayBeLowerThanTheTier() throws Exception {
    String key = "ratelimit.c2VjcmV0c2VjcmV0";
    // Another program holds every slot of the account: every request of ours is refused with 1302.
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(key).maxInFlight(5)
        .reservedForOthers(5).latency(LatencyModel.fixed(Duration.ofMillis(5))).build())) {
      CliRun run = CliRun.of(Map.of("ZHIPUAI_API_KEY", key), "--manifest=sample-data/manifest.jsonl",
          "--outputDir=" + dir.resolve("out"), "--endpoint=" + sim.baseUrl(), "--maxAttempts=2", "--report=false");
      assertEquals(ExitCode.SOME_FAILED, run.code, run.all());
      assertTrue(run.stdout.contains("RATE LIMITED") && run.stdout.contains("Lower --tier")
          && run.stdout.contains("--maxInFlight"), run.stdout);
    }
  }
}
