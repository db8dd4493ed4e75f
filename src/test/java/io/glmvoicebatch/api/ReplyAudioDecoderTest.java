package io.glmvoicebatch.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.audio.AudioFormatException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReplyAudioDecoderTest {
  private final ReplyAudioDecoder decoder = new ReplyAudioDecoder(RawPcmFormat.S16LE_MONO_44100);

  @Test
  void riffStereoIsKeptAsIs() throws Exception {
    byte[] wav = Fixtures.wav(24000, 2, 2400);
    ReplyAudio a = decoder.decode(wav);
    assertEquals("wav", a.wireForm());
    assertEquals(24000, a.sampleRate());
    assertEquals(2, a.channels());
    assertEquals(2400, a.frames());
    assertEquals(0.1, a.seconds(), 1e-9);
    assertArrayEquals(wav, a.wavBytes());
  }

  @Test
  void rawPcmDropsATrailingPartialFrame() throws Exception {
    byte[] pcm = Arrays.copyOf(Fixtures.rawPcm(441), 883);
    ReplyAudio a = decoder.decode(pcm);
    assertEquals("raw_pcm", a.wireForm());
    assertEquals(441, a.frames());
    assertEquals(44 + 882, a.wavBytes().length);
  }

  @Test
  void rawFormatIsConfigurable() throws Exception {
    ReplyAudio a = new ReplyAudioDecoder(RawPcmFormat.s16le(22050, 1)).decode(Fixtures.rawPcm(22050));
    assertEquals(22050, a.sampleRate());
    assertEquals(1.0, a.seconds(), 1e-9);
  }

  @Test
  void brokenInputsAreRefusedPrecisely() {
    assertThrows(AudioFormatException.class, () -> decoder.decode(new byte[0]));
    AudioFormatException one = assertThrows(AudioFormatException.class, () -> decoder.decode(new byte[1]));
    assertTrue(one.getMessage().contains("less than one frame"), one.getMessage());
    byte[] riffHeaderOnly = Arrays.copyOf(Fixtures.wav(22050, 1, 0), 12);
    assertThrows(AudioFormatException.class, () -> decoder.decode(riffHeaderOnly));
  }
}
