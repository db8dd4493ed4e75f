package io.glmvoicebatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.audio.DecodedAudio;
import io.glmvoicebatch.audio.WavFile;
import io.glmvoicebatch.ledger.InputFacts;
import io.glmvoicebatch.ledger.LedgerError;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.ReplyFacts;
import io.glmvoicebatch.ledger.SegmentPlace;
import io.glmvoicebatch.ledger.UsageCost;
import io.glmvoicebatch.testing.SpeechLikeGenerator;
import io.glmvoicebatch.testing.TestWavs;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stitch stage on its own: the concluded lines of a split recording's segments, in any order, become
 * one item line, ok only if every segment is ok, with the segments' tokens summed and their exact cost, the
 * request ids in segment order, and the replies joined (audio end to end, text by paragraphs); anything else
 * is a failed item line saying which segment and why. Whole items pass by without a line. The replies are
 * real WAV files in the output folder, joined by the real decoder.
 */
class StitchSegmentsTest {
  static final int RATE = 16_000;
  @TempDir Path out;

  @Test
  void okSegmentsBecomeOneOkItemWithSummedTokensExactCostAndJoinedReplies() throws Exception {
    StageFixture stage = StageFixture.ledgerAt(out);
    List<LedgerRecord> concluded = new ArrayList<>();
    // Given out of order, and mixed with another split item and a whole item.
    concluded.add(okSegment(stage, "talk", 2, 3, 80, 40, 0.25, "three"));
    concluded.add(okSegment(stage, "other", 0, 2, 10, 5, 0.5, "a"));
    concluded.add(okSegment(stage, "talk", 0, 3, 100, 50, 1.0, "one"));
    concluded.add(StageFixture.okLine("whole", "f"));
    concluded.add(okSegment(stage, "talk", 1, 3, 120, 60, 0.5, "two"));
    concluded.add(okSegment(stage, "other", 1, 2, 20, 7, 0.5, "b"));

    List<LedgerRecord> items = stitch(stage, concluded, 2);

    LedgerRecord talk = items.stream().filter(r -> r.id().equals("talk")).findFirst().orElseThrow();
    assertEquals(LedgerStatus.OK, talk.status());
    assertNull(talk.segment(), "an item line, not a segment's");
    assertEquals(300, talk.usage().promptTokens());
    assertEquals(150, talk.usage().completionTokens());
    assertEquals(450, talk.usage().totalTokens());
    assertEquals(0, new BigDecimal("0.036").compareTo(talk.usage().cost()), "450 tokens at 80 per million: " + talk.usage().costRmb());
    assertEquals(List.of("talk#0-r", "talk#1-r", "talk#2-r"), talk.call().requestIds(), "in segment order");
    assertEquals(6.0, talk.input().secondsSent(), 1e-9);
    assertEquals(1.75, talk.reply().replySeconds(), 1e-9);
    assertNull(talk.error());
    DecodedAudio joined = WavFile.decode(Files.readAllBytes(out.resolve(talk.reply().outputAudio())));
    assertEquals(RATE + RATE / 2 + RATE / 4, joined.channelsData()[0].length, "the replies end to end");
    assertEquals("one\n\ntwo\n\nthree", Files.readString(out.resolve(talk.reply().outputText()), StandardCharsets.UTF_8));

    LedgerRecord other = items.stream().filter(r -> r.id().equals("other")).findFirst().orElseThrow();
    assertEquals(42, other.usage().totalTokens());
    assertEquals(0, new BigDecimal("0.00336").compareTo(other.usage().cost()));
  }

  @Test
  void aFailedSegmentFailsTheItemNamingTheSegmentAndKeepsTheBilledTokens() throws Exception {
    StageFixture stage = StageFixture.ledgerAt(out);
    LedgerRecord failed = failedSegment(stage, "talk", 1, 3, new LedgerError("500", 500, "server error after 2 attempts"));
    List<LedgerRecord> concluded = List.of(okSegment(stage, "talk", 0, 3, 100, 50, 1.0, "one"), failed,
        okSegment(stage, "talk", 2, 3, 80, 40, 0.25, "three"));

    LedgerRecord talk = stitch(stage, concluded, 1).get(0);
    assertEquals(LedgerStatus.FAILED, talk.status());
    assertEquals("500", talk.error().code(), "the segment's own error code");
    assertEquals("item 'talk': segment 1 of 3 failed: server error after 2 attempts", talk.error().message());
    assertEquals(270, talk.usage().totalTokens(), "the ok segments were billed: their tokens stay on the item");
    assertEquals(0, new BigDecimal("0.0216").compareTo(talk.usage().cost()));
    assertNull(talk.reply().outputAudio());
    assertTrue(Files.notExists(out.resolve(stage.folder.audioName("talk"))), "no joined reply for a failed item");
  }

