package io.glmvoicebatch.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Decodes a WAV file and normalizes it for the API in one pass: downmix to mono, resample to the
 * target rate, remove DC, trim leading/trailing silence, set loudness (BS.1770) under a peak
 * ceiling, and write 16-bit mono PCM.
 *
 * <p>Memory: the input is streamed block by block into the resampler, so only the mono output at
 * the target rate (4 bytes per sample, then 2 bytes in the WAV) is ever whole in memory — about
 * 350 MB for an hour at 16 kHz, whatever the input format. Thread-safe: no mutable state.
 */
public final class AudioPreparer {
  private static final int BLOCK_FRAMES = 8192;
  /** A loudness shortfall from the --maxGainDb cap this large is reported in the item's warnings. */
  static final double QUIET_WARNING_DB = 6.0;
  private static final int MAX_OUTPUT_SAMPLES = (Integer.MAX_VALUE - 64) / 2;

  private final NormalizerSettings settings;

  public AudioPreparer(NormalizerSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public NormalizerSettings settings() {
    return settings;
  }

  public PreparedAudio prepare(Path file) throws AudioFormatException {
    try (FileByteSource source = FileByteSource.open(file)) {
      return prepare(source);
    } catch (AudioFormatException e) {
      throw e;
    } catch (IOException e) {
      throw FileByteSource.readError(e);
    }
  }

  public PreparedAudio prepare(byte[] fileBytes) throws AudioFormatException {
    Objects.requireNonNull(fileBytes, "fileBytes");
    return prepare(new ArrayByteSource(fileBytes));
  }

  private PreparedAudio prepare(ByteSource source) throws AudioFormatException {
    WaveLayout layout = RiffReader.read(source);
    List<String> warnings = new ArrayList<>(layout.warnings());
    int rate = settings.targetRate();
    float[] mono = decodeToMono(source, layout, rate, warnings);
    int length = mono.length;
    DcBlocker.apply(mono, 0, length, rate);

    int[] speech =
        SilenceTrimmer.speechRange(
            mono, length, rate, settings.silenceThresholdDbfs(), settings.trimPaddingSeconds());
    boolean silent = speech == null;
    InputFormat input = layout.inputFormat();
    if (!settings.normalize()) {
      return new PreparedAudio(
          originalBytes(source), input.frames(), input.sampleRate(), silent, input, 0, warnings);
    }
    int from = 0;
    int to = length;
    if (!silent && settings.trimSilence()) {
      from = speech[0];
      to = speech[1];
    }
    double gainDb = silent ? 0 : gainDb(mono, from, to, rate, warnings);
    byte[] wav = WavFile.header(2L * (to - from), rate, 1);
    Pcm16Encoder.encode(mono, from, to, (float) Math.pow(10, gainDb / 20), wav, WavFile.HEADER_BYTES);
    return new PreparedAudio(wav, to - from, rate, silent, input, gainDb, warnings);
  }

  /** Loudness gain towards the target, limited by maxGainDb and by the peak ceiling. */
  private double gainDb(float[] x, int from, int to, int rate, List<String> warnings) {
    float peak = 0;
    for (int i = from; i < to; i++) {
      peak = Math.max(peak, Math.abs(x[i]));
    }
    if (peak == 0) {
      return 0;
    }
    double ceilingGain = settings.peakCeilingDbfs() - 20 * Math.log10(peak);
    if (!settings.loudness()) {
      // Only prevent clipping (float input can exceed full scale).
      return peak > 1 ? Math.min(0, ceilingGain) : 0;
    }
    // Gated as if the peak were at full scale: speech at -60 dBFS is measured, not taken for silence.
    double lufs = LoudnessMeter.integratedLufs(x, from, to, rate, Math.max(0, -20 * Math.log10(peak)));
    double gain = Double.isFinite(lufs) ? settings.targetLufs() - lufs : 0;
    double applied = Math.min(Math.min(gain, settings.maxGainDb()), ceilingGain);
    if (gain - applied >= QUIET_WARNING_DB && applied == settings.maxGainDb()) {
      // Sent all the same (quiet speech is still speech), but the user should know how to lift it.
      warnings.add(String.format(Locale.ROOT,
          "quiet speech: %.1f LUFS raised by at most %.0f dB (--maxGainDb), sent at %.1f LUFS; "
              + "--maxGainDb=%.0f would send it at %.1f LUFS (target %.0f)",
          lufs, applied, lufs + applied, Math.ceil(Math.min(gain, ceilingGain)),
          lufs + Math.min(gain, ceilingGain), settings.targetLufs()));
    }
    return applied;
  }

  /** Streams the data chunk through downmix and resampler into one mono array at the target rate. */
  private static float[] decodeToMono(
      ByteSource source, WaveLayout layout, int rate, List<String> warnings)
      throws AudioFormatException {
    int inRate = layout.fmt().sampleRate();
    int channels = layout.fmt().channels();
    Resampler resampler = inRate == rate ? null : Resampler.create(inRate, rate);
    long outLength = resampler == null ? layout.frames() : resampler.outputLength(layout.frames());
    if (outLength > MAX_OUTPUT_SAMPLES) {
      throw new AudioFormatException(
          String.format(
              "audio is too long: %.0f s (at most %d s)",
              layout.frames() / (double) inRate, MAX_OUTPUT_SAMPLES / rate));
    }
    // float working copy + 16-bit WAV: refuse one item rather than take the worker down.
    long needed = outLength * 6;
    Runtime runtime = Runtime.getRuntime();
    long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    if (needed > available) {
      throw new AudioFormatException(
          String.format(
              "audio is too long for the available memory: %.0f s needs %d MB, %d MB free",
              layout.frames() / (double) inRate, needed >> 20, available >> 20));
    }
    RateRatio ratio = RateRatio.of(inRate, rate);
    if (resampler != null && !ratio.exact()) {
      warnings.add(
          String.format(
              "resampled %d Hz with an approximate ratio %d/%d (duration off by %.1f ppm)",
              inRate, ratio.up(), ratio.down(), ratio.durationError(inRate, rate) * 1e6));
    }
    float[] out = new float[(int) outLength];
    int[] written = {0};
    FloatSink sink =
        (b, off, n) -> {
          int take = Math.min(n, out.length - written[0]);
          System.arraycopy(b, off, out, written[0], take);
          written[0] += take;
        };
    FrameReader reader = new FrameReader(source, layout, BLOCK_FRAMES);
    float[] interleaved = new float[BLOCK_FRAMES * channels];
    float[] mono = new float[BLOCK_FRAMES];
    int n;
    // Only float files can hold NaN/Inf; one would spread through the resampler and ruin the gain.
    NonFiniteSamples nonFinite = layout.fmt().encoding() == SampleEncoding.PCM_F32LE
        || layout.fmt().encoding() == SampleEncoding.PCM_F64LE ? new NonFiniteSamples() : null;
    while ((n = reader.read(interleaved)) > 0) {
      if (nonFinite != null) {
        nonFinite.repair(interleaved, n * channels);
      }
      Downmixer.mean(interleaved, n, channels, mono);
      if (resampler == null) {
        sink.write(mono, 0, n);
      } else {
        resampler.process(mono, 0, n, sink);
      }
    }
    if (resampler != null) {
      resampler.finish(sink);
    }
    if (nonFinite != null) {
      nonFinite.conclude(warnings);
    }
    return out;
  }

  private static byte[] originalBytes(ByteSource source) throws AudioFormatException {
    if (source instanceof ArrayByteSource) {
      return ((ArrayByteSource) source).bytes();
    }
    long size = source.size();
    if (size > Integer.MAX_VALUE - 8) {
      throw new AudioFormatException("file is too large to send unchanged: " + size + " bytes");
    }
    byte[] bytes = new byte[(int) size];
    if (source.read(0, bytes, 0, bytes.length) != bytes.length) {
      throw new AudioFormatException("file ended unexpectedly while reading");
    }
    return bytes;
  }
}
