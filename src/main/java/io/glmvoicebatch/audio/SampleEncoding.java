package io.glmvoicebatch.audio;

/**
 * How one sample is stored in the data chunk, and how to turn stored samples into floats in -1..1.
 * Each constant has its own tight loop so that the per-sample work has no branching on format.
 */
enum SampleEncoding {
  PCM_U8("pcm_u8", 1) {
    @Override
    void decode(byte[] src, int off, int count, float[] dst) {
      for (int i = 0; i < count; i++) {
        dst[i] = ((src[off + i] & 0xFF) - 128) * (1f / 128f);
      }
    }
  },
  PCM_S16LE("pcm_s16le", 2) {
    @Override
    void decode(byte[] src, int off, int count, float[] dst) {
      for (int i = 0, p = off; i < count; i++, p += 2) {
        dst[i] = (short) ((src[p] & 0xFF) | (src[p + 1] << 8)) * (1f / 32768f);
      }
    }
  },
  PCM_S24LE("pcm_s24le", 3) {
    @Override
    void decode(byte[] src, int off, int count, float[] dst) {
      for (int i = 0, p = off; i < count; i++, p += 3) {
        int v = (src[p] & 0xFF) | ((src[p + 1] & 0xFF) << 8) | (src[p + 2] << 16);
        dst[i] = v * (1f / 8388608f);
      }
    }
  },
  PCM_S32LE("pcm_s32le", 4) {
    @Override
    void decode(byte[] src, int off, int count, float[] dst) {
      for (int i = 0, p = off; i < count; i++, p += 4) {
        dst[i] = readInt(src, p) * (1f / 2147483648f);
      }
    }
  },
  PCM_F32LE("pcm_f32le", 4) {
    @Override
    void decode(byte[] src, int off, int count, float[] dst) {
      for (int i = 0, p = off; i < count; i++, p += 4) {
        dst[i] = finite(Float.intBitsToFloat(readInt(src, p)));
      }
    }
  },
  PCM_F64LE("pcm_f64le", 8) {
    @Override
    void decode(byte[] src, int off, int count, float[] dst) {
      for (int i = 0, p = off; i < count; i++, p += 8) {
        long bits = (readInt(src, p) & 0xFFFFFFFFL) | ((long) readInt(src, p + 4) << 32);
        dst[i] = finite((float) Double.longBitsToDouble(bits));
      }
    }
  },
  MULAW("mulaw", 1) {
    @Override
    void decode(byte[] src, int off, int count, float[] dst) {
      for (int i = 0; i < count; i++) {
        dst[i] = MULAW_TABLE[src[off + i] & 0xFF];
      }
    }
  },
  ALAW("alaw", 1) {
    @Override
    void decode(byte[] src, int off, int count, float[] dst) {
      for (int i = 0; i < count; i++) {
        dst[i] = ALAW_TABLE[src[off + i] & 0xFF];
      }
    }
  };

  private static final float[] MULAW_TABLE = new float[256];
  private static final float[] ALAW_TABLE = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      MULAW_TABLE[i] = mulawToLinear(i) / 32768f;
      ALAW_TABLE[i] = alawToLinear(i) / 32768f;
    }
  }

  private final String label;
  private final int bytesPerSample;

  SampleEncoding(String label, int bytesPerSample) {
    this.label = label;
    this.bytesPerSample = bytesPerSample;
  }

  /** The ffmpeg-style name reported in {@link InputFormat#encoding()}. */
  String label() {
    return label;
  }

  int bytesPerSample() {
    return bytesPerSample;
  }

  /** Decodes {@code count} consecutive samples starting at byte {@code off} into dst[0..count). */
  abstract void decode(byte[] src, int off, int count, float[] dst);

  private static int readInt(byte[] b, int p) {
    return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16) | (b[p + 3] << 24);
  }

  /** Stands for a NaN sample: silence to every filter, and counted by {@link NonFiniteSamples}. */
  static final float NAN_MARK = -Float.MIN_VALUE;
  /** Stands for an infinite sample, likewise. */
  static final float INFINITY_MARK = Float.MIN_VALUE;

  /**
   * NaN and infinities in float files would poison every filter downstream and the gain: they become the
   * smallest denormals (inaudible, no weight in peak or loudness), which {@link NonFiniteSamples} counts.
   */
  private static float finite(float v) {
    if (v != v) {
      return NAN_MARK;
    }
    if (Float.isInfinite(v)) {
      return INFINITY_MARK;
    }
    return Math.max(-1e6f, Math.min(1e6f, v));
  }

  /** ITU-T G.711 µ-law expansion to 16-bit linear. */
  static int mulawToLinear(int code) {
    int u = ~code & 0xFF;
    int exponent = (u >> 4) & 0x07;
    int mantissa = u & 0x0F;
    int magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    return (u & 0x80) != 0 ? -magnitude : magnitude;
  }

  /** ITU-T G.711 A-law expansion to 16-bit linear. */
  static int alawToLinear(int code) {
    int a = (code ^ 0x55) & 0xFF;
    int exponent = (a >> 4) & 0x07;
    int mantissa = a & 0x0F;
    int magnitude =
        exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
    return (a & 0x80) != 0 ? magnitude : -magnitude;
  }
}
