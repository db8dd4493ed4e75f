package io.glmvoicebatch.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.audio.WavBuilder.Encoding;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class WavFileDecodeTest {
  private static float[] tone(int rate, int channel) {
    return Signals.sine(440 * (channel + 1), 0.8 / (channel + 1), rate, 4000, 0.1 * channel);
  }

  private static float[][] channels(int n, int rate) {
    float[][] c = new float[n][];
    for (int i = 0; i < n; i++) {
      c[i] = tone(rate, i);
    }
    return c;
  }

  /** Worst-case decoding error for each encoding: half a quantization step (G.711: ~1/32 of value). */
  private static void assertDecoded(float[][] expected, DecodedAudio got, Encoding e) {
    assertEquals(expected.length, got.channels());
    for (int c = 0; c < expected.length; c++) {
      assertEquals(expected[c].length, got.channelsData()[c].length);
      for (int i = 0; i < expected[c].length; i++) {
        double x = expected[c][i];
        double tol;
        switch (e) {
          case U8: tol = 1.0 / 128; break;
          case S16: tol = 1.0 / 32768; break;
          case S24: tol = 1.0 / 8388608 + 1e-7; break;
          case S32: tol = 1e-7; break;
          case F32: tol = 0; break;
          case F64: tol = 0; break;
          default: tol = Math.abs(x) / 16 + 9.0 / 32768; // G.711 segments: half a step
        }
        assertEquals(x, got.channelsData()[c][i], tol, e + " channel " + c + " frame " + i);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void decodesEveryEncodingInPlainFormat(Encoding e) throws Exception {
    float[][] signal = channels(2, 44100);
    DecodedAudio d = WavFile.decode(WavBuilder.of(e, 44100, signal).build());
    assertDecoded(signal, d, e);
    assertEquals(44100, d.sampleRate());
    assertEquals(4000, d.format().frames());
    assertEquals("RIFF", d.format().container());
    assertTrue(d.warnings().isEmpty(), d.warnings().toString());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void decodesEveryEncodingInExtensibleFormat(Encoding e) throws Exception {
    float[][] signal = channels(6, 48000);
    DecodedAudio d = WavFile.decode(WavBuilder.of(e, 48000, signal).extensible(e.bits).build());
    assertDecoded(signal, d, e);
  }

  @Test
  void reportsEncodingNames() throws Exception {
    String[] expected = {"pcm_u8", "pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_f64le", "mulaw", "alaw"};
    Encoding[] all = Encoding.values();
    for (int i = 0; i < all.length; i++) {
      DecodedAudio d = WavFile.decode(WavBuilder.of(all[i], 8000, channels(1, 8000)).build());
      assertEquals(expected[i], d.format().encoding());
      assertEquals(all[i].bits, d.format().bitsPerSample());
    }
  }

  @Test
  void extensibleWithFewerValidBitsReadsLeftJustifiedSamples() throws Exception {
    float[][] signal = channels(2, 96000);
    DecodedAudio d = WavFile.decode(WavBuilder.of(Encoding.S32, 96000, signal).extensible(24).build());
    for (int i = 0; i < 4000; i++) {
      assertEquals(signal[0][i], d.channelsData()[0][i], 1.0 / 8388608 + 1e-7);
    }
    assertEquals(24, d.format().bitsPerSample());
    assertEquals("pcm_s32le", d.format().encoding());
  }

  @Test
  void plain24BitTagWith32BitSlotsIsReadByBlockAlign() throws Exception {
    float[][] signal = channels(2, 48000);
    byte[] wav = WavBuilder.of(Encoding.S32, 48000, signal).build();
    wav[34] = 24; // bits per sample says 24, block align (8) says 4-byte slots
    DecodedAudio d = WavFile.decode(wav);
    assertDecoded(signal, d, Encoding.S32);
    assertEquals(java.util.List.of("24-bit PCM in 32-bit containers: read as left-justified 32-bit"), d.warnings());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 12})
  void decodesAnyChannelCount(int n) throws Exception {
    float[][] signal = channels(n, 16000);
    assertDecoded(signal, WavFile.decode(WavBuilder.of(Encoding.S16, 16000, signal).build()), Encoding.S16);
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 176400, 192000})
  void decodesAnyRate(int rate) throws Exception {
    DecodedAudio d = WavFile.decode(WavBuilder.of(Encoding.S24, rate, channels(1, rate)).build());
    assertEquals(rate, d.sampleRate());
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 18, 40})
  void acceptsFmtChunkSizes(int size) throws Exception {
    WavBuilder b = WavBuilder.of(Encoding.S16, 16000, channels(1, 16000));
    b = size == 40 ? b.extensible(16) : b.fmtSize(size);
    assertDecoded(channels(1, 16000), WavFile.decode(b.build()), Encoding.S16);
  }

  @Test
  void skipsChunksInAnyOrderIncludingOddSizedOnes() throws Exception {
    byte[] info = "INFOISFT\u0005\u0000\u0000\u0000Lavf5".getBytes(StandardCharsets.ISO_8859_1);
    float[][] signal = channels(2, 22050);
    byte[] wav =
        WavBuilder.of(Encoding.S16, 22050, signal)
            .chunkBeforeFmt("JUNK", new byte[28])
            .chunkBeforeFmt("bext", new byte[603]) // odd: pad byte follows
            .chunkBeforeData("fact", new byte[] {(byte) 0xA0, 0x0F, 0, 0})
            .chunkBeforeData("LIST", info)
            .chunkBeforeData("cue ", new byte[25])
            .chunkAfterData("LIST", info)
            .chunkAfterData("id3 ", new byte[11])
            .build();
    DecodedAudio d = WavFile.decode(wav);
    assertDecoded(signal, d, Encoding.S16);
    assertTrue(d.warnings().isEmpty(), d.warnings().toString());
  }

  @Test
  void toleratesAMissingPadByteAfterAnOddChunk() throws Exception {
    float[][] signal = channels(1, 16000);
    byte[] wav = WavBuilder.of(Encoding.S16, 16000, signal).unpaddedChunkBeforeData("note", new byte[7]).build();
    assertDecoded(signal, WavFile.decode(wav), Encoding.S16);
  }

  @Test
  void findsFmtAfterData() throws Exception {
    float[][] signal = channels(1, 16000);
    assertDecoded(signal, WavFile.decode(WavBuilder.of(Encoding.S16, 16000, signal).dataBeforeFmt().build()), Encoding.S16);
  }

  @Test
  void dataSizeZeroMeansReadToEndOfFile() throws Exception {
    float[][] signal = channels(2, 16000);
    DecodedAudio d = WavFile.decode(WavBuilder.of(Encoding.S16, 16000, signal).dataSizeField(0).build());
    assertDecoded(signal, d, Encoding.S16);
    assertEquals(java.util.List.of("data chunk size is 0: read to end of file"), d.warnings());
  }

  @Test
  void dataSizeAllOnesMeansReadToEndOfFile() throws Exception {
    float[][] signal = channels(2, 16000);
    DecodedAudio d = WavFile.decode(WavBuilder.of(Encoding.S24, 16000, signal).dataSizeField(0xFFFFFFFFL).build());
    assertDecoded(signal, d, Encoding.S24);
    assertEquals(java.util.List.of("data chunk size is 0xFFFFFFFF (unknown): read to end of file"), d.warnings());
  }

  @ParameterizedTest
  @ValueSource(strings = {"RF64", "BW64"})
  void readsRf64AndBw64WithDs64(String container) throws Exception {
    float[][] signal = channels(2, 48000);
    byte[] wav = WavBuilder.of(Encoding.F32, 48000, signal).container(container).chunkAfterData("LIST", new byte[10]).build();
    DecodedAudio d = WavFile.decode(wav);
    assertDecoded(signal, d, Encoding.F32);
    assertEquals(container, d.format().container());
    assertTrue(d.warnings().isEmpty(), d.warnings().toString());
  }

  @Test
  void truncatedFileDecodesWhatIsThereWithAWarning() throws Exception {
    float[][] signal = {Signals.sine(440, 0.5, 16000, 240000, 0)};
    byte[] full = WavBuilder.of(Encoding.S16, 16000, signal).dataSizeField(960000).build();
    DecodedAudio d = WavFile.decode(full);
    assertEquals(240000, d.frames());
    assertEquals(
        java.util.List.of("header claims 960000 data bytes but file holds 480000: decoded what is there"),
        d.warnings());
  }

  @Test
  void hugeClaimedSizesDoNotAllocateOrCrash() throws Exception {
    float[][] signal = channels(1, 16000);
    DecodedAudio d = WavFile.decode(WavBuilder.of(Encoding.S16, 16000, signal).dataSizeField(0xFFFFFFF0L).build());
    assertEquals(4000, d.frames());
    assertTrue(d.warnings().get(0).startsWith("header claims 4294967280 data bytes"));
  }

  @Test
  void dropsAPartialLastFrame() throws Exception {
    float[][] signal = channels(2, 16000);
    byte[] wav = WavBuilder.of(Encoding.S24, 16000, signal).truncateBy(4).build();
    DecodedAudio d = WavFile.decode(wav);
    assertEquals(3999, d.frames());
    assertTrue(d.warnings().contains("dropped a partial last frame (2 bytes)"), d.warnings().toString());
    for (int i = 0; i < 3999; i++) {
      assertEquals(signal[1][i], d.channelsData()[1][i], 1e-6);
    }
  }

  @Test
  void g711DecodersMatchTheStandardTables() {
    assertEquals(-32124, SampleEncoding.mulawToLinear(0x00));
    assertEquals(32124, SampleEncoding.mulawToLinear(0x80));
    assertEquals(0, SampleEncoding.mulawToLinear(0xFF));
    assertEquals(-8, SampleEncoding.alawToLinear(0x55));
    assertEquals(8, SampleEncoding.alawToLinear(0xD5));
    assertEquals(32256, SampleEncoding.alawToLinear(0xAA));
    assertEquals(-32256, SampleEncoding.alawToLinear(0x2A));
    for (int code = 0; code < 256; code++) {
      if (code != 0x7F) { // µ-law has two zeros
        assertEquals(code, G711.linearToMulaw(SampleEncoding.mulawToLinear(code)), "mu-law " + code);
      }
      assertEquals(code, G711.linearToAlaw(SampleEncoding.alawToLinear(code)), "A-law " + code);
    }
  }

  @Test
  void writersProduceFortyFourByteHeaders() throws Exception {
    short[] s = {0, 1, -1, 32767, -32768};
    byte[] wav = WavFile.pcm16Mono(s, 16000);
    assertEquals(44 + 10, wav.length);
    assertEquals("RIFF", new String(wav, 0, 4, StandardCharsets.ISO_8859_1));
    assertEquals(46, (wav[4] & 0xFF) | (wav[5] & 0xFF) << 8);
    assertEquals(16, wav[16]);
    DecodedAudio d = WavFile.decode(wav);
    assertArrayEquals(new float[] {0, 1 / 32768f, -1 / 32768f, 32767 / 32768f, -1f}, d.channelsData()[0]);

    byte[] stereo = WavFile.pcm16(new byte[] {1, 0, 2, 0, 3, 0, 4, 0}, 24000, 2);
    DecodedAudio d2 = WavFile.decode(stereo);
    assertEquals(2, d2.channels());
    assertEquals(24000, d2.sampleRate());
    assertArrayEquals(new float[] {1 / 32768f, 3 / 32768f}, d2.channelsData()[0]);
  }
}
