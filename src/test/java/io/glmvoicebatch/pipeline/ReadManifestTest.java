package io.glmvoicebatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.manifest.Manifest;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.ManifestProblem;
import io.glmvoicebatch.manifest.ManifestReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest read inside the pipeline, cut into small parts and parsed again part by part, gives exactly
 * what reading the whole file at once gives: the same items, and the same bad lines (with their line
 * numbers and duplicate ids judged across parts) in the ledger. Also on its own terms: each item keeps
 * the number of its line in the file, every bad line (torn, not JSON, a duplicate id) becomes one failed
 * ledger line naming that line and the manifest, parts hold at most {@code itemsPerBundle} lines, and a
 * manifest already in memory comes through the same way.
 */
class ReadManifestTest {
  @TempDir Path dir;

  @Test
  void itemsKeepTheirLineAndEveryBadLineIsOneFailedLedgerLineNamingIt() throws Exception {
    List<String> lines = new ArrayList<>();
    Map<String, Integer> expectedItems = new TreeMap<>();
    for (int line = 1; line <= 24; line++) {
      if (line == 9) {
        lines.add("{not json");
      } else if (line == 14) {
        lines.add("{\"id\":\"c2\",\"audio\":\"again.wav\"}"); // c2 is line 2's id, three parts earlier
      } else {
        lines.add("{\"id\":\"c" + line + "\",\"audio\":\"clips/c" + line + ".wav\"}");
        expectedItems.put("c" + line, line);
      }
    }
    Path manifest = dir.resolve("lines.jsonl");
    // The last line torn, as by a crash of whatever wrote the manifest: no closing brace, no newline.
    Files.writeString(manifest, String.join("\n", lines) + "\n{\"id\":\"c25\",\"aud", StandardCharsets.UTF_8);
    StageFixture stage = StageFixture.ledgerAt(dir.resolve("out"));
    String clips = dir.resolve("clips").toString(); // what the assertion below captures must serialize

    BatchRuntime.Spec spec = stage.runtime();

    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<ManifestItem> items = p
        .apply("ReadManifest", ReadManifest.file(manifest.toString(), 4))
        .apply("ItemsOfEachPart", ParDo.of(new ItemsOf(spec)));
    PAssert.that(items).satisfies(read -> {
      Map<String, Integer> lineOf = new TreeMap<>();
      for (ManifestItem item : read) {
        assertNull(lineOf.put(item.id(), item.line()), "item twice: " + item.id());
        assertEquals(Path.of(clips, item.id() + ".wav").toString(), item.audio(), "audio beside the manifest");
      }
      assertEquals(expectedItems, lineOf);
      return null;
    });
    assertEquals(25, runCounting(p, spec));

    Map<Integer, LedgerRecord> failed = new TreeMap<>();
    for (LedgerRecord r : stage.lines()) {
      assertEquals(LedgerStatus.FAILED, r.status(), r.toString());
      assertEquals("manifest", r.error().code(), r.toString());
      assertTrue(r.error().message().endsWith("(" + manifest + ")"), "names the manifest: " + r.error().message());
      assertNull(failed.put(r.manifestLine(), r), "one line per bad line: " + r);
    }
    assertEquals(List.of(9, 14, 25), List.copyOf(failed.keySet()));
    assertTrue(failed.get(9).error().message().startsWith("manifest line 9: invalid JSON"), failed.get(9).toString());
    assertEquals("manifest line 14: duplicate id 'c2' (first used on line 2) (" + manifest + ")",
        failed.get(14).error().message());
    assertEquals("line-14", failed.get(14).id(), "a duplicate's id is its line: the id belongs to line 2");
    assertTrue(failed.get(25).error().message().startsWith("manifest line 25: "), failed.get(25).toString());
  }

