package io.glmvoicebatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.RequestParams;
import io.glmvoicebatch.testing.TestWavs;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dry-run stage on its own, over real WAV files through the real decoder: each item's estimate line
 * carries its exact prompt tokens (12.5 per second of the audio as sent, rounded up, plus the text at one
 * token per CJK character and per four other characters), the expected and worst-case totals and their
 * exact costs; an unusable file is a failed line naming the item and the file; nothing is sent and nothing
 * comes out of the stage; an item the batch already finished is not estimated again.
 */
class EstimateCostTest {
  static final long EXPECTED_COMPLETION = 200;
  @TempDir Path dir;

  @Test
  void eachItemGetsItsExactTokensAndCostsAndABadFileIsAFailedLineNamingItemAndFile() throws Exception {
    Path speech = TestWavs.speechLike(dir.resolve("speech.wav"), 16_000, 4.0, 1);
    Path silent = Files.write(dir.resolve("silent.wav"), TestWavs.pcm16(16_000, new float[3 * 16_000]));
    Path garbage = Files.writeString(dir.resolve("garbage.wav"), "not audio at all, only text", StandardCharsets.UTF_8);
    Path missing = dir.resolve("missing.wav");
    List<ManifestItem> items = List.of(
        StageFixture.item("speech", 1, speech, "Describe it."),
        StageFixture.item("capped", 2, speech, null).withParams(RequestParams.prompt("请回答这个问题").withMaxTokens(100)),
        StageFixture.item("sample", 3, StageFixture.SHORT_CLIP, null),
        StageFixture.item("silent", 4, silent, "x"),
        StageFixture.item("garbage", 5, garbage, "x"),
        StageFixture.item("missing", 6, missing, "x"));
    StageFixture stage = StageFixture.estimatesAt(dir.resolve("out"));

    estimate(stage, items, SegmentPolicy.defaults());

    // Text tokens by the documented rule, counted here by hand: "Describe it." is 11 non-space characters.
    LedgerRecord plain = stage.concluded("speech");
    assertEstimate(plain, 3, 1024);
    LedgerRecord capped = stage.concluded("capped");
    assertEstimate(capped, 7, 100);
    assertEquals(plain.input().secondsSent(), capped.input().secondsSent(), "the same audio");
    assertEstimate(stage.concluded("sample"), 0, 1024);

    LedgerRecord silence = stage.concluded("silent");
    assertEquals(LedgerStatus.SKIPPED, silence.status());
    assertEquals("no speech", silence.reason());
    assertNull(silence.usage().totalTokens(), "nothing would be sent, nothing estimated");

    LedgerRecord bad = stage.concluded("garbage");
    assertEquals(LedgerStatus.FAILED, bad.status());
    assertEquals("audio_unreadable", bad.error().code());
    assertTrue(bad.error().message().startsWith("item 'garbage', file " + garbage + ": "), bad.error().message());
    assertEquals(5, bad.manifestLine());
    assertTrue(stage.concluded("missing").error().message().startsWith("item 'missing', file " + missing + ": file not found"),
        stage.concluded("missing").error().message());
    assertEquals(6, stage.concluded().size(), "one line per item: " + stage.concluded());
    assertTrue(Files.notExists(stage.dir.resolve("ledger.jsonl")), "a dry run writes no batch ledger line");
  }

  @Test
  void aLongRecordingIsEstimatedSegmentBySegment() throws Exception {
    StageFixture stage = StageFixture.estimatesAt(dir.resolve("out"));
    estimate(stage, List.of(StageFixture.item("long", 1, StageFixture.LONG_CLIP, "Summarize.")), new SegmentPolicy(true, 3.0));

    List<LedgerRecord> segments = stage.concluded();
    assertTrue(segments.size() >= 2, "not split: " + segments);
    for (LedgerRecord segment : segments) {
      assertEquals(segments.size(), segment.segments(), segment.toString());
      assertTrue(segment.input().secondsSent() <= 3.0, segment.toString());
      assertEstimate(segment, 3, 1024); // "Summarize." is 10 characters: every segment carries the prompt
    }
    assertEquals(java.util.stream.IntStream.range(0, segments.size()).boxed().toList(),
        segments.stream().map(LedgerRecord::segment).sorted().toList(), "each segment once");
  }

  @Test
  void anItemTheBatchAlreadyFinishedIsNotEstimatedAgain() throws Exception {
    Path speech = TestWavs.speechLike(dir.resolve("speech.wav"), 16_000, 2.0, 2);
    List<ManifestItem> items = List.of(StageFixture.item("done", 1, speech, "a"), StageFixture.item("todo", 2, speech, "b"));
    StageFixture first = StageFixture.estimatesAt(dir.resolve("out"));
    estimate(first, items, SegmentPolicy.defaults());
    // The batch then finished "done" with exactly what was estimated (same file, prompt and settings).
    first.appendToBatchLedger(StageFixture.okLine("done", first.concluded("done").input().fingerprint()));
    Files.delete(first.ledger.file());

    StageFixture second = StageFixture.estimatesAt(dir.resolve("out"));
    estimate(second, items, SegmentPolicy.defaults());
    assertEquals(List.of("todo"), second.concluded().stream().map(LedgerRecord::id).toList());
  }

  private static void estimate(StageFixture stage, List<ManifestItem> items, SegmentPolicy segments) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<LedgerRecord> out = StageFixture.slice(p, items)
        .apply("EstimateCost", new EstimateCost(stage.runtime(), stage.preparation(segments), EXPECTED_COMPLETION));
    PAssert.that(out).empty(); // the estimates file is the output
    p.run().waitUntilFinish();
  }

  /**
   * Prompt tokens: ceil(seconds sent x 12.5) from the frame count at 16 kHz, plus {@code textTokens};
   * expected: the expected completion, at most max_tokens; worst case: the whole max_tokens answer; costs at 80 per million.
   */
  private static void assertEstimate(LedgerRecord r, long textTokens, long maxTokens) {
    assertEquals(LedgerStatus.ESTIMATE, r.status(), r.toString());
    long frames = Math.round(r.input().secondsSent() * 16_000);
    long audioTokens = (frames * 25 + 31_999) / 32_000;
    assertTrue(audioTokens > 0, r.toString());
    long prompt = audioTokens + textTokens;
    long completion = Math.min(EXPECTED_COMPLETION, maxTokens);
    assertEquals(prompt, r.usage().promptTokens(), r.toString());
    assertEquals(completion, r.usage().completionTokens(), r.toString());
    assertEquals(prompt + completion, r.usage().totalTokens(), r.toString());
    assertEquals(prompt + maxTokens, r.usage().worstCaseTokens(), r.toString());
    assertNotNull(r.usage().costRmb(), r.toString());
    BigDecimal perToken = new BigDecimal("0.00008");
    assertEquals(0, perToken.multiply(BigDecimal.valueOf(prompt + completion)).compareTo(new BigDecimal(r.usage().costRmb())),
        "expected cost of " + r);
    assertEquals(0, perToken.multiply(BigDecimal.valueOf(prompt + maxTokens)).compareTo(new BigDecimal(r.usage().worstCaseCost())),
        "worst-case cost of " + r);
    assertNotNull(r.input().fingerprint(), "the resume key is recorded");
  }
}
