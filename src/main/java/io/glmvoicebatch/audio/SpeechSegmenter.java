package io.glmvoicebatch.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits prepared audio longer than one request may carry into segments that each fit, cutting in the
 * pauses: within the last 40% of each allowed span it looks for the longest run of quiet 20 ms frames and
 * cuts in its middle, so a word is only cut where a lesson has no pause at all (then at the quietest frame).
 */
public final class SpeechSegmenter {
  static final double FRAME_SECONDS = 0.02;
  /** A frame this far below the span's loudest frame counts as a pause. */
  static final double PAUSE_BELOW_PEAK_DB = 35.0;
  /** Where in the allowed span the search for a cut begins: never make a segment shorter than this share. */
  static final double SEARCH_FROM = 0.6;

  private SpeechSegmenter() {}

  /**
   * Splits {@code audio} (the normalized 16-bit mono WAV of {@link AudioPreparer}) so no segment is longer
   * than {@code maxSeconds}. Audio that already fits comes back as a single segment.
   */
  public static List<AudioSegment> split(PreparedAudio audio, double maxSeconds) throws AudioFormatException {
    if (!(maxSeconds > 1.0)) {
      throw new IllegalArgumentException("maxSeconds must be above 1 s, got " + maxSeconds);
    }
    int rate = audio.sampleRate();
    if (audio.frames() <= (long) Math.floor(maxSeconds * rate)) {
      return List.of(new AudioSegment(0, 1, 0.0, audio));
    }
    short[] samples = samplesOf(audio);
    int frameLength = (int) Math.round(FRAME_SECONDS * rate);
    double[] frameDb = frameLevels(samples, frameLength);
    int maxFrames = (int) Math.floor(maxSeconds / FRAME_SECONDS);

    List<int[]> spans = new ArrayList<>(); // [startFrame, endFrame)
    int pos = 0;
    while (frameDb.length - pos > maxFrames) {
      int cut = cutFrame(frameDb, pos + (int) (maxFrames * SEARCH_FROM), pos + maxFrames);
      spans.add(new int[] {pos, cut});
      pos = cut;
    }
    spans.add(new int[] {pos, frameDb.length});

    List<AudioSegment> segments = new ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      int from = spans.get(i)[0] * frameLength;
      int to = Math.min(samples.length, spans.get(i)[1] * frameLength);
      short[] piece = new short[to - from];
      System.arraycopy(samples, from, piece, 0, piece.length);
      List<String> warnings = new ArrayList<>(audio.warnings());
      PreparedAudio segment = new PreparedAudio(WavFile.pcm16Mono(piece, rate), piece.length, rate, false,
          audio.input(), audio.gainDb(), warnings);
      segments.add(new AudioSegment(i, spans.size(), (double) from / rate, segment));
    }
    return segments;
  }

  /** The frame to cut at within [from, to): the middle of the longest pause, else the quietest frame. */
  static int cutFrame(double[] frameDb, int from, int to) {
    double peak = Double.NEGATIVE_INFINITY;
    for (int f = from; f < to; f++) {
      peak = Math.max(peak, frameDb[f]);
    }
    double pause = peak - PAUSE_BELOW_PEAK_DB;
    int bestStart = -1;
    int bestLength = 0;
    int runStart = -1;
    for (int f = from; f <= to; f++) {
      boolean quiet = f < to && frameDb[f] <= pause;
      if (quiet && runStart < 0) {
        runStart = f;
      } else if (!quiet && runStart >= 0) {
        // Prefer the longer pause; among equals, the later one (longer segments, fewer requests).
        if (f - runStart >= bestLength) {
          bestLength = f - runStart;
          bestStart = runStart;
        }
        runStart = -1;
      }
    }
    if (bestStart >= 0) {
      return bestStart + bestLength / 2;
    }
    int quietest = to - 1;
    for (int f = from; f < to; f++) {
      if (frameDb[f] < frameDb[quietest]) {
        quietest = f;
      }
    }
    return Math.max(from + 1, quietest);
  }

  static double[] frameLevels(short[] samples, int frameLength) {
    int frames = (samples.length + frameLength - 1) / frameLength;
    double[] db = new double[frames];
    for (int f = 0; f < frames; f++) {
      int start = f * frameLength;
      int end = Math.min(samples.length, start + frameLength);
      double sum = 0;
      for (int i = start; i < end; i++) {
        double s = samples[i] / 32768.0;
        sum += s * s;
      }
      double rms = Math.sqrt(sum / Math.max(1, end - start));
      db[f] = 20 * Math.log10(rms + 1e-10);
    }
    return db;
  }

  private static short[] samplesOf(PreparedAudio audio) throws AudioFormatException {
    byte[] wav = audio.wavBytes();
    // AudioPreparer writes a canonical 44-byte header; anything else is decoded the long way.
    if (wav.length >= 44 && wav[0] == 'R' && wav[8] == 'W' && wav[36] == 'd' && wav[37] == 'a'
        && ((wav.length - 44) % 2 == 0) && wav[22] == 1 && wav[34] == 16) {
      ByteBuffer buf = ByteBuffer.wrap(wav, 44, wav.length - 44).order(ByteOrder.LITTLE_ENDIAN);
      short[] out = new short[(wav.length - 44) / 2];
      buf.asShortBuffer().get(out);
      return out;
    }
    DecodedAudio decoded = WavFile.decode(wav);
    if (decoded.channels() != 1) {
      throw new AudioFormatException("cannot split " + decoded.channels() + "-channel audio: normalize it first");
    }
    float[] mono = decoded.channelsData()[0];
    short[] out = new short[mono.length];
    for (int i = 0; i < mono.length; i++) {
      out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(mono[i] * 32768.0)));
    }
    return out;
  }
}
