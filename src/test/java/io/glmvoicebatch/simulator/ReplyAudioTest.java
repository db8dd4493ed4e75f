package io.glmvoicebatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

/** Both reply audio forms decode to speech-like, non-silent sound. */
class ReplyAudioTest {
  static JsonNode reply(ReplyAudioForm form) throws Exception {
    try (GlmVoiceSimulator sim =
        GlmVoiceSimulator.start(
            SimulatorConfig.builder().latency(LatencyModel.fixed(Duration.ZERO)).replyAudioForm(form).build())) {
      return new SimClient(sim).post(SimClient.audioRequest(TestAudio.wavSeconds(3, 16_000), null)).json();
    }
  }

  @Test
  void rawPcmIsHeaderlessS16leAt44100() throws Exception {
    JsonNode j = reply(ReplyAudioForm.RAW_PCM_44K);
    byte[] pcm = SimClient.replyAudio(j);
    assertFalse(new String(pcm, 0, 4, StandardCharsets.US_ASCII).equals("RIFF"));
    assertEquals(0, pcm.length % 2);
    double seconds = pcm.length / 2 / 44_100.0;
    assertTrue(seconds >= 2 && seconds <= 8, seconds + " s");
    double rms = TestAudio.rms(pcm, 0);
    assertTrue(rms > 0.03, "rms " + rms);
  }

  @Test
  void wavIsACompleteRiffFileAt22050() throws Exception {
    JsonNode j = reply(ReplyAudioForm.WAV);
    byte[] wav = SimClient.replyAudio(j);
    assertEquals("RIFF", new String(wav, 0, 4, StandardCharsets.US_ASCII));
    assertEquals("WAVE", new String(wav, 8, 4, StandardCharsets.US_ASCII));
    try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
      AudioFormat f = in.getFormat();
      assertEquals(22_050f, f.getSampleRate());
      assertEquals(1, f.getChannels());
      assertEquals(16, f.getSampleSizeInBits());
      assertEquals((wav.length - 44) / 2, in.getFrameLength());
    }
    assertTrue(TestAudio.rms(wav, 44) > 0.03);
    long frames = (wav.length - 44) / 2;
    String text = j.path("choices").path(0).path("message").path("content").asText();
    assertEquals(
        io.glmvoicebatch.api.TokenEstimate.textTokens(text) + io.glmvoicebatch.api.TokenEstimate.audioTokens(frames, 22_050),
        j.path("usage").path("completion_tokens").asLong());
  }

  @Test
  void soundIsSpeechLikeNotAToneOrSilence() {
    short[] s = SyntheticSpeech.render(44_100 * 4, 44_100, new java.util.SplittableRandom(7));
    // Syllable envelope: the level over 25 ms windows varies a lot, with near-silent pauses.
    int window = 44_100 / 40;
    double[] levels = new double[s.length / window];
    for (int w = 0; w < levels.length; w++) {
      double sum = 0;
      for (int i = w * window; i < (w + 1) * window; i++) {
        sum += (double) s[i] * s[i];
      }
      levels[w] = Math.sqrt(sum / window) / 32768;
    }
    double max = Arrays.stream(levels).max().orElseThrow();
    double min = Arrays.stream(levels).min().orElseThrow();
    assertTrue(max > 0.1, "max level " + max);
    assertTrue(min < max / 20, "pauses expected, min " + min);
    // Not digital silence anywhere long: pauses carry a little room noise.
    assertNotEquals(0.0, min);
    // Voiced: the zero-crossing rate is in the range of voiced speech, not white noise.
    int crossings = 0;
    for (int i = 1; i < s.length; i++) {
      if ((s[i - 1] < 0) != (s[i] < 0)) {
        crossings++;
      }
    }
    double perSecond = crossings / 4.0;
    assertTrue(perSecond > 100 && perSecond < 8000, "zero crossings/s " + perSecond);
  }
}
