package io.glmvoicebatch.audio;

import io.glmvoicebatch.testing.SpeechLikeGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark for benchmarks/audio/bench.sh. A program, not a test: {@code mvn verify} does not run it (no
 * {@code @Test}, and surefire runs only {@code *Test} classes); its figures go in BENCHMARKS.md. Alone:
 * {@code mvn -q -B exec:java -Dexec.classpathScope=test -Dmain.class=io.glmvoicebatch.audio.AudioBenchmark -Dexec.args="quality"}.
 *
 * <pre>
 *   speed DIR [SECONDS [RATE]]  generate a 24-bit stereo file (default 600 s, 48 kHz), time
 *                         AudioPreparer and sox rate -v on it, best of 3 each
 *   heap DIR [MINUTES]    generate DIR/long-48k24-stereo.wav (default 60 min), prepare it
 *                         once, report the JVM's peak heap (run with a small -Xmx)
 *   quality               resampler alias rejection / pass band, loudness vs ffmpeg
 * </pre>
 */
public final class AudioBenchmark {
  private static final int RATE = 48000;

  private AudioBenchmark() {}

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: speed DIR [SECONDS] | heap DIR [MINUTES] | quality");
    }
    switch (args[0]) {
      case "speed":
        speed(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 600,
            args.length > 3 ? Integer.parseInt(args[3]) : RATE);
        break;
      case "heap":
        heap(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 60);
        break;
      case "quality":
        quality();
        break;
      default:
        throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  /**
   * Alternates our runs with sox runs (the machine may be shared: alternating spreads any load
   * evenly) and reports best wall time and best CPU time of each.
   */
  private static void speed(Path dir, int seconds, int rate) throws Exception {
    Path in = dir.resolve("speech-" + rate + "-24bit-stereo-" + seconds + "s.wav");
    generate(in, seconds, rate);
    AudioPreparer preparer = new AudioPreparer(NormalizerSettings.defaults());
    preparer.prepare(in); // JIT warm-up
    Path out = dir.resolve("sox-out.wav");
    List<String> sox = List.of("sox", in.toString(), "-r", "16000", "-c", "1", "-b", "16", out.toString(), "rate", "-v");
    List<String> timedSox = new java.util.ArrayList<>(List.of("/usr/bin/time", "-f", "CPU %U %S"));
    timedSox.addAll(sox);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double best = Double.MAX_VALUE;
    double bestCpu = Double.MAX_VALUE;
    double bestSox = Double.MAX_VALUE;
    double bestSoxCpu = Double.MAX_VALUE;
    PreparedAudio last = null;
    for (int i = 0; i < 3; i++) {
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      last = preparer.prepare(in);
      double s = (System.nanoTime() - t0) / 1e9;
      double cpu = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
      System.out.printf("ours run %d: wall %.3f s (%.0fx realtime), cpu %.3f s (%.0fx)%n", i + 1, s, seconds / s, cpu, seconds / cpu);
      best = Math.min(best, s);
      bestCpu = Math.min(bestCpu, cpu);

      t0 = System.nanoTime();
      Process p = new ProcessBuilder(timedSox).redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("sox failed: " + log);
      }
      double soxWall = (System.nanoTime() - t0) / 1e9;
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("CPU ([0-9.]+) ([0-9.]+)").matcher(log);
      double soxCpu = m.find() ? Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2)) : Double.NaN;
      System.out.printf("sox  run %d: wall %.3f s (%.0fx realtime), cpu %.3f s (%.0fx)%n", i + 1, soxWall, seconds / soxWall, soxCpu, seconds / soxCpu);
      bestSox = Math.min(bestSox, soxWall);
      bestSoxCpu = Math.min(bestSoxCpu, soxCpu);
    }
    System.out.println("ours result: " + last);
    System.out.printf(
        "RESULT %d s of %d Hz 24-bit stereo, best of 3: ours (read+decode+downmix+resample+DC+trim+loudness+s16 WAV) wall %.3f s = %.0fx realtime, cpu %.3f s = %.0fx; "
            + "sox (%s) wall %.3f s = %.0fx realtime, cpu %.3f s = %.0fx%n",
        seconds, rate, best, seconds / best, bestCpu, seconds / bestCpu,
        String.join(" ", sox).replace(in.toString(), "in.wav").replace(out.toString(), "out.wav"),
        bestSox, seconds / bestSox, bestSoxCpu, seconds / bestSoxCpu);
    Files.deleteIfExists(out);
  }

  private static void heap(Path dir, int minutes) throws Exception {
    Path in = dir.resolve("long-48k24-stereo-" + minutes + "min.wav");
    generate(in, minutes * 60, RATE);
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long t0 = System.nanoTime();
    PreparedAudio p = new AudioPreparer(NormalizerSettings.defaults()).prepare(in);
    double s = (System.nanoTime() - t0) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    long max = Runtime.getRuntime().maxMemory();
    System.out.printf(
        "RESULT %d min 48 kHz 24-bit stereo (%d MB file) -> %d MB WAV in %.1f s; peak heap used %d MB (sum of heap pool peaks) with -Xmx %d MB%n",
        minutes, Files.size(in) >> 20, p.wavBytes().length >> 20, s, peak >> 20, max >> 20);
  }

  private static void quality() throws Exception {
    for (int rate : new int[] {48000, 44100, 96000, 22050}) {
      Resampler production = Resampler.create(rate, 16000);
      float[] p = Resampler.resampleWhole(production, Signals.sine(7000, 0.5, rate, 1.0));
      double a = Signals.amplitudeAt(p, 2000, p.length - 2000, 7000, 16000);
      StringBuilder line = new StringBuilder(String.format(
          "RESULT %d Hz -> 16 kHz (%s): 7 kHz pass-band change %.4f dB", rate,
          production.getClass().getSimpleName(), 20 * Math.log10(a / 0.5)));
      for (double tone : new double[] {12000, 8100}) {
        if (tone >= rate / 2.0) {
          continue;
        }
        float[] y = Resampler.resampleWhole(Resampler.create(rate, 16000), Signals.sine(tone, 0.5, rate, 3.0));
        double[] mag = FftAnalyzer.amplitudes(y, (y.length - 16384) / 2, 16384);
        double worst = 0;
        for (int k = 1; k < mag.length - 1; k++) {
          worst = Math.max(worst, mag[k]);
        }
        line.append(String.format("; %.1f kHz tone: worst output line %.1f dB re input", tone / 1000, 20 * Math.log10(worst / 0.5)));
      }
      System.out.println(line);
    }
    for (int rate : new int[] {16000, 48000}) {
      float[] speech = Signals.speechLike(rate, 20.0, 42);
      Path f = Files.createTempFile("loud", ".wav");
      Files.write(f, WavBuilder.of(WavBuilder.Encoding.F32, rate, speech).build());
      double ours = LoudnessMeter.integratedLufs(speech, 0, speech.length, rate);
      double ff = FfmpegLoudness.integratedLufs(f);
      Files.delete(f);
      System.out.printf("RESULT loudness at %d Hz: ours %.2f LUFS, ffmpeg ebur128 %.1f LUFS%n", rate, ours, ff);
    }
  }

  /** Writes a 24-bit stereo speech-like WAV block by block (never whole in memory). */
  static void generate(Path file, int seconds, int rate) throws IOException {
    long frames = (long) seconds * rate;
    long dataBytes = frames * 6;
    if (Files.exists(file) && Files.size(file) == 44 + dataBytes) {
      return;
    }
    SpeechLikeGenerator left = new SpeechLikeGenerator(rate, 1);
    SpeechLikeGenerator right = new SpeechLikeGenerator(rate, 2);
    int block = 48000;
    float[] l = new float[block];
    float[] r = new float[block];
    byte[] bytes = new byte[block * 6];
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      byte[] header = WavFile.header(0, rate, 2);
      // Patch the 16-bit header into 24-bit: block align 6, 288000 bytes/s, data size.
      WavBuilder.put32(header, 4, 36 + dataBytes);
      WavBuilder.put32(header, 28, rate * 6L);
      header[32] = 6;
      header[34] = 24;
      WavBuilder.put32(header, 40, dataBytes);
      out.write(header);
      for (long done = 0; done < frames; done += block) {
        int n = (int) Math.min(block, frames - done);
        left.next(l, n);
        right.next(r, n);
        for (int i = 0, p = 0; i < n; i++) {
          p = put24(bytes, p, l[i]);
          p = put24(bytes, p, 0.7f * r[i]);
        }
        out.write(bytes, 0, n * 6);
      }
    }
  }

  private static int put24(byte[] b, int p, float v) {
    int s = (int) Math.max(-8388608, Math.min(8388607, Math.round(v * 8388608.0)));
    b[p] = (byte) s;
    b[p + 1] = (byte) (s >> 8);
    b[p + 2] = (byte) (s >> 16);
    return p + 3;
  }
}
