package io.glmvoicebatch.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.audio.WavBuilder.Encoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AudioPreparerTest {
  private static final AudioPreparer DEFAULT = new AudioPreparer(NormalizerSettings.defaults());

  private static float[] samplesOf(PreparedAudio p) throws Exception {
    DecodedAudio d = WavFile.decode(p.wavBytes());
    assertEquals(1, d.channels());
    return d.channelsData()[0];
  }

  private static double outputLufs(PreparedAudio p) throws Exception {
    float[] y = samplesOf(p);
    return LoudnessMeter.integratedLufs(y, 0, y.length, p.sampleRate());
  }

  @Test
  void outputIsA44ByteHeaderMono16kHzS16le() throws Exception {
    float[] speech = Signals.speechLike(48000, 3.0, 1);
    PreparedAudio p = DEFAULT.prepare(WavBuilder.of(Encoding.S24, 48000, speech, speech).build());
    ByteBuffer b = ByteBuffer.wrap(p.wavBytes()).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals("RIFF", new String(p.wavBytes(), 0, 4, StandardCharsets.US_ASCII));
    assertEquals(p.wavBytes().length - 8, b.getInt(4));
    assertEquals("WAVEfmt ", new String(p.wavBytes(), 8, 8, StandardCharsets.US_ASCII));
    assertEquals(16, b.getInt(16));
    assertEquals(1, b.getShort(20)); // PCM
    assertEquals(1, b.getShort(22)); // mono
    assertEquals(16000, b.getInt(24));
    assertEquals(32000, b.getInt(28));
    assertEquals(2, b.getShort(32));
    assertEquals(16, b.getShort(34));
    assertEquals("data", new String(p.wavBytes(), 36, 4, StandardCharsets.US_ASCII));
    assertEquals(p.wavBytes().length - 44, b.getInt(40));
    assertEquals(p.frames() * 2, b.getInt(40));
    assertEquals("wav", p.format());
    assertEquals(16000, p.sampleRate());
    assertEquals(p.frames() / 16000.0, p.secondsSent(), 1e-9);
    assertEquals(new InputFormat(48000, 2, "pcm_s24le", 24, 144000, "RIFF"), p.input());
    assertFalse(p.silent());
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 11025, 16000, 22050, 44100, 48000, 96000, 192000})
  void reachesTargetLoudnessFromAnyRate(int rate) throws Exception {
    float[] speech = Signals.speechLike(rate, 6.0, 3);
    PreparedAudio p = DEFAULT.prepare(WavBuilder.of(Encoding.F32, rate, speech).build());
    double peakDb = 20 * Math.log10(Signals.peak(samplesOf(p)));
    assertTrue(peakDb <= -1.0 + 0.01, "peak " + peakDb);
    assertTrue(p.gainDb() < 24.0, "gain " + p.gainDb());
    if (peakDb < -1.05) { // not limited by the ceiling
      assertEquals(-20.0, outputLufs(p), 0.2);
    }
  }

  @Test
  void gainIsCappedByMaxGain() throws Exception {
    // Speech-like sound at -47.4 LUFS needs 27.4 dB.
    float[] speech = Signals.speechLike(16000, 3.0, 7);
    float[] quiet = Signals.scale(speech, Math.pow(10, (-47.4 - LoudnessMeter.integratedLufs(speech, 0, speech.length, 16000)) / 20));
    PreparedAudio p = DEFAULT.prepare(WavBuilder.of(Encoding.F32, 16000, quiet).build());
    assertEquals(24.0, p.gainDb(), 1e-9);
    assertEquals(-47.4 + 24.0, outputLufs(p), 0.2);
  }

  @Test
  void gainIsCappedByPeakCeiling() throws Exception {
    // A click train: high peak, little energy. Loudness gain would clip; the ceiling wins.
    float[] clicks = new float[16000 * 3];
    for (int i = 800; i < clicks.length; i += 1600) {
      clicks[i] = 0.5f;
      clicks[i + 1] = -0.5f;
    }
    PreparedAudio p = DEFAULT.prepare(WavBuilder.of(Encoding.F32, 16000, clicks).build());
    double peakDb = 20 * Math.log10(Signals.peak(samplesOf(p)));
    assertEquals(-1.0, peakDb, 0.05);
    assertTrue(p.gainDb() < 24 && p.gainDb() > 0);
  }

  @Test
  void loudSignalsAreAttenuatedAndNothingClips() throws Exception {
    float[] speech = Signals.speechLike(16000, 3.0, 8);
    float[] loud = Signals.scale(speech, 1.5 / Signals.peak(speech)); // float file above full scale
    PreparedAudio p = DEFAULT.prepare(WavBuilder.of(Encoding.F32, 16000, loud).build());
    assertEquals(-20.0, outputLufs(p), 0.1);
    PreparedAudio q = new AudioPreparer(NormalizerSettings.builder().loudness(false).build())
        .prepare(WavBuilder.of(Encoding.F32, 16000, loud).build());
    assertEquals(-1.0, 20 * Math.log10(Signals.peak(samplesOf(q))), 0.05);
  }

  @Test
  void trimsLeadingAndTrailingSilenceKeepingPadding() throws Exception {
    float[] x = Signals.concat(
        Signals.silence(16000, 2.0), Signals.sine(440, 0.3, 16000, 1.0), Signals.silence(16000, 3.0));
    PreparedAudio p = DEFAULT.prepare(WavBuilder.of(Encoding.S16, 16000, x).build());
    assertEquals(1.5, p.secondsSent(), 0.05); // 1 s of tone + 0.25 s either side (+ the DC filter's decay)
    float[] y = samplesOf(p);
    double lead = Signals.peak(java.util.Arrays.copyOfRange(y, 0, 3600)); // first 0.225 s
    assertTrue(lead < 1e-3, "leading padding holds silence, peak " + lead);

    PreparedAudio untrimmed = new AudioPreparer(NormalizerSettings.builder().trimSilence(false).build())
        .prepare(WavBuilder.of(Encoding.S16, 16000, x).build());
    assertEquals(6.0, untrimmed.secondsSent(), 1e-9);
  }

  @Test
  void keepsPausesInsideSpeech() throws Exception {
    float[] x = Signals.concat(Signals.sine(440, 0.3, 16000, 1.0), Signals.silence(16000, 2.0),
        Signals.sine(440, 0.3, 16000, 1.0));
    assertEquals(4.0, DEFAULT.prepare(WavBuilder.of(Encoding.S16, 16000, x).build()).secondsSent(), 1e-9);
  }

  @Test
  void allSilentOrVeryQuietInputIsSilent() throws Exception {
    assertTrue(DEFAULT.prepare(WavBuilder.of(Encoding.S16, 44100, new float[44100]).build()).silent());
    java.util.Random r = new java.util.Random(5);
    float[] hiss = new float[48000 * 2];
    for (int i = 0; i < hiss.length; i++) {
      hiss[i] = (float) (r.nextGaussian() * Math.pow(10, -65 / 20.0)); // -65 dBFS noise floor
    }
    PreparedAudio p = DEFAULT.prepare(WavBuilder.of(Encoding.S24, 48000, hiss).build());
    assertTrue(p.silent());
    assertEquals(0.0, p.gainDb());
    // A single click is not speech.
    float[] click = new float[16000 * 2];
    click[16000] = 0.9f;
    assertTrue(DEFAULT.prepare(WavBuilder.of(Encoding.S16, 16000, click).build()).silent());
    // A short word is.
    float[] word = Signals.concat(Signals.silence(16000, 1.0), Signals.sine(300, 0.1, 16000, 0.15), Signals.silence(16000, 1.0));
    assertFalse(DEFAULT.prepare(WavBuilder.of(Encoding.S16, 16000, word).build()).silent());
    // Opposite-phase stereo cancels in the mono downmix.
    float[] tone = Signals.sine(440, 0.5, 16000, 1.0);
    assertTrue(DEFAULT.prepare(WavBuilder.of(Encoding.S16, 16000, tone, Signals.scale(tone, -1)).build()).silent());
  }

  @Test
  void dcOffsetIsRemoved() throws Exception {
    float[] x = Signals.sine(440, 0.2, 16000, 3.0);
    for (int i = 0; i < x.length; i++) {
      x[i] += 0.3f;
    }
    float[] y = samplesOf(new AudioPreparer(NormalizerSettings.builder().loudness(false).build())
        .prepare(WavBuilder.of(Encoding.F32, 16000, x).build()));
    double mean = 0;
    for (int i = 8000; i < y.length; i++) {
      mean += y[i];
    }
    assertEquals(0, mean / (y.length - 8000), 1e-3);
    assertEquals(0.2, Signals.amplitudeAt(y, 8000, y.length, 440, 16000), 0.003);
  }

  @Test
  void downmixIsTheMeanOfChannels() throws Exception {
    float[] a = Signals.sine(440, 0.4, 16000, 2.0);
    float[] silent = new float[a.length];
    NormalizerSettings plain = NormalizerSettings.builder().loudness(false).trimSilence(false).build();
    float[] y = samplesOf(new AudioPreparer(plain).prepare(WavBuilder.of(Encoding.F32, 16000, a, silent, silent, silent).build()));
    assertEquals(0.1, Signals.amplitudeAt(y, 4000, y.length, 440, 16000), 0.001);
  }

  @Test
  void quantizesWithRoundingAndClamping() {
    byte[] out = new byte[10];
    Pcm16Encoder.encode(new float[] {0.5f / 32768, -0.6f / 32768, 2f, -2f, 1.4f / 32768}, 0, 5, 1f, out, 0);
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1, b.getShort(0));
    assertEquals(-1, b.getShort(2));
    assertEquals(32767, b.getShort(4));
    assertEquals(-32768, b.getShort(6));
    assertEquals(1, b.getShort(8));
  }

  @Test
  void normalizeFalseSendsTheOriginalBytes(@TempDir Path dir) throws Exception {
    float[] speech = Signals.speechLike(44100, 2.0, 9);
    byte[] wav = WavBuilder.of(Encoding.S24, 44100, speech, speech).chunkBeforeData("LIST", new byte[20]).build();
    AudioPreparer off = new AudioPreparer(NormalizerSettings.builder().normalize(false).build());
    PreparedAudio p = off.prepare(wav);
    assertSame(wav, p.wavBytes());
    Path file = dir.resolve("a.wav");
    Files.write(file, wav);
    PreparedAudio q = off.prepare(file);
    assertArrayEquals(wav, q.wavBytes());
    assertEquals(44100, q.sampleRate());
    assertEquals(88200, q.frames());
    assertEquals(0.0, q.gainDb());
    assertFalse(q.silent());
    // Still validated: broken files are refused even when passed through.
    assertThrows(AudioFormatException.class, () -> off.prepare(new byte[100]));
    assertTrue(off.prepare(WavBuilder.of(Encoding.S16, 16000, new float[16000]).build()).silent());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void fileAndMemoryGiveTheSameResult(Encoding e, @TempDir Path dir) throws Exception {
    float[] speech = Signals.speechLike(22050, 4.0, 11);
    byte[] wav = WavBuilder.of(e, 22050, speech, Signals.scale(speech, 0.5)).build();
    Path file = dir.resolve("x.wav");
    Files.write(file, wav);
    PreparedAudio fromFile = DEFAULT.prepare(file);
    PreparedAudio fromMemory = DEFAULT.prepare(wav);
    assertArrayEquals(fromMemory.wavBytes(), fromFile.wavBytes());
    assertEquals(fromMemory.gainDb(), fromFile.gainDb());
  }

  @Test
  void warningsFromTheFileArePassedOn() throws Exception {
    float[] s = Signals.sine(440, 0.3, 16000, 1.0);
    PreparedAudio p = DEFAULT.prepare(WavBuilder.of(Encoding.S16, 16000, s).dataSizeField(64000).build());
    assertEquals(java.util.List.of("header claims 64000 data bytes but file holds 32000: decoded what is there"),
        p.warnings());
    PreparedAudio odd = DEFAULT.prepare(WavBuilder.of(Encoding.S16, 44101, Signals.sine(440, 0.3, 44101, 1.0)).build());
    assertTrue(odd.warnings().get(0).startsWith("resampled 44101 Hz with an approximate ratio"), odd.warnings().toString());
  }

  @Test
  void settingsHaveTheDocumentedDefaultsAndValidate() {
    NormalizerSettings d = NormalizerSettings.defaults();
    assertTrue(d.normalize());
    assertEquals(16000, d.targetRate());
    assertEquals(-20.0, d.targetLufs());
    assertEquals(-1.0, d.peakCeilingDbfs());
    assertEquals(24.0, d.maxGainDb());
    assertTrue(d.loudness());
    assertTrue(d.trimSilence());
    assertEquals(-85.0, d.silenceThresholdDbfs());
    assertEquals(0.25, d.trimPaddingSeconds());
    assertEquals(d, d.toBuilder().build());
    assertThrows(IllegalArgumentException.class, () -> NormalizerSettings.builder().peakCeilingDbfs(1).build());
    assertThrows(IllegalArgumentException.class, () -> NormalizerSettings.builder().targetRate(0).build());
  }
}
