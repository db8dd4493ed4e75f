package io.glmvoicebatch.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

public class SpeechSegmenterTest {
  static final int RATE = 16000;

  /** Speech-like bursts: 3.0 s of voiced sound, then a 0.6 s pause, repeated. */
  public static short[] lesson(double seconds) {
    short[] s = new short[(int) (seconds * RATE)];
    for (int i = 0; i < s.length; i++) {
      double t = (double) i / RATE;
      if (t % 3.6 < 3.0) {
        double syllables = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
        double voice = Math.sin(2 * Math.PI * 180 * t) + 0.5 * Math.sin(2 * Math.PI * 360 * t);
        s[i] = (short) (8000 * syllables * voice);
      }
    }
    return s;
  }

  static PreparedAudio prepared(short[] samples) throws AudioFormatException {
    return new AudioPreparer(NormalizerSettings.builder().loudness(false).trimSilence(false).build())
        .prepare(WavFile.pcm16Mono(samples, RATE));
  }

  @Test
  void aFortyFiveMinuteLessonIsCutOnlyInPausesIntoSegmentsThatFit() throws Exception {
    PreparedAudio audio = prepared(lesson(45 * 60));
    List<AudioSegment> segments = SpeechSegmenter.split(audio, 573);
    assertEquals(5, segments.size(), "45 min in segments of at most 573 s");
    long frames = 0;
    for (AudioSegment seg : segments) {
      assertTrue(seg.audio().secondsSent() <= 573.0, "segment " + seg.index() + " is " + seg.audio().secondsSent());
      assertEquals(5, seg.count());
      if (seg.index() > 0) {
        double cut = seg.startSeconds() % 3.6;
        assertTrue(cut >= 3.0 && cut < 3.6, "cut at " + seg.startSeconds() + " s is not in a pause");
      }
      frames += seg.audio().frames();
      DecodedAudio decoded = WavFile.decode(seg.audio().wavBytes());
      assertEquals(RATE, decoded.sampleRate());
      assertEquals(seg.audio().frames(), decoded.frames());
    }
    assertEquals(audio.frames(), frames, "no sample lost or duplicated at the cuts");
  }

  @Test
  void audioThatFitsIsOneSegment() throws Exception {
    PreparedAudio audio = prepared(lesson(20));
    List<AudioSegment> segments = SpeechSegmenter.split(audio, 60);
    assertEquals(1, segments.size());
    assertTrue(segments.get(0).audio() == audio);
  }

  @Test
  void withoutAnyPauseItCutsAtTheQuietestPoint() throws Exception {
    short[] s = new short[RATE * 100];
    for (int i = 0; i < s.length; i++) {
      double t = (double) i / RATE;
      // Continuous sound whose level dips once, at 50 s.
      double level = Math.abs(t - 50) < 0.05 ? 0.05 : 1.0;
      s[i] = (short) (8000 * level * Math.sin(2 * Math.PI * 200 * t));
    }
    List<AudioSegment> segments = SpeechSegmenter.split(prepared(s), 60);
    assertEquals(2, segments.size());
    assertEquals(50.0, segments.get(1).startSeconds(), 0.05);
  }
}
