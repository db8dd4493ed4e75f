package io.glmvoicebatch.audio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Integrated loudness as measured by {@code ffmpeg -af ebur128}, the reference we compare with. */
final class FfmpegLoudness {
  static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
  private static final Pattern SUMMARY =
      Pattern.compile("Integrated loudness:\\s*I:\\s*(-?[0-9.]+|-inf) LUFS");

  private FfmpegLoudness() {}

  static double integratedLufs(Path file) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                FFMPEG.toString(), "-nostdin", "-hide_banner", "-nostats", "-i", file.toString(),
                "-af", "ebur128", "-f", "null", "-")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("ffmpeg failed:\n" + out);
    }
    // The summary at the end: "Integrated loudness:\n    I:         -23.0 LUFS"
    Matcher m = SUMMARY.matcher(out);
    if (!m.find()) {
      throw new IOException("no integrated loudness in ffmpeg output:\n" + out);
    }
    return m.group(1).equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(m.group(1));
  }
}
