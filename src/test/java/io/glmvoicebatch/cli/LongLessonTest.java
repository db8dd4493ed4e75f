package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.audio.EspeakSpeech;
import io.glmvoicebatch.audio.SpeechSegmenterTest;
import io.glmvoicebatch.audio.WavFile;
import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording longer than one request: split at pauses, sent per segment, stitched back per item. */
class LongLessonTest {
  static final String KEY = "longtest1.c2VjcmV0c2VjcmV0";
  @TempDir Path dir;

  @Test
  void longRecordingIsSplitSentPerSegmentStitchedAndResumedWithoutResending() throws Exception {
    Files.write(dir.resolve("lesson.wav"), WavFile.pcm16Mono(SpeechSegmenterTest.lesson(150), 16000));
    Files.writeString(dir.resolve("m.jsonl"), "{\"id\":\"lesson\",\"audio\":\"lesson.wav\",\"prompt\":\"Summarize.\"}\n");
    Path out = dir.resolve("out");
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY)
        .latency(LatencyModel.fixed(Duration.ofMillis(20))).build())) {
      String[] args = {"--manifest=" + dir.resolve("m.jsonl"), "--outputDir=" + out, "--endpoint=" + sim.baseUrl(),
          "--maxSegmentSeconds=60", "--report=false"};
      CliRun run = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), args);
      assertEquals(ExitCode.ALL_DONE, run.code, run.all());

      LedgerView view = LedgerView.read(out.resolve("ledger.jsonl"));
      LedgerRecord item = view.latest().get("lesson");
      assertEquals(LedgerStatus.OK, item.status(), item.toString());
      assertNull(item.segment());
      int segments = item.segments();
      assertEquals(3, segments, "150 s in segments of at most 60 s");
      long tokens = 0;
      double replySeconds = 0;
      for (int i = 0; i < segments; i++) {
        LedgerRecord seg = view.latest().get("lesson#" + i);
        assertEquals(LedgerStatus.OK, seg.status());
        assertTrue(seg.input().secondsSent() <= 60.0, "segment " + i + ": " + seg.input().secondsSent());
        if (i > 0) {
          double inCycle = seg.place().startSeconds() % 3.6;
          assertTrue(inCycle >= 3.0, "segment " + i + " starts mid-word at " + seg.place().startSeconds());
        }
        assertTrue(Files.exists(out.resolve(seg.reply().outputAudio())));
        tokens += seg.usage().totalTokens();
        replySeconds += seg.reply().replySeconds();
      }
      assertEquals(tokens, item.usage().totalTokens());
      assertEquals(sim.stats().totalTokensBilled(), item.usage().totalTokens());
      assertEquals(segments, sim.stats().requests());
      var stitched = AudioSystem.getAudioFileFormat(out.resolve(item.reply().outputAudio()).toFile());
      assertEquals(replySeconds, stitched.getFrameLength() / stitched.getFormat().getFrameRate(), 0.01);
      List<String> text = Files.readAllLines(out.resolve(item.reply().outputText()));
      assertTrue(text.size() >= segments, "stitched text holds every segment's reply");

      CliRun again = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), args);
      assertEquals(ExitCode.ALL_DONE, again.code, again.all());
      assertEquals(segments, sim.stats().requests(), "a finished long item is not sent again");

      CliRun refused = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=" + dir.resolve("m.jsonl"),
          "--outputDir=" + dir.resolve("out2"), "--endpoint=" + sim.baseUrl(), "--maxSegmentSeconds=60",
          "--splitLongAudio=false", "--report=false");
      assertEquals(ExitCode.SOME_FAILED, refused.code);
      LedgerRecord failed = LedgerView.read(dir.resolve("out2/ledger.jsonl")).latest().get("lesson");
      assertEquals("audio_too_long", failed.error().code());
      assertTrue(failed.error().message().contains("--splitLongAudio=true splits it at pauses"), failed.error().message());
    }
  }

  /**
   * A 25-minute lesson of real speech (espeak-ng sentences with pauses) through the default command (no key: the
   * embedded simulator, default segment limits) and through the dataset preset's options: every segment ok.
   * Segments of about 568 s carry 24 million base64 characters, over Jackson's default string limit.
   */
  @Test
  void aTwentyFiveMinuteLessonOfRealSpeechRunsThroughTheDefaultCommandAndTheDatasetPreset() throws Exception {
    EspeakSpeech.assumeInstalled();
    Path lesson = dir.resolve("lesson-25min.wav");
    Files.write(lesson, spokenLesson(25 * 60));
    Path manifest = dir.resolve("m.jsonl");
    Files.writeString(manifest, "{\"id\":\"lesson\",\"audio\":\"" + lesson + "\",\"prompt\":\"Summarize.\"}\n");

    Path plain = dir.resolve("default-out");
    CliRun run = CliRun.of(Map.of(), "--manifest=" + manifest, "--outputDir=" + plain);
    assertEquals(ExitCode.ALL_DONE, run.code, run.all());
    assertAllSegmentsOk(plain.resolve("ledger.jsonl"));

    Path dataset = dir.resolve("dataset-out");
    List<String> preset = PresetsTest.expand("dataset-generation",
        Map.of("MANIFEST", manifest.toString(), "OUT", dataset.toString()));
    CliRun ds = CliRun.of(Map.of(), preset.toArray(String[]::new));
    assertEquals(ExitCode.ALL_DONE, ds.code, ds.all());
    assertAllSegmentsOk(dataset.resolve("ledger.jsonl"));
    assertEquals(3, Files.readAllLines(dataset.resolve("metadata.jsonl")).size(), "one pair per segment");
  }

  private static void assertAllSegmentsOk(Path ledger) throws Exception {
    Map<String, LedgerRecord> latest = LedgerView.read(ledger).latest();
    LedgerRecord item = latest.get("lesson");
    assertEquals(LedgerStatus.OK, item.status(), item.toString());
    assertEquals(3, item.segments(), "1500 s in segments of at most ~568 s");
    double sent = 0;
    for (int i = 0; i < item.segments(); i++) {
      LedgerRecord seg = latest.get("lesson#" + i);
      assertEquals(LedgerStatus.OK, seg.status(), seg.toString());
      sent += seg.input().secondsSent();
    }
    assertTrue(sent > 24 * 60, "the whole lesson was sent: " + sent + " s");
  }

  /** Sentences spoken by espeak-ng with 1-2 s pauses of faint room noise between them, as a 16-bit WAV. */
  static byte[] spokenLesson(double seconds) throws Exception {
    List<float[]> sentences = List.of(
        EspeakSpeech.say("en", "Today we look at why the sky is blue and why sunsets are red."),
        EspeakSpeech.say("en", "Sunlight is made of every colour, and air scatters the short blue waves the most."),
        EspeakSpeech.say("cmn", "请大家想一想，为什么傍晚的天空是红色的？"),
        EspeakSpeech.say("en", "At sunset the light crosses much more air, so most of the blue is scattered away."));
    int rate = EspeakSpeech.RATE;
    short[] out = new short[(int) (seconds * rate)];
    Random noise = new Random(25);
    int pos = 0;
    for (int s = 0; pos < out.length; s++) {
      float[] sentence = sentences.get(s % sentences.size());
      for (int i = 0; i < sentence.length && pos < out.length; i++) {
        out[pos++] = (short) Math.round(Math.max(-1, Math.min(1, sentence[i] * 0.5)) * 32767);
      }
      int pause = (int) ((1.0 + noise.nextDouble()) * rate);
      for (int i = 0; i < pause && pos < out.length; i++) {
        out[pos++] = (short) Math.round(noise.nextGaussian() * 3); // about -80 dBFS
      }
    }
    return WavFile.pcm16Mono(out, rate);
  }
}
