package io.glmvoicebatch.cli;

import io.glmvoicebatch.api.ApiError;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.manifest.IdLines;
import io.glmvoicebatch.pipeline.BatchRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of a batch run: the summary folded from the ledger (printed and written to
 * {@code summary.json}), why it stopped early if it did, the dataset manifest and the report, and the exit
 * code. Made before the run, since the summary counts the ledger lines written after that moment.
 */
final class BatchConclusion {
  private final BatchSetup setup;
  private final PrintStream out;
  private final PrintStream err;
  private final int recordsBefore;

  private BatchConclusion(BatchSetup setup, PrintStream out, PrintStream err, int recordsBefore) {
    this.setup = setup;
    this.out = out;
    this.err = err;
    this.recordsBefore = recordsBefore;
  }

  /** Notes where the ledger stands before the run: this run's lines are the ones after it. */
  static BatchConclusion before(BatchSetup setup, PrintStream out, PrintStream err) throws UsageException {
    LedgerLocation ledger = setup.folder.ledgerLocation();
    try {
      return new BatchConclusion(setup, out, err,
          LedgerFold.records(ledger, bad -> err.println("warning: ledger " + ledger + " " + bad + " (ignored)")));
    } catch (IOException e) {
      throw new UsageException("--outputDir: cannot read " + ledger + ": " + e.getMessage());
    }
  }

  ExitCode conclude(BatchRuntime runtime, BatchRun.Result run) throws UsageException {
    OutputFolder folder = setup.folder;
    if (setup.dryRun) {
      return dryRunReport(folder.dryRunLedgerLocation(), itemIds(), runtime);
    }
    ApiError stop = runtime.stopReason();
    List<String> uncertain = new ArrayList<>();
    LedgerFold.Result fold = summary(uncertain);
    String stopReason = stopReason(stop, fold);
    BatchSummary summary = fold.summary()
        .wallTime(run.wall())
        .simulated(setup.simulated)
        .alreadyDone((int) run.tally().alreadyDone())
        .uncertainFromLastRun(uncertain)
        .stopReason(run.jobFailure() != null ? FatalExit.JOB_FAILED_STOP : stopReason);
    out.print(summary.render());
    if (fold.others().note(fold.manifestItems()) != null) {
      out.println(fold.others().note(fold.manifestItems()));
    }
    try {
      folder.writeText(OutputFolder.SUMMARY, summary.toJson());
    } catch (IOException | RuntimeException e) {
      err.println("warning: cannot write " + folder.locate(OutputFolder.SUMMARY) + ": " + e.getMessage());
    }
    if (run.jobFailure() != null) {
      return FatalExit.reportJobFailure(run.jobFailure(), setup.options.getRunner().getSimpleName(), err);
    }
    // One pass over the manifest for both: its ids as a compact set.
    IdLines runIds = setup.dataset != null || setup.options.getReport() ? itemIds() : null;
    if (setup.dataset != null) {
      writeDataset(runIds);
    }
    if (setup.options.getReport()) {
      writeReport(runIds);
    }
    return ExitCode.ofBatch(stopReason != null, stop == null && fold.diskFull() != null,
        summary.failed() > 0 || summary.uncertain() > 0);
  }

  /** Why sending stopped early (the service's answer, a full disk, the budget), or null. */
  private String stopReason(ApiError stop, LedgerFold.Result fold) {
    // The budget from the ledger, not this JVM's Budget: on a cluster the budget lives in the worker JVMs.
    boolean budgetReached = setup.maxCost != null && fold.budgetSkipped();
    return stop != null ? stop.message()
        : fold.diskFull() != null ? fold.diskFull()
        : budgetReached ? "budget --maxCostRmb=" + Cost.format(setup.maxCost) + " "
            + setup.options.getCurrency() + " reached; the remaining items were skipped with reason budget"
        : null;
  }

  private LedgerFold.Result summary(List<String> uncertain) throws UsageException {
    try {
      return LedgerFold.summary(setup.folder.ledgerLocation(), setup.manifest, recordsBefore, setup.cap, uncertain);
    } catch (IOException e) {
      throw new UsageException("cannot read the ledger or the manifest again for the summary: " + e.getMessage());
    }
  }

  /** The dataset export streams the ledger: a compact id table of the manifest's items, never their records. */
  private void writeDataset(IdLines runIds) {
    DatasetExport dataset = setup.dataset;
    OutputFolder folder = setup.folder;
    try {
      DatasetExport.Result r = dataset.write(runIds, setup.manifest, folder.ledgerLocation(), folder);
      out.println("dataset manifest (" + dataset.format.optionValue() + "): " + r.file() + " (" + r.rows() + " pairs)");
      if (r.leftOut() > 0) {
        err.println("warning: " + r.leftOut() + " ok pair(s) left out of the dataset manifest, their files are "
            + "not in the output folder (done by a run that kept no normalized/ audio? re-send them into a fresh "
            + "folder): " + r.leftOutExamples() + (r.leftOut() > r.leftOutExamples().size() ? "..." : ""));
      }
      String warning = dataset.warning(folder);
      if (warning != null) {
        err.println("warning: " + warning);
      }
    } catch (IOException | RuntimeException e) {
      err.println("warning: cannot write the dataset manifest " + dataset.target + ": " + e.getMessage());
    }
  }

  private void writeReport(IdLines runItemIds) {
    try {
      String report = io.glmvoicebatch.report.BatchReport.write(setup.folder, runItemIds);
      out.println("report: " + report);
    } catch (IOException | RuntimeException e) {
      err.println("warning: cannot write the report: " + e.getMessage());
    }
  }

  private ExitCode dryRunReport(LedgerLocation estimates, IdLines ids, BatchRuntime runtime) throws UsageException {
    try {
      return DryRunReport.print(estimates, ids, runtime.tally(), out,
          bad -> err.println("warning: ledger " + estimates + " " + bad + " (ignored)"));
    } catch (IOException e) {
      throw new UsageException("--outputDir: cannot read " + estimates + ": " + e.getMessage());
    }
  }

  private IdLines itemIds() throws UsageException {
    try {
      return LedgerFold.ids(setup.manifest);
    } catch (IOException e) {
      throw new UsageException("cannot read the manifest again for the report: " + e.getMessage());
    }
  }
}
