package io.glmvoicebatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.cli.ExitCode;
import io.glmvoicebatch.cli.Main;
import io.glmvoicebatch.ledger.CallFacts;
import io.glmvoicebatch.ledger.InputFacts;
import io.glmvoicebatch.ledger.LedgerError;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.ReplyFacts;
import io.glmvoicebatch.ledger.UsageCost;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Output folders for the report tests: one real batch (embedded simulator), one synthetic large ledger. */
final class ReportFixture {
  /** An id the manifest accepts that needs escaping in HTML and percent-encoding in a URL. */
  static final String TRICKY_ID = "q&a #1 'x' 100%";
  /** An id the manifest rejects: it ends up inside a failure message. */
  static final String HOSTILE_ID = "<img src=x onerror=alert(1)>";
  static final String HOSTILE_PROMPT = "</script><script>alert(2)</script> & answer";
  private static Path batch;
  private static Map.Entry<Path, String> twoRuns;

  private ReportFixture() {}

  /** A real batch run once per JVM: 3 ok items, a bad JSON line, a missing file and a rejected id. */
  static synchronized Path batchOutput() throws IOException {
    if (batch != null) {
      return batch;
    }
    Path dir = Path.of("target", "report-fixture").toAbsolutePath();
    deleteTree(dir);
    Path clips = Files.createDirectories(dir.resolve("in").resolve("my clips"));
    for (String name : List.of("en-sky-blue.wav", "zh-photosynthesis.wav", "en-circle-area.wav")) {
      Files.copy(Path.of("sample-data/clips", name), clips.resolve(name));
    }
    ObjectMapper m = new ObjectMapper();
    List<String> lines = List.of(
        m.writeValueAsString(Map.of("id", "en-sky-blue", "audio", "my clips/en-sky-blue.wav")),
        "{\"id\":\"broken\",\"audio\":",
        m.writeValueAsString(Map.of("id", "zh-photosynthesis", "audio", "my clips/zh-photosynthesis.wav",
            "prompt", "请用简单的话回答学生的问题。")),
        m.writeValueAsString(Map.of("id", "missing", "audio", "no-such-file.wav")),
        m.writeValueAsString(Map.of("id", TRICKY_ID, "audio", "my clips/en-circle-area.wav", "prompt",
            HOSTILE_PROMPT)),
        m.writeValueAsString(Map.of("id", HOSTILE_ID, "audio", "my clips/en-sky-blue.wav")));
    Path manifest = dir.resolve("in").resolve("manifest.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    Path out = dir.resolve("out");
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    ExitCode code = Main.run(new String[] {"--manifest=" + manifest, "--outputDir=" + out, "--simulatorLatencyMs=20"},
        Map.of(), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
    assertEquals(ExitCode.SOME_FAILED, code, o.toString(StandardCharsets.UTF_8) + e.toString(StandardCharsets.UTF_8));
    batch = out;
    return out;
  }

  /**
   * One folder, two runs with different manifests: the first sends en-sky-blue and zh-photosynthesis, the
   * second only en-circle-area. Returns the folder and the second run's console output.
   */
  static synchronized Map.Entry<Path, String> twoManifestOutput() throws IOException {
    if (twoRuns != null) {
      return twoRuns;
    }
    Path dir = Path.of("target", "report-two-manifests").toAbsolutePath();
    deleteTree(dir);
    Path in = Files.createDirectories(dir.resolve("in"));
    for (String name : List.of("en-sky-blue.wav", "zh-photosynthesis.wav", "en-circle-area.wav")) {
      Files.copy(Path.of("sample-data/clips", name), in.resolve(name));
    }
    Files.writeString(in.resolve("a.jsonl"), "{\"id\":\"en-sky-blue\",\"audio\":\"en-sky-blue.wav\"}\n"
        + "{\"id\":\"zh-photosynthesis\",\"audio\":\"zh-photosynthesis.wav\"}\n", StandardCharsets.UTF_8);
    Files.writeString(in.resolve("b.jsonl"), "{\"id\":\"en-circle-area\",\"audio\":\"en-circle-area.wav\"}\n",
        StandardCharsets.UTF_8);
    Path out = dir.resolve("out");
    String second = null;
    for (String m : List.of("a.jsonl", "b.jsonl")) {
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      ExitCode code = Main.run(new String[] {"--manifest=" + in.resolve(m), "--outputDir=" + out,
          "--simulatorLatencyMs=20"}, Map.of(), new PrintStream(o, true, StandardCharsets.UTF_8),
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      second = o.toString(StandardCharsets.UTF_8);
      assertEquals(ExitCode.ALL_DONE, code, second);
    }
    twoRuns = Map.entry(out, second);
    return twoRuns;
  }

  /**
   * A ledger of {@code n} items as a long batch leaves it (80% ok with reply text, 12% failed over several
   * codes, 5% skipped, 3% uncertain), with intent lines before the final ones. Reply audio files are not
   * written: their links then show as missing, which the report handles.
   */
  static Path syntheticOutput(Path dir, int n) throws IOException {
    ObjectMapper m = new ObjectMapper();
    Files.createDirectories(dir.resolve("text"));
    List<String> lines = new ArrayList<>(n * 2);
    String[] codes = {"1302", "timeout", "audio_unreadable", "1301", "http_502"};
    java.util.Random rnd = new java.util.Random(7);
    for (int i = 0; i < n; i++) {
      String id = "item-" + i;
      double secs = 1 + rnd.nextDouble() * 30;
      LedgerRecord.Builder b = LedgerRecord.builder().id(id).manifestLine(i + 1)
          .input(InputFacts.of("/data/clips/" + id + ".wav").withSeconds(secs).withSecondsSent(secs * 0.95))
          .call(CallFacts.NONE.withSimulated(true).withRequestId("req-" + i));
      lines.add(b.status(LedgerStatus.SENDING).build().jsonLine());
      int kind = i % 100;
      if (kind < 80) {
        long prompt = (long) Math.ceil(secs * 0.95 * 12.5) + 10;
        long completion = 50 + rnd.nextInt(400);
        String text = "Reply " + i + ": photosynthesis turns light into sugar <b>" + "x".repeat(rnd.nextInt(200)) + "</b>";
        Files.writeString(dir.resolve("text").resolve(id + ".txt"), text);
        b.status(LedgerStatus.OK).usage(UsageCost.billed(prompt, completion, prompt + completion, new BigDecimal("80"), "RMB"))
            .call(b.build().call().withLatencyMs(300L + (long) (rnd.nextGaussian() * 200 + 900))
                .withAttempts(1 + (i % 7 == 0 ? 1 : 0)))
            .reply(ReplyFacts.NONE.withFiles("audio/" + id + ".wav", "text/" + id + ".txt").withReplySeconds(secs * 1.5));
      } else if (kind < 92) {
        String code = codes[i % codes.length];
        b.status(LedgerStatus.FAILED).error(new LedgerError(code, code.startsWith("13") ? 429 : 0,
            "service said no </script> for " + id)).call(cf -> cf.withAttempts(6).withLatencyMs(5000L));
      } else if (kind < 97) {
        b.status(LedgerStatus.SKIPPED).reason("no speech");
      }
      if (kind < 97) {
        lines.add(b.build().jsonLine());
      }
    }
    Files.write(dir.resolve("ledger.jsonl"), lines, StandardCharsets.UTF_8);
    return dir;
  }

  /**
   * Writes the report of the output folder {@code args[0]} and prints the time it took, the files' sizes
   * and the heap used: the child process of the streaming test and the 100,000-item benchmark
   * (BENCHMARKS.md). With {@code args[1]} = N it first writes a synthetic ledger of N items there.
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    if (args.length > 1) {
      long g0 = System.nanoTime();
      syntheticOutput(dir, Integer.parseInt(args[1]));
      System.out.printf("synthetic ledger of %s items written in %d ms%n", args[1], (System.nanoTime() - g0) / 1_000_000);
    }
    long t0 = System.nanoTime();
    BatchReport.write(dir);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    Runtime rt = Runtime.getRuntime();
    System.out.printf("report written in %d ms; report.html %,d bytes, %s %,d bytes; heap max %d MB, used at end %d MB%n",
        ms, Files.size(dir.resolve(BatchReport.FILE_NAME)), BatchReport.DATA_FILE_NAME,
        Files.size(dir.resolve(BatchReport.DATA_FILE_NAME)), rt.maxMemory() >> 20,
        (rt.totalMemory() - rt.freeMemory()) >> 20);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
