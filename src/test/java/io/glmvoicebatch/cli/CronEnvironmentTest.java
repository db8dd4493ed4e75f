package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly job as cron starts it: no LANG, no LC_ALL, a lesson file named in Chinese and a Chinese
 * prompt. The CLI runs in a child process with an empty environment (ProcessBuilder's {@code env -i}).
 */
class CronEnvironmentTest {
  static final String FILE = "张三-提问.wav";
  static final String PROMPT = "请用简单的话回答学生的问题。";
  static final String CLIP = Path.of("sample-data/clips/zh-homework.wav").toAbsolutePath().toString();
  @TempDir Path dir;

  private Path dayWithAChineseFileName() throws Exception {
    Path day = dir.resolve("lessons/2026-11-25");
    Files.createDirectories(day);
    Files.copy(Path.of("sample-data/clips/zh-homework.wav"), day.resolve(FILE));
    return day;
  }

  @Test
  void withoutAUtf8LocaleJavaStopsAtOnceWithExit2AndTheFix() throws Exception {
    Path day = dayWithAChineseFileName();
    ChildProcess run = ChildProcess.start(ChildProcess.cli(List.of(), "--audioDir=" + day, "--prompt=" + PROMPT,
        "--outputDir=" + dir.resolve("out")), ChildProcess.cronEnvironment(), dir, "no-locale");
    assertEquals(ExitCode.USAGE.code(), run.exitWithin(120), run.all());
    List<String> lines = run.err().lines().toList();
    assertEquals(1, lines.size(), run.all());
    assertTrue(lines.get(0).startsWith("error: the environment sets no UTF-8 locale")
        && lines.get(0).contains("LC_ALL=C.UTF-8"), lines.get(0));
    assertFalse(Files.exists(dir.resolve("out/ledger.jsonl")), "nothing may be sent");
  }

  @Test
  void theNightlyPresetUnderAnEmptyEnvironmentSendsTheChineseFileWithItsPrompt() throws Exception {
    dayWithAChineseFileName();
    Map<String, String> env = ChildProcess.cronEnvironment();
    env.put("LESSON_ROOT", dir.resolve("lessons").toString());
    env.put("OUT_ROOT", dir.resolve("nightly").toString());
    env.put("DAY", "2026-11-25");
    env.put("PROMPT", PROMPT);
    env.put("GLM_VOICE_BATCH_JAR", ChildProcess.pathingJar(dir).toString());
    // The preset's own JVM options (2 GB pre-touched), as the crontab runs it.
    ChildProcess run = ChildProcess.start(List.of("bash", "pipelines/run", "nightly-lessons",
        "--simulatorLatencyMs=20", "--report=false"), env, dir, "nightly");
    assertEquals(ExitCode.ALL_DONE.code(), run.exitWithin(300), run.all());
    LedgerView ledger = LedgerLocation.file(dir.resolve("nightly/2026-11-25/ledger.jsonl")).read();
    LedgerRecord item = ledger.latest().get("张三-提问");
    assertTrue(item != null && item.isOk(), ledger.latest().toString());
    assertTrue(item.input().audio().endsWith(FILE), item.input().audio());
    assertTrue(Files.exists(dir.resolve("nightly/2026-11-25/audio/张三-提问.wav")));
    // Had the prompt been garbled on its way in (U+FFFD), the run would have stopped with exit 2 instead.
  }

  @Test
  void aGarbledPromptIsRefusedAsAUsageErrorAndAGarbledManifestTextFailsOnlyItsItem() throws Exception {
    Path day = dayWithAChineseFileName();
    CliRun prompt = CliRun.of(Map.of(), "--audioDir=" + day, "--prompt=\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD",
        "--outputDir=" + dir.resolve("out1"));
    assertEquals(ExitCode.USAGE, prompt.code, prompt.all());
    assertEquals(1, prompt.stderr.lines().count(), prompt.stderr);
    assertTrue(prompt.stderr.contains("--prompt contains U+FFFD"), prompt.stderr);

    Map<String, LedgerRecord> latest = runAGoodItemAnd(",\"prompt\":\"" + PROMPT + "\"",
        "{\"id\":\"garbled\",\"audio\":\"" + CLIP + "\",\"system\":\"\uFFFD\uFFFD\uFFFD\"}");
    LedgerRecord garbled = latest.get("garbled");
    assertEquals("manifest", garbled.error().code());
    assertTrue(garbled.error().message().contains("line 2") && garbled.error().message().contains("system contains U+FFFD"),
        garbled.error().message());
  }

  @Test
  void aPathThatCannotBeOpenedIsThatItemsFailureNotTheBatchs() throws Exception {
    Map<String, LedgerRecord> latest = runAGoodItemAnd("", "{\"id\":\"nul\",\"audio\":\"lessons/a\\u0000b.wav\"}");
    assertEquals("audio_unreadable", latest.get("nul").error().code());
    assertTrue(latest.get("nul").error().message().contains("cannot be opened"), latest.get("nul").error().message());
  }

  /**
   * Runs a manifest of two lines: item "good" (the clip, plus {@code goodFields}) and {@code badLine}. The bad
   * line fails its item only: exit 1, "good" is ok. Returns each item's latest ledger line.
   */
  private Map<String, LedgerRecord> runAGoodItemAnd(String goodFields, String badLine) throws Exception {
    Path manifest = dir.resolve("manifest.jsonl");
    Files.write(manifest, List.of("{\"id\":\"good\",\"audio\":\"" + CLIP + "\"" + goodFields + "}", badLine),
        StandardCharsets.UTF_8);
    Path out = dir.resolve("out-two-items");
    CliRun run = CliRun.of(Map.of(), "--manifest=" + manifest, "--outputDir=" + out, "--simulatorLatencyMs=20",
        "--report=false");
    assertEquals(ExitCode.SOME_FAILED, run.code, run.all());
    Map<String, LedgerRecord> latest = LedgerLocation.file(out.resolve("ledger.jsonl")).read().latest();
    assertTrue(latest.get("good").isOk(), run.all());
    return latest;
  }
}
