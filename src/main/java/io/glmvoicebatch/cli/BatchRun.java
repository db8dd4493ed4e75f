package io.glmvoicebatch.cli;

import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.RunTally;
import io.glmvoicebatch.pipeline.BatchPlan;
import io.glmvoicebatch.pipeline.BatchRuntime;
import io.glmvoicebatch.pipeline.ClusterSlots;
import io.glmvoicebatch.pipeline.SendClaims;
import io.glmvoicebatch.pipeline.VoiceBatchPipeline;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/**
 * The second step of a batch run: the pipeline runs to its end with the progress shown, then the run's
 * traces are tidied (ledger parts folded, send claims and slot leases removed).
 */
final class BatchRun {
  /**
   * What the run left for the conclusion.
   *
   * @param tally this run's live counts (this JVM's, or read back from the ledger when the workers are elsewhere)
   * @param jobFailure why the job failed on a cluster, or null
   */
  record Result(Duration wall, RunTally tally, RuntimeException jobFailure) {}

  private BatchRun() {}

  static Result run(BatchSetup setup, BatchPlan plan, BatchRuntime runtime, PrintStream err) throws UsageException {
    Instant start = Instant.now();
    LedgerLocation ledger = runtime.ledger();
    // Workers in other JVMs append to the ledger there: this JVM counts what it reads back from the file.
    boolean remote = LedgerFollower.workersElsewhere(setup.args, setup.options.getClusterWorkers());
    boolean follow = remote && ledger.isLocal() && !setup.dryRun;
    RunTally tally = follow ? new RunTally() : runtime.tally();
    RuntimeException jobFailure;
    boolean onTerminal = Terminal.stderrIsTerminal(err); // before the live line takes System.err over
    // The follower gives the whole total at once; in this JVM the launcher counts it beside the pipeline.
    ManifestCount count = follow ? null : ManifestCount.start(setup.manifest);
    try (ProgressReporter progress = new ProgressReporter(tally,
        follow ? () -> tally.inFlightKeys().size() : runtime::inFlight,
        follow ? tally::manifestLines : () -> count.total(tally.manifestLines()),
        follow ? () -> tally.manifestLines() > 0 : count::complete,
        setup.options.getCurrency(), onTerminal ? err : null, Duration.ofSeconds(
            OptionsParser.positive(setup.options.getProgressIntervalSeconds(), "progressIntervalSeconds")))) {
      Pipeline pipeline = Pipeline.create(setup.options);
      VoiceBatchPipeline.build(pipeline, plan);
      InterruptNotice.running(tally, setup.folder.location(), err, onTerminal);
      jobFailure = runToEnd(pipeline, remote, follow ? () -> LedgerFollower.start(ledger.file(), tally,
          () -> LedgerFold.start(setup.folder.ledgerLocation(), setup.manifest)) : () -> null);
    }
    tidy(ledger, err);
    return new Result(Duration.between(start, Instant.now()), tally, jobFailure);
  }

  /** Starts the ledger follower, or gives null when this JVM's own appends are counted. */
  private interface Follower {
    LedgerFollower start() throws IOException;
  }

  /**
   * Runs the pipeline to its end; returns why a job on a cluster failed (null when it did not). A failure
   * in this JVM (the local runners) is thrown.
   */
  private static RuntimeException runToEnd(Pipeline pipeline, boolean remote, Follower follower) {
    try (LedgerFollower following = follower.start()) {
      PipelineResult.State state = pipeline.run().waitUntilFinish();
      if (state == PipelineResult.State.FAILED || state == PipelineResult.State.CANCELLED) {
        // The Direct runner reports a stage's Error (OutOfMemoryError...) as a FAILED state, not a throw.
        throw remote ? new IllegalStateException("the job ended " + state)
            : FatalExit.pipelineEnded(String.valueOf(state));
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      if (!remote) {
        throw e;
      }
      // A job that failed on the cluster (a worker lost, no restarts left): this JVM is sound, so the
      // summary of what the ledger holds is printed before the one error line (exit 4).
      return e;
    }
  }

  /** Folds an object store's ledger parts into the ledger object; removes this run's claims and leases. */
  private static void tidy(LedgerLocation ledger, PrintStream err) {
    try {
      ledger.compact();
    } catch (IOException | RuntimeException e) {
      // Not lost: readers (resume, report) see the parts as they are.
      err.println("warning: cannot fold the ledger parts into " + ledger + " (they stay readable as they are): "
          + e.getMessage());
    }
    SendClaims.clear(ledger);
    ClusterSlots.clear(ledger);
  }
}
