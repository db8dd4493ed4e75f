package io.glmvoicebatch.audio;

/** ITU-T G.711 encoders (the reference algorithm), to write µ-law and A-law test files. */
final class G711 {
  private G711() {}

  static int linearToMulaw(int pcm) {
    int sign = pcm < 0 ? 0x80 : 0;
    int mag = Math.min(Math.abs(pcm), 32635) + 0x84;
    int exponent = Math.max(0, 31 - Integer.numberOfLeadingZeros(mag) - 7);
    int mantissa = (mag >> (exponent + 3)) & 0x0F;
    return ~(sign | (exponent << 4) | mantissa) & 0xFF;
  }

  static int linearToAlaw(int pcm) {
    int sign = pcm >= 0 ? 0x80 : 0;
    int mag = Math.min(pcm >= 0 ? pcm : -pcm - 1, 32767);
    int code;
    if (mag >= 256) {
      int exponent = 31 - Integer.numberOfLeadingZeros(mag) - 7;
      code = (exponent << 4) | ((mag >> (exponent + 3)) & 0x0F);
    } else {
      code = mag >> 4;
    }
    return (code | sign) ^ 0x55;
  }
}
