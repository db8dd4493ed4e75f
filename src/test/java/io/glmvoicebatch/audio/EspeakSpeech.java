package io.glmvoicebatch.audio;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Real synthesized speech from espeak-ng (Debian package {@code espeak-ng}, installed by {@code .ci/run}):
 * words, pauses between them and real spectra, rather than tones standing in for a voice.
 */
public final class EspeakSpeech {
  /** espeak-ng writes 22,050 Hz mono 16-bit WAVs. */
  public static final int RATE = 22050;

  private EspeakSpeech() {}

  /** Skips the calling test without espeak-ng; under {@code CI=true} its absence fails the test instead. */
  public static void assumeInstalled() {
    if (executable() == null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("espeak-ng is required in CI for the real-speech tests (apt-get install espeak-ng)");
      }
      assumeTrue(false, "espeak-ng not installed");
    }
  }

  /** {@code text} spoken by {@code voice} (e.g. "en", "cmn") as mono samples at {@link #RATE}, peak as espeak made it. */
  public static float[] say(String voice, String text) throws IOException, InterruptedException {
    return WavFile.decode(wav(voice, text)).channelsData()[0];
  }

  /** {@code text} spoken by {@code voice}: the WAV file espeak-ng wrote. */
  public static byte[] wav(String voice, String text) throws IOException, InterruptedException {
    assumeInstalled();
    Path out = Files.createTempFile("espeak", ".wav");
    try {
      Process p = new ProcessBuilder(executable().toString(), "-v", voice, "-w", out.toString(), text)
          .redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || Files.size(out) <= 44) {
        p.destroyForcibly();
        throw new IOException("espeak-ng failed for voice " + voice + ": " + log);
      }
      return Files.readAllBytes(out);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static Path executable() {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin:/bin" : path + ":/usr/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "espeak-ng");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
