package io.glmvoicebatch.cli;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Whether this JVM reads its arguments and file names as UTF-8. Java takes that charset from the locale
 * (LANG/LC_ALL) at start and nothing can change it later (JDK 17 ignores {@code -Dsun.jnu.encoding}); under
 * cron or {@code env -i} there is no locale, so a Chinese prompt arrives as U+FFFD characters and a
 * Chinese file name cannot even be opened. The batch refuses to start then, naming the fix.
 */
final class Utf8Environment {
  /** The replacement character a decoder puts where bytes could not be decoded. */
  static final char REPLACEMENT = '\uFFFD';

  private Utf8Environment() {}

  /** Null when arguments and file names are UTF-8, else the one-line error with the fix. */
  static String problem(String fileNameCharset) {
    if (isUtf8(fileNameCharset)) {
      return null;
    }
    return "the environment sets no UTF-8 locale (Java reads arguments and file names as " + fileNameCharset
        + ", as under cron or env -i), so Chinese file names and prompts would be garbled. Fix: start Java "
        + "with LC_ALL=C.UTF-8 in its environment (LC_ALL=C.UTF-8 java -jar ..., or Environment=LC_ALL=C.UTF-8 "
        + "in a systemd unit); pipelines/run sets it itself";
  }

  static String problem() {
    return problem(System.getProperty("sun.jnu.encoding", "unknown"));
  }

  private static boolean isUtf8(String charset) {
    try {
      return Charset.forName(charset).equals(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Null, or a usage error naming the first argument that holds U+FFFD (text garbled before it got here). */
  static String garbledArgument(String[] args) {
    for (String arg : args) {
      if (arg.indexOf(REPLACEMENT) >= 0) {
        String name = arg.startsWith("--") && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        return name + " contains U+FFFD (\uFFFD), the mark of text garbled by a wrong character set before it "
            + "reached the program (a shell or cron without a UTF-8 locale, or a file read in the wrong encoding); "
            + "it would be sent, and billed, as garbage. Give the text again in UTF-8 (LC_ALL=C.UTF-8)";
      }
    }
    return null;
  }
}
