package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.ObjectStoreFileSystem;
import io.glmvoicebatch.testing.TestWavs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never a hang: a fatal error ends the process within seconds, with one line and exit code 4, and the next
 * run resumes from the ledger. Each case is a real process: its heap, its exit code, its stderr.
 */
class FatalErrorTest {
  /** Generous: the process ends within seconds; a hang is what this bounds. */
  static final long DEADLINE_SECONDS = 120;
  static final int ITEMS = 30;
  @TempDir Path dir;

  /** 30 items of a 4-minute clip: 20 of them in flight at once need several hundred MB, far over 128 MB. */
  private Path heavyManifest() throws IOException {
    Path clip = TestWavs.speechLike(dir.resolve("four-minutes.wav"), 16_000, 240, 1);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      lines.add("{\"id\":\"lesson-" + i + "\",\"audio\":\"" + clip + "\",\"prompt\":\"Summarize lesson " + i + ".\"}");
    }
    Path manifest = dir.resolve("manifest.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    return manifest;
  }

  @Test
  void outOfMemoryEndsTheProcessWithExitCode4AndTheNextRunResumes() throws Exception {
    Path manifest = heavyManifest();
    Path out = dir.resolve("out");
    ChildProcess run = ChildProcess.start(ChildProcess.cli(List.of("-Xmx128m"), "--manifest=" + manifest,
        "--outputDir=" + out, "--maxInFlight=20", "--simulatorLatencyMs=50", "--report=false"), null, dir, "oom");
    int code = run.exitWithin(DEADLINE_SECONDS);
    assertEquals(ExitCode.INTERNAL_ERROR.code(), code, run.all());
    List<String> errorLines = run.err().lines().filter(l -> l.startsWith("error:")).toList();
    assertEquals(1, errorLines.size(), run.all());
    assertTrue(errorLines.get(0).contains("out of memory") && errorLines.get(0).contains("-Xmx"), errorLines.get(0));

    // The same command with a normal heap finishes the batch: nothing lost, nothing left in doubt.
    ExitCode resumed = Main.run(new String[] {"--manifest=" + manifest, "--outputDir=" + out, "--maxInFlight=20",
        "--simulatorLatencyMs=50", "--report=false"}, Map.of(), new java.io.PrintStream(OutputStream.nullOutputStream()),
        new java.io.PrintStream(OutputStream.nullOutputStream()));
    assertEquals(ExitCode.ALL_DONE, resumed);
    LedgerView ledger = LedgerLocation.file(out.resolve("ledger.jsonl")).read();
    assertEquals(ITEMS, ledger.latest().size());
    ledger.latest().values().forEach(r -> assertEquals(LedgerStatus.OK, r.status(), r.toString()));
  }

  @Test
  void theLauncherStopsJavaAtTheFirstOutOfMemoryErrorAndReportsExitCode4() throws Exception {
    Path manifest = heavyManifest();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("JAVA_OPTS", "-Xmx128m");
    env.put("GLM_VOICE_BATCH_JAR", ChildProcess.pathingJar(dir).toString());
    env.remove("ZHIPUAI_API_KEY");
    ChildProcess run = ChildProcess.start(List.of("bash", "pipelines/run", "adhoc", "--manifest=" + manifest,
        "--outputDir=" + dir.resolve("out"), "--maxInFlight=20", "--simulatorLatencyMs=50", "--report=false"),
        env, dir, "launcher-oom");
    assertEquals(ExitCode.INTERNAL_ERROR.code(), run.exitWithin(DEADLINE_SECONDS), run.all());
    // The JVM's own line (-XX:+ExitOnOutOfMemoryError, status 3), then the launcher's, which makes it 4.
    assertTrue(run.out().contains("Terminating due to java.lang.OutOfMemoryError"), run.all());
    assertTrue(run.err().lines().anyMatch(l -> l.startsWith("error: out of memory") && l.contains("Exit code 4")),
        run.all());
  }

  @Test
  void anExceptionInAStageEndsTheProcessWithExitCode4OneLineAndNoStackTrace() throws Exception {
    // The ledger's part objects cannot be written (a file sits where their folder goes): the call stage
    // fails on its first intent line, a fault no item can absorb.
    Path store = dir.resolve("objstore");
    Files.createDirectories(store.resolve("bucket/out"));
    Files.writeString(store.resolve("bucket/out/ledger.jsonl.parts"), "not a folder");
    ChildProcess run = ChildProcess.start(ChildProcess.cli(
        List.of("-D" + ObjectStoreFileSystem.ROOT_PROPERTY + "=" + store), "--manifest=sample-data/manifest.jsonl",
        "--outputDir=objstore://bucket/out", "--simulatorLatencyMs=50", "--report=false"), null, dir, "stage");
    assertEquals(ExitCode.INTERNAL_ERROR.code(), run.exitWithin(DEADLINE_SECONDS), run.all());
    String err = run.err();
    List<String> errorLines = err.lines().filter(l -> l.startsWith("error:")).toList();
    assertEquals(1, errorLines.size(), err);
    assertTrue(errorLines.get(0).contains("ledger.jsonl.parts") && errorLines.get(0).contains("exit code 4")
        && errorLines.get(0).contains("run the same command again"), errorLines.get(0));
    assertFalse(err.lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by")), "stack trace on stderr:\n" + err);
    String trace = errorLines.get(0).replaceAll(".*Stack trace: ", "");
    assertTrue(Files.readString(Path.of(trace)).contains("\tat "), "the stack trace is kept in " + trace);
  }
}
