package io.glmvoicebatch.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.audio.WavBuilder.Encoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Speech is found at any recording level, judged against the clip's own noise floor: real espeak-ng speech
 * from −60 to 0 dBFS over digital silence, 16-bit dither and room noise is sent; silence, hum, hiss and
 * dither alone are skipped. Files are 16-bit WAVs as recorders write them.
 */
class SpeechLevelSweepTest {
  static final int RATE = EspeakSpeech.RATE;
  static final AudioPreparer DEFAULT = new AudioPreparer(NormalizerSettings.defaults());
  static float[] speech;

  @BeforeAll
  static void synthesize() throws Exception {
    EspeakSpeech.assumeInstalled();
    float[] said = EspeakSpeech.say("en", "The sky is blue because air scatters the short blue waves of sunlight.");
    speech = Signals.concat(new float[RATE], said, new float[RATE]); // a second of room either side
  }

  /** The noise under the speech: none, 16-bit TPDF dither, or Gaussian room noise some dB below the speech peak. */
  enum Floor {
    DIGITAL_SILENCE(0), DITHER(0), ROOM_40_DB_DOWN(40), ROOM_30_DB_DOWN(30);

    final double belowPeakDb;

    Floor(double belowPeakDb) {
      this.belowPeakDb = belowPeakDb;
    }

    float[] addTo(float[] x, double peakDbfs, long seed) {
      Random r = new Random(seed);
      float[] y = x.clone();
      double lsb = 1.0 / 32768;
      double rms = Math.pow(10, (peakDbfs - belowPeakDb) / 20);
      for (int i = 0; i < y.length; i++) {
        if (this == DITHER) {
          y[i] += (float) ((r.nextDouble() - r.nextDouble()) * lsb);
        } else if (this != DIGITAL_SILENCE) {
          y[i] += (float) (r.nextGaussian() * rms);
        }
      }
      return y;
    }
  }

  @Test
  void speechFromMinus60To0DbfsIsSentOverEveryNoiseFloor() throws Exception {
    double speechPeak = Signals.peak(speech);
    // The words: from the first to the last sample within 30 dB of the peak.
    int first = 0;
    int last = speech.length - 1;
    while (Math.abs(speech[first]) < speechPeak * 0.0316) {
      first++;
    }
    while (Math.abs(speech[last]) < speechPeak * 0.0316) {
      last--;
    }
    double spoken = (last - first) / (double) RATE;
    List<String> failures = new ArrayList<>();
    int cases = 0;
    for (int level = -60; level <= 0; level += 10) {
      for (Floor floor : Floor.values()) {
        double peakDbfs = level - 0.1;
        float[] x = floor.addTo(Signals.scale(speech, Math.pow(10, peakDbfs / 20) / speechPeak), peakDbfs, level);
        PreparedAudio p = DEFAULT.prepare(WavBuilder.of(Encoding.S16, RATE, x).build());
        cases++;
        String label = "speech peaking at " + level + " dBFS over " + floor;
        if (p.silent()) {
          failures.add(label + ": skipped as no speech");
          continue;
        }
        if (p.secondsSent() < spoken) {
          failures.add(label + ": only " + p.secondsSent() + " s sent of " + spoken + " s spoken");
        }
        if (p.gainDb() <= 0 && level < -20) {
          failures.add(label + ": quiet speech got no gain (" + p.gainDb() + " dB)");
        }
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " of " + cases + " cases:\n" + String.join("\n", failures));
    assertEquals(28, cases);
  }

  @Test
  void veryQuietSpeechIsLiftedToTheTargetWithMoreGainAndTheCapIsReported() throws Exception {
    float[] x = Floor.DITHER.addTo(Signals.scale(speech, Math.pow(10, -60 / 20.0) / Signals.peak(speech)), -60, 1);
    byte[] wav = WavBuilder.of(Encoding.S16, RATE, x).build();
    PreparedAudio capped = DEFAULT.prepare(wav);
    assertFalse(capped.silent());
    assertEquals(24.0, capped.gainDb(), 1e-9);
    assertTrue(capped.warnings().stream().anyMatch(w -> w.startsWith("quiet speech: ") && w.contains("--maxGainDb=")),
        capped.warnings().toString());

    PreparedAudio lifted = new AudioPreparer(NormalizerSettings.builder().maxGainDb(70).build()).prepare(wav);
    DecodedAudio out = WavFile.decode(lifted.wavBytes());
    float[] y = out.channelsData()[0];
    assertEquals(-20.0, LoudnessMeter.integratedLufs(y, 0, y.length, lifted.sampleRate()), 0.5);
    assertTrue(lifted.warnings().isEmpty(), lifted.warnings().toString());
  }

  @Test
  void silenceHumHissAndDitherAloneAreStillSkipped() throws Exception {
    int n = RATE * 5;
    float[] zeros = new float[n];
    float[] hum50 = Signals.sine(50, 0.1, RATE, 5.0);
    float[] hum60 = Signals.concat(Signals.sine(60, 0.3, RATE, 5.0));
    float[] harmonics = Signals.sine(180, 0.1, RATE, 5.0);
    for (int i = 0; i < n; i++) {
      hum60[i] += harmonics[i];
    }
    float[] quietHum = Signals.sine(50, 0.001, RATE, 5.0);
    assertSkipped("digital silence", zeros);
    assertSkipped("16-bit dither alone", Floor.DITHER.addTo(zeros, 0, 2));
    assertSkipped("room noise at -70 dBFS", Floor.ROOM_30_DB_DOWN.addTo(zeros, -40, 3));
    assertSkipped("room noise at -40 dBFS", Floor.ROOM_30_DB_DOWN.addTo(zeros, -10, 4));
    assertSkipped("50 Hz hum at -20 dBFS", hum50);
    assertSkipped("60 Hz hum with its third harmonic", hum60);
    assertSkipped("50 Hz hum at -60 dBFS with dither", Floor.DITHER.addTo(quietHum, 0, 5));
  }

  private static void assertSkipped(String what, float[] x) throws Exception {
    PreparedAudio p = DEFAULT.prepare(WavBuilder.of(Encoding.S16, RATE, x).build());
    assertTrue(p.silent(), what + " was taken for speech");
  }
}
