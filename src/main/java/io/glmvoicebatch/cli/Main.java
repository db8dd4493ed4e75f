package io.glmvoicebatch.cli;

import io.glmvoicebatch.simulator.SimulatorMain;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Command-line entry point. {@code glm-voice-batch --manifest=M --outputDir=D [options]} runs a batch;
 * {@code glm-voice-batch check [options]} only validates them (exit 0 or 2; the launcher runs it in a small
 * JVM before one that pre-touches a large heap); {@code glm-voice-batch simulator [options]} runs the
 * GLM-4-Voice simulator on its own.
 */
public final class Main {
  static final String CHECK = "check";

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("simulator")) {
      SimulatorMain.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    FatalExit.install();
    String locale = Utf8Environment.problem();
    if (locale != null) {
      System.err.println("error: " + locale);
      System.exit(ExitCode.USAGE.code());
    }
    InterruptNotice.install();
    ExitCode code = run(args, System.getenv(), System.out, System.err);
    if (code == ExitCode.INTERNAL_ERROR) {
      FatalExit.halt(); // threads still waiting on a failed stage must not keep the process alive
    }
    System.exit(code.code());
  }

  /** Runs one batch in this JVM and returns its exit code; never calls System.exit (tests call this). */
  public static ExitCode run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    boolean checkOnly = args.length > 0 && args[0].equals(CHECK);
    String[] options = checkOnly ? Arrays.copyOfRange(args, 1, args.length) : args;
    if (Arrays.stream(options).anyMatch(a -> a.equals("--help") || a.equals("-h") || a.startsWith("--help="))) {
      if (!checkOnly) {
        HelpText.print(out);
      }
      return ExitCode.ALL_DONE;
    }
    try {
      String garbled = Utf8Environment.garbledArgument(options);
      if (garbled != null) {
        throw new UsageException(garbled);
      }
      return new BatchCommand(options, env, out, err).checkOnly(checkOnly).call();
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (RuntimeException | Error e) {
      return FatalExit.report(e, "the batch", err);
    } finally {
      InterruptNotice.finished();
    }
  }
}
