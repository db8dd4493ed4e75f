package io.glmvoicebatch.cli;

import io.glmvoicebatch.simulator.SimulatorMain;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Command-line entry point. {@code glm-voice-batch --manifest=M --outputDir=D [options]} runs a batch;
 * {@code glm-voice-batch simulator [options]} runs the GLM-4-Voice simulator on its own.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("simulator")) {
      SimulatorMain.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    ExitCode code = run(args, System.getenv(), System.out, System.err);
    System.exit(code.code());
  }

  /** Runs one batch in this JVM and returns its exit code; never calls System.exit (tests call this). */
  public static ExitCode run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h") || a.startsWith("--help="))) {
      HelpText.print(out);
      return ExitCode.ALL_DONE;
    }
    try {
      return new BatchCommand(args, env, out, err).call();
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println("Run with --help to list every option.");
      return ExitCode.USAGE;
    }
  }
}
