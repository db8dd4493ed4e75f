package io.glmvoicebatch.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A slice's base64, cut from the bank's pre-encoded text, is exactly the base64 of its bytes. */
class SpeechSliceTest {
  private static final long SEED = 11;

  @Test
  void slicedBase64MatchesEncodingTheBytes() {
    for (int rate : new int[] {8_000, 44_100}) {
      double seconds = 0.2;
      SpeechBank bank = new SpeechBank(rate, seconds, SEED);
      // The bank's samples, rendered independently of the bank.
      short[] all = SyntheticSpeech.render(Math.round(seconds * rate), rate, new SplittableRandom(SEED));
      TreeSet<Integer> offsets = new TreeSet<>();
      SplittableRandom r = new SplittableRandom(3);
      for (int i = 0; i < 12; i++) {
        offsets.add(i); // every residue mod 3, aligned or not
        offsets.add(r.nextInt(all.length));
        offsets.add(all.length - i);
      }
      int cases = 0;
      for (int offset : offsets) {
        // 2*frames % 3 == 0, 2, 1 in turn, very short ones and one ending at the bank's end.
        int[] lengths = {0, 1, 2, 3, 4, 5, 6, 7, 299, 300, 301, 3001, all.length - offset};
        for (int frames : lengths) {
          if (offset + frames > all.length) {
            continue;
          }
          short[] expected = Arrays.copyOfRange(all, offset, offset + frames);
          SpeechSlice slice = bank.slice(offset, frames);
          assertArrayEquals(expected, slice.samples());
          assertBase64(SyntheticSpeech.wav(expected, rate), slice, ReplyAudioForm.WAV, offset + "+" + frames);
          assertBase64(SyntheticSpeech.rawPcm(expected), slice, ReplyAudioForm.RAW_PCM_44K, offset + "+" + frames);
          cases++;
        }
      }
      assertTrue(cases > 300, "cases " + cases);
    }
  }

  @Test
  void streamPiecesMatchTheirBytes() {
    int rate = 16_000; // a step of 16000 samples leaves pieces unaligned with the bank's phases
    SpeechBank bank = new SpeechBank(rate, 3, SEED);
    SpeechSlice reply = bank.slice(2 * rate + 5, new SplittableRandom(9));
    short[] samples = reply.samples();
    for (int from = 0; from < reply.frames(); from += rate) {
      int to = Math.min(reply.frames(), from + rate);
      SpeechSlice piece = reply.piece(from, to);
      short[] expected = Arrays.copyOfRange(samples, from, to);
      assertArrayEquals(expected, piece.samples());
      assertBase64(SyntheticSpeech.wav(expected, rate), piece, ReplyAudioForm.WAV, "piece " + from);
      assertBase64(SyntheticSpeech.rawPcm(expected), piece, ReplyAudioForm.RAW_PCM_44K, "piece " + from);
    }
  }

  @Test
  void sliceLongerThanTheBankIsRenderedAndEncodedAfresh() {
    int rate = 8_000;
    SpeechBank bank = new SpeechBank(rate, 0.5, SEED);
    SpeechSlice slice = bank.slice(rate + 7, new SplittableRandom(5));
    short[] samples = slice.samples();
    assertEquals(rate + 7, samples.length);
    assertBase64(SyntheticSpeech.wav(samples, rate), slice, ReplyAudioForm.WAV, "long");
    assertBase64(SyntheticSpeech.rawPcm(samples), slice, ReplyAudioForm.RAW_PCM_44K, "long");
  }

  @Test
  void randomSlicesAreSeeded() {
    SpeechBank bank = new SpeechBank(8_000, 1, SEED);
    short[] a = bank.slice(1000, new SplittableRandom(21)).samples();
    assertArrayEquals(a, bank.slice(1000, new SplittableRandom(21)).samples());
    assertNotEquals(Arrays.toString(a), Arrays.toString(bank.slice(1000, new SplittableRandom(22)).samples()));
  }

  private static void assertBase64(byte[] bytes, SpeechSlice slice, ReplyAudioForm form, String what) {
    String expected = '"' + Base64.getEncoder().encodeToString(bytes) + '"';
    String actual = new String(slice.quotedBase64(form).asUnquotedUTF8(), StandardCharsets.US_ASCII);
    assertEquals(expected, actual, form + " " + what);
    assertArrayEquals(bytes, slice.bytes(form), form + " " + what);
  }
}
