package io.glmvoicebatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.ledger.RunTally;
import io.glmvoicebatch.manifest.Manifest;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.ManifestReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * numbers and duplicate ids judged across parts) in the ledger.
 */
class ReadManifestTest {
  @TempDir Path dir;

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
    private final ItemLedger ledger;

    ItemsOf(ItemLedger ledger) {
      this.ledger = ledger;
    }

    @ProcessElement
    public void process(@Element ReadManifest.Slice slice, OutputReceiver<ManifestItem> out) throws Exception {
      ReadManifest.forEachItem(slice, ledger, out::output);
    }
  }

  private void assertSameAsOneRead(Path manifest, int itemsPerBundle) throws Exception {
    Manifest whole = ManifestReader.read(manifest);
    OutputFolder folder = new OutputFolder(dir.resolve("out-" + manifest.getFileName()));
    ItemLedger ledger = new ItemLedger(folder, Cost.DEFAULT_PRICE_PER_MILLION_TOKENS, "RMB", true);
    RunTally.reset(ledger.location().key());

    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<ManifestItem> items = p
        .apply("ReadManifest", ReadManifest.file(manifest.toString(), ledger, itemsPerBundle))
        .apply("ItemsOfEachPart", ParDo.of(new ItemsOf(ledger)));
    PAssert.that(items).containsInAnyOrder(whole.items());
    p.run().waitUntilFinish();
    ledger.release();

    TreeMap<Integer, String> expected = new TreeMap<>();
    whole.problems().forEach(pr -> expected.put(pr.line(), pr.id() + " | " + pr.message() + " (" + manifest + ")"));
    TreeMap<Integer, String> written = new TreeMap<>();
    for (LedgerRecord r : ledger.location().read().lines()) {
      assertEquals(LedgerRecord.FAILED, r.status());
      written.put(r.manifestLine(), r.id() + " | " + r.error().message());
    }
    assertEquals(false, expected.isEmpty(), "the manifest has bad lines");
    assertEquals(expected, written);
    assertEquals(whole.size(), ledger.tally().manifestLines());
  }
}
