package io.glmvoicebatch.simulator;

/**
 * Estimates MP3 duration by walking MPEG audio frame headers (javax.sound has no MP3 reader).
 * Counts every frame, including a Xing/Info frame, so it may overstate by one frame (26 ms).
 */
final class Mp3Probe {
  private static final int[][] BITRATES_KBPS = {
    {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // MPEG1 L1
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384}, // MPEG1 L2
    {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}, // MPEG1 L3
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256}, // MPEG2/2.5 L1
    {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}, // MPEG2/2.5 L2, L3
  };
  private static final int[][] SAMPLE_RATES = {
    {11025, 12000, 8000}, // MPEG2.5
    null,
    {22050, 24000, 16000}, // MPEG2
    {44100, 48000, 32000}, // MPEG1
  };

  private Mp3Probe() {}

  static ClipDuration probe(byte[] mp3) throws IllegalArgumentException {
    int pos = skipId3v2(mp3);
    long samples = 0;
    int sampleRate = 0;
    int frames = 0;
    while (pos + 4 <= mp3.length) {
      int b1 = mp3[pos + 1] & 0xFF;
      int b2 = mp3[pos + 2] & 0xFF;
      if ((mp3[pos] & 0xFF) != 0xFF || (b1 & 0xE0) != 0xE0) {
        break; // trailing tag or garbage ends the stream
      }
      int version = (b1 >> 3) & 3;
      int layer = (b1 >> 1) & 3; // 3 = Layer I, 2 = II, 1 = III
      int bitrateIndex = b2 >> 4;
      int rateIndex = (b2 >> 2) & 3;
      if (version == 1 || layer == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
        break;
      }
      boolean mpeg1 = version == 3;
      int table = mpeg1 ? 3 - layer : (layer == 3 ? 3 : 4);
      int bitrate = BITRATES_KBPS[table][bitrateIndex] * 1000;
      int rate = SAMPLE_RATES[version][rateIndex];
      int padding = (b2 >> 1) & 1;
      int samplesPerFrame = layer == 3 ? 384 : (layer == 2 || mpeg1 ? 1152 : 576);
      int length =
          layer == 3
              ? (12 * bitrate / rate + padding) * 4
              : samplesPerFrame / 8 * bitrate / rate + padding;
      if (sampleRate != 0 && rate != sampleRate) {
        break;
      }
      sampleRate = rate;
      samples += samplesPerFrame;
      frames++;
      pos += length;
    }
    if (frames == 0) {
      throw new IllegalArgumentException("no MPEG audio frames found");
    }
    return new ClipDuration(samples, sampleRate);
  }

  private static int skipId3v2(byte[] b) {
    if (b.length >= 10 && b[0] == 'I' && b[1] == 'D' && b[2] == '3') {
      int size = ((b[6] & 0x7F) << 21) | ((b[7] & 0x7F) << 14) | ((b[8] & 0x7F) << 7) | (b[9] & 0x7F);
      boolean footer = (b[5] & 0x10) != 0;
      return 10 + size + (footer ? 10 : 0);
    }
    return 0;
  }
}