  /** Why parts: one part is one bundle of the call stage, which keeps a bundle's requests in flight together. */
  @Test
  void partsHoldAtMostItemsPerBundleLinesAndCoverTheFile() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      lines.add("{\"id\":\"p" + i + "\",\"audio\":\"a.wav\"}");
    }
    Path manifest = dir.resolve("parts.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    StageFixture stage = StageFixture.ledgerAt(dir.resolve("out"));
    String source = manifest.toString();

    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<ReadManifest.Slice> slices = p.apply(ReadManifest.file(manifest.toString(), 8));
    PAssert.that(slices).satisfies(parts -> {
      List<Integer> firstLines = new ArrayList<>();
      int entries = 0;
      for (ReadManifest.Slice slice : parts) {
        assertEquals(source, slice.source());
        assertTrue(slice.part().entries() <= 8 && slice.part().entries() > 0, slice.toString());
        firstLines.add(slice.part().firstLine());
        entries += slice.part().entries();
      }
      firstLines.sort(null);
      assertEquals(List.of(1, 9, 17, 25, 33, 41, 49), firstLines);
      assertEquals(50, entries);
      return null;
    });
    p.run().waitUntilFinish();
  }

  /** A folder listing ({@code --audioDir}) is a manifest in memory: sliced the same, its problems written once. */
  @Test
  void aManifestInMemoryGivesEveryItemOnceAndItsProblemsOnce() throws Exception {
    List<ManifestItem> listed = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      listed.add(StageFixture.item("f" + i, i + 1, dir.resolve("f" + i + ".wav"), null));
    }
    List<ManifestProblem> problems = List.of(new ManifestProblem(11, "line-11", "manifest line 11: not a WAV name"),
        new ManifestProblem(12, "line-12", "manifest line 12: not a WAV name"));
    StageFixture stage = StageFixture.ledgerAt(dir.resolve("out"));

    BatchRuntime.Spec spec = stage.runtime();

    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<ManifestItem> items = p
        .apply("ReadManifest", ReadManifest.of(new Manifest("listing of " + dir, listed, problems), 3))
        .apply("ItemsOfEachPart", ParDo.of(new ItemsOf(spec)));
    PAssert.that(items).containsInAnyOrder(listed);
    assertEquals(12, runCounting(p, spec));

    List<LedgerRecord> written = stage.lines();
    assertEquals(List.of(11, 12), written.stream().map(LedgerRecord::manifestLine).sorted().toList());
    assertEquals("manifest line 11: not a WAV name (listing of " + dir + ")",
        written.stream().filter(r -> r.manifestLine() == 11).findFirst().orElseThrow().error().message());
  }

  @Test
  void jsonLinesCutIntoPartsGiveTheSameItemsAndProblemsAsOneRead() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      if (i % 50 == 7) {
        lines.add("{not json");
      } else if (i == 200) {
        lines.add("{\"id\":\"clip-3\",\"audio\":\"again.wav\"}"); // duplicate of line 4, many parts earlier
      } else if (i % 61 == 0) {
        lines.add("");
      } else {
        lines.add("{\"id\":\"clip-" + i + "\",\"audio\":\"clips/c" + i + ".wav\",\"prompt\":\"第 " + i + " 题\"}");
      }
    }
    Path manifest = dir.resolve("m.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    assertSameAsOneRead(manifest, 16);
  }

  @Test
  void csvWithQuotedLineBreaksAcrossPartBoundariesKeepsLineNumbers() throws Exception {
    StringBuilder csv = new StringBuilder("id,audio,prompt\r\n");
    for (int i = 0; i < 40; i++) {
      if (i % 4 == 1) {
        csv.append("row-").append(i).append(",a").append(i).append(".wav,\"two\nlines, one \"\"quoted\"\"\"\r\n");
      } else if (i == 30) {
        csv.append("row-2,dup.wav,x\r\n");
      } else if (i == 33) {
        csv.append("row-33,only-two-columns\r\n");
      } else {
        csv.append("row-").append(i).append(",a").append(i).append(".wav,plain\r\n");
      }
    }
    Path manifest = dir.resolve("m.csv");
    Files.writeString(manifest, csv, StandardCharsets.UTF_8);
    assertSameAsOneRead(manifest, 3);
  }

  /** A gzipped manifest: parts are cut from the decompressed lines and each is found again by skipping to it. */
  @Test
  void aGzippedManifestGivesTheSameItemsAndProblemsAsOneReadOfItsLines() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      lines.add(i == 21 ? "{not json" : "{\"id\":\"z" + i + "\",\"audio\":\"z" + i + ".wav\"}");
    }
    Path plain = dir.resolve("plain.jsonl");
    Files.write(plain, lines, StandardCharsets.UTF_8);
    Path gz = dir.resolve("zipped.jsonl.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(plain));
    }
    assertSameAs(ManifestReader.read(plain), gz, 6);
  }

  /** Each part is decoded with the encoding detected from the file's start: GBK parts, and UTF-8 with one bad line. */
  @Test
  void partsAreDecodedWithTheFilesEncoding() throws Exception {
    StringBuilder csv = new StringBuilder("id;audio;prompt\r\n");
    for (int i = 0; i < 30; i++) {
      csv.append(i == 12 ? "第-1" : "第-" + i).append(";a").append(i).append(".wav;为什么天空是蓝色的？\r\n");
    }
    Path gbk = dir.resolve("gbk.csv");
    Files.write(gbk, csv.toString().getBytes(java.nio.charset.Charset.forName("GBK")));
    assertSameAsOneRead(gbk, 4);
    assertEquals("为什么天空是蓝色的？", ManifestReader.read(gbk).items().get(0).params().prompt());

    java.io.ByteArrayOutputStream utf8 = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 30; i++) {
      utf8.writeBytes(("{\"id\":\"c" + i + "\",\"audio\":\"a.wav\",\"prompt\":\"第 " + i).getBytes(StandardCharsets.UTF_8));
      if (i == 17) {
        utf8.write(0xFF);
      }
      utf8.writeBytes(" 题\"}\n".getBytes(StandardCharsets.UTF_8));
    }
    Path bad = dir.resolve("bad.jsonl");
    Files.write(bad, utf8.toByteArray());
    assertSameAsOneRead(bad, 4);
    assertTrue(ManifestReader.read(bad).problems().get(0).message().startsWith("manifest line 18: not valid UTF-8"));
  }

  /** What the call stage does first with each part: its items, its bad lines to the ledger. */
  static final class ItemsOf extends DoFn<ReadManifest.Slice, ManifestItem> {
    private final BatchRuntime.Spec spec;
    private transient BatchRuntime runtime;

    ItemsOf(BatchRuntime.Spec spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() {
      runtime = BatchRuntime.acquire(spec);
    }

    @ProcessElement
    public void process(@Element ReadManifest.Slice slice, OutputReceiver<ManifestItem> out) throws Exception {
      ReadManifest.forEachItem(slice, runtime, out::output);
    }

    @Teardown
    public void teardown() {
      runtime.close();
    }
  }

  /** Runs {@code p} holding the batch's runtime, as the launcher does; the manifest lines its tally counted. */
  private static long runCounting(Pipeline p, BatchRuntime.Spec spec) {
    try (BatchRuntime runtime = BatchRuntime.acquire(spec)) {
      p.run().waitUntilFinish();
      return runtime.tally().manifestLines();
    }
  }

  private void assertSameAsOneRead(Path manifest, int itemsPerBundle) throws Exception {
    assertSameAs(ManifestReader.read(manifest), manifest, itemsPerBundle);
  }

  private void assertSameAs(Manifest whole, Path manifest, int itemsPerBundle) throws Exception {
    StageFixture stage = StageFixture.ledgerAt(dir.resolve("out-" + manifest.getFileName()));
    BatchRuntime.Spec spec = stage.runtime();

    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<ManifestItem> items = p
        .apply("ReadManifest", ReadManifest.file(manifest.toString(), itemsPerBundle))
        .apply("ItemsOfEachPart", ParDo.of(new ItemsOf(spec)));
    PAssert.that(items).containsInAnyOrder(whole.items());
    long manifestLines = runCounting(p, spec);

    TreeMap<Integer, String> expected = new TreeMap<>();
    whole.problems().forEach(pr -> expected.put(pr.line(), pr.id() + " | " + pr.message() + " (" + manifest + ")"));
    TreeMap<Integer, String> written = new TreeMap<>();
    for (LedgerRecord r : stage.lines()) {
      assertEquals(LedgerStatus.FAILED, r.status());
      written.put(r.manifestLine(), r.id() + " | " + r.error().message());
    }
    assertEquals(false, expected.isEmpty(), "the manifest has bad lines");
    assertEquals(expected, written);
    assertEquals(whole.size(), manifestLines);
  }
}