  @Test
  void aSegmentNeverConcludedFailsTheItemAndAnOkRetryOfASegmentCountsOnce() throws Exception {
    StageFixture stage = StageFixture.ledgerAt(out);
    LedgerRecord firstTry = failedSegment(stage, "retried", 1, 2, LedgerError.of("output_failed", "could not be stored"));
    List<LedgerRecord> concluded = List.of(
        okSegment(stage, "short", 0, 3, 10, 1, 0.25, "a"), okSegment(stage, "short", 2, 3, 10, 1, 0.25, "c"),
        okSegment(stage, "retried", 0, 2, 10, 1, 0.25, "x"), firstTry, okSegment(stage, "retried", 1, 2, 30, 3, 0.25, "y"));

    List<LedgerRecord> items = stitch(stage, concluded, 2);
    LedgerRecord missing = items.stream().filter(r -> r.id().equals("short")).findFirst().orElseThrow();
    assertEquals(LedgerStatus.FAILED, missing.status());
    assertEquals("segment_failed", missing.error().code());
    assertEquals("item 'short': only 2 of 3 segments were concluded", missing.error().message());
    LedgerRecord retried = items.stream().filter(r -> r.id().equals("retried")).findFirst().orElseThrow();
    assertEquals(LedgerStatus.OK, retried.status(), retried.toString());
    assertEquals(44, retried.usage().totalTokens(), "the ok attempt of segment 1, once");
  }

  @Test
  void repliesThatCannotBeJoinedFailTheItemNamingIt() throws Exception {
    StageFixture stage = StageFixture.ledgerAt(out);
    LedgerRecord odd = okSegment(stage, "mixed", 1, 2, 10, 1, 0.25, "b");
    // The second reply at another rate: the join refuses it rather than play it at the wrong speed.
    Files.write(out.resolve(odd.reply().outputAudio()), TestWavs.pcm16(RATE / 2, SpeechLikeGenerator.samples(RATE / 2, 0.25, 9)));

    LedgerRecord mixed = stitch(stage, List.of(okSegment(stage, "mixed", 0, 2, 10, 1, 0.25, "a"), odd), 1).get(0);
    assertEquals(LedgerStatus.FAILED, mixed.status());
    assertEquals("stitch_failed", mixed.error().code());
    assertTrue(mixed.error().message().startsWith("item 'mixed': cannot join the segment replies: "), mixed.error().message());
  }

  /**
   * Runs the stage over {@code concluded}; checks it outputs {@code items} item lines and that they are
   * the lines it appended to the ledger, then returns them as read back from the ledger.
   */
  private static List<LedgerRecord> stitch(StageFixture stage, List<LedgerRecord> concluded, int items) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<LedgerRecord> stitched = p
        .apply(Create.of(concluded).withCoder(SerializableCoder.of(LedgerRecord.class)))
        .apply("StitchSegments", new StitchSegments(stage.runtime()));
    PAssert.that(stitched).satisfies(out -> {
      int n = 0;
      for (LedgerRecord r : out) {
        assertNull(r.segment(), r.toString());
        n++;
      }
      assertEquals(items, n, "one line per split item");
      return null;
    });
    p.run().waitUntilFinish();
    List<LedgerRecord> written = stage.lines();
    assertEquals(items, written.size(), "each item line is in the ledger");
    return written;
  }

  private static LedgerRecord.Builder segment(StageFixture stage, String id, int index, int count) {
    return StageFixture.RECORDS.newRecord(id).place(new SegmentPlace(index, count, 2.0 * index))
        .call(cf -> cf.withRequestId(id + "#" + index + "-r").withRequestIds(List.of(id + "#" + index + "-r"))
            .withStartedAt("2026-01-01T00:00:0" + index + "Z"))
        .input(InputFacts.NONE.withSecondsSent(2.0));
  }

  private static LedgerRecord failedSegment(StageFixture stage, String id, int index, int count, LedgerError error) {
    return segment(stage, id, index, count).status(LedgerStatus.FAILED).error(error).build();
  }

  /** An ok segment with its billed tokens and its reply files in the folder, as the call stage leaves them. */
  private static LedgerRecord okSegment(StageFixture stage, String id, int index, int count, long prompt,
      long completion, double replySeconds, String text) throws Exception {
    String audio = stage.folder.audioName(id, index);
    String textName = stage.folder.textName(id, index);
    Path audioFile = stage.dir.resolve(audio);
    Files.createDirectories(audioFile.getParent());
    Files.write(audioFile, TestWavs.pcm16(RATE, SpeechLikeGenerator.samples(RATE, replySeconds, index)));
    Path textFile = stage.dir.resolve(textName);
    Files.createDirectories(textFile.getParent());
    Files.writeString(textFile, text + "\n", StandardCharsets.UTF_8);
    return segment(stage, id, index, count).status(LedgerStatus.OK)
        .usage(UsageCost.billed(prompt, completion, prompt + completion, stage.price(), "RMB"))
        .reply(ReplyFacts.NONE.withFiles(audio, textName).withReplySeconds(replySeconds)).build();
  }
}
