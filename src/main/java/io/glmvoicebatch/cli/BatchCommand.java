package io.glmvoicebatch.cli;

import io.glmvoicebatch.pipeline.BatchPlan;
import io.glmvoicebatch.pipeline.BatchRuntime;
import java.io.PrintStream;
import java.util.Map;

/**
 * One batch run in three steps: {@link BatchSetup} (options, folder, key, plan), {@link BatchRun} (the
 * pipeline with progress), {@link BatchConclusion} (summary, dataset, report, exit code).
 */
final class BatchCommand {
  private final String[] args;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private boolean checkOnly;

  BatchCommand(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    this.args = args;
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** Only validate the options, manifest, output folder and key (exit 0 or 2); send nothing. */
  BatchCommand checkOnly(boolean only) {
    this.checkOnly = only;
    return this;
  }

  ExitCode call() throws UsageException {
    BatchSetup setup = new BatchSetup(args, env, checkOnly ? null : err);
    if (checkOnly) {
      return ExitCode.ALL_DONE;
    }
    try (FolderClaim claim = setup.claimFolder(err)) {
      BatchConclusion conclusion = BatchConclusion.before(setup, out, err);
      try (EmbeddedSimulator simulator = setup.startSimulator(err)) {
        BatchPlan plan = setup.plan(simulator);
        // Held until the summary is written: on the local runners the stages share this runtime, whose
        // client holds the batch's stop reason (BatchRuntime: one hold each, the last closes it).
        try (BatchRuntime runtime = BatchRuntime.acquire(plan.runtime())) {
          return conclusion.conclude(runtime, BatchRun.run(setup, plan, runtime, err));
        }
      }
    }
  }
}
