package io.glmvoicebatch.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code s3://} for real: the cluster jar reads the manifest and its audio from an S3-compatible server
 * (S3Proxy over a local folder, a process of its own: benchmarks/cluster/s3proxy.sh) and writes its output
 * folder there, ledger parts folded into {@code ledger.jsonl}; a bad line and a missing object are errors
 * with their line numbers and the rest goes on; the same command again resumes and sends nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectStoreTest {
  static final Path ROOT = ClusterHarness.ROOT;
  static final Path JAR = ClusterHarness.JAR;
  static final Path WORK = ROOT.resolve("target/s3proxy-test");
  static final int PORT = 19861;

  /** The object store, its buckets emptied before it starts. */
  @RegisterExtension
  static final ClusterHarness objectStore = new ClusterHarness("s3proxy.sh",
      Map.of("S3PROXY_WORK", WORK.toString(), "S3PROXY_PORT", String.valueOf(PORT)), WORK.resolve("blobs"));

  @Test
  void manifestAudioAndOutputFolderOnS3WithLineNumberedErrorsAndAResumeThatSendsNothing() throws Exception {
    Path bucket = Files.createDirectories(WORK.resolve("blobs/lessons"));
    Files.createDirectories(bucket.resolve("clips"));
    List<String> lines = new ArrayList<>();
    String[] clips = {"en-sky-blue.wav", "zh-triangle-angles.wav", "en-circle-area.wav"};
    for (int i = 0; i < clips.length; i++) {
      Files.copy(ROOT.resolve("sample-data/clips").resolve(clips[i]), bucket.resolve("clips").resolve(clips[i]));
      lines.add("{\"id\":\"s3-" + i + "\",\"audio\":\"clips/" + clips[i] + "\",\"prompt\":\"请回答。\"}");
    }
    lines.add("{\"id\":\"gone\",\"audio\":\"clips/nope.wav\"}");
    lines.add("{\"id\":\"broken\"");
    Files.write(bucket.resolve("m.jsonl"), lines, StandardCharsets.UTF_8);

    Run first = run();
    assertEquals(1, first.exit, first.output); // some items failed
    Path ledgerFile = bucket.resolve("out/ledger.jsonl");
    assertTrue(Files.isRegularFile(ledgerFile), "the ledger parts are folded into one object\n" + first.output);
    Map<String, LedgerRecord> latest = LedgerView.read(ledgerFile).latest();
    for (int i = 0; i < clips.length; i++) {
      assertTrue(latest.get("s3-" + i).isOk(), "s3-" + i + ": " + latest.get("s3-" + i));
      assertTrue(Files.isRegularFile(bucket.resolve("out").resolve(latest.get("s3-" + i).reply().outputAudio())));
    }
    LedgerRecord gone = latest.get("gone");
    assertEquals(LedgerStatus.FAILED, gone.status());
    assertEquals(4, gone.manifestLine());
    assertTrue(gone.error().message().contains("s3://lessons/clips/nope.wav"), gone.error().message());
    LedgerRecord broken = latest.values().stream().filter(r -> Integer.valueOf(5).equals(r.manifestLine()))
        .findFirst().orElseThrow(() -> new AssertionError("no ledger line for manifest line 5\n" + first.output));
    assertTrue(broken.error().message().startsWith("manifest line 5:"), broken.error().message());
    assertTrue(Files.isRegularFile(bucket.resolve("out/report.html")), first.output);

    Run again = run();
    assertEquals(1, again.exit, again.output);
    assertTrue(again.output.contains("this run: 0 requests concluded"), again.output);
    assertEquals(3, LedgerView.read(ledgerFile).lines().stream().filter(LedgerRecord::isOk).count(),
        "nothing sent twice");
  }

  private record Run(int exit, String output) {}

  private Run run() throws Exception {
    Path log = Files.createTempFile(WORK, "run", ".log");
    ProcessBuilder pb = new ProcessBuilder("java", "-Xmx512m", "-jar", JAR.toString(),
        "--manifest=s3://lessons/m.jsonl", "--outputDir=s3://lessons/out", "--simulatorLatencyMs=10",
        "--s3Endpoint=http://127.0.0.1:" + PORT, "--progressIntervalSeconds=60")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("ZHIPUAI_API_KEY");
    pb.environment().put("AWS_ACCESS_KEY_ID", "local");
    pb.environment().put("AWS_SECRET_ACCESS_KEY", "local");
    pb.environment().put("AWS_REGION", "us-east-1");
    pb.environment().put("LC_ALL", "C.UTF-8");
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the batch did not end within 5 minutes\n" + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
