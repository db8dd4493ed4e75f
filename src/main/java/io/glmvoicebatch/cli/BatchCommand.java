package io.glmvoicebatch.cli;

import io.glmvoicebatch.api.ApiCredentials;
import io.glmvoicebatch.api.ApiError;
import io.glmvoicebatch.api.AuthMode;
import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.api.RawPcmFormat;
import io.glmvoicebatch.api.RetryPolicy;
import io.glmvoicebatch.audio.InputFileCheck;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.RunTally;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.manifest.IdLines;
import io.glmvoicebatch.pipeline.BatchPlan;
import io.glmvoicebatch.pipeline.BatchRuntime;
import io.glmvoicebatch.pipeline.ClusterSlots;
import io.glmvoicebatch.pipeline.SendClaims;
import io.glmvoicebatch.pipeline.ManifestInput;
import io.glmvoicebatch.pipeline.RecordStamp;
import io.glmvoicebatch.pipeline.ResumePolicy;
import io.glmvoicebatch.pipeline.VoiceBatchOptions;
import io.glmvoicebatch.pipeline.VoiceBatchPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One batch run: options resolved, service chosen, pipeline run, summary printed. */
final class BatchCommand {
  private static final Logger LOG = LoggerFactory.getLogger(BatchCommand.class);
  static final String REAL_ENDPOINT = "https://open.bigmodel.cn/api/paas/v4";
  static final String SIMULATED_BANNER =
      "SIMULATED: outputs are synthetic. No API key was found (ZHIPUAI_API_KEY or --apiKeyFile), so this batch "
          + "runs against the embedded GLM-4-Voice simulator; nothing is billed.";

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

  /** This run's hold on its output folder, released when the run ends. */
  private FolderClaim claim;

  /** Only validate the options, manifest, output folder and key (exit 0 or 2); send nothing. */
  BatchCommand checkOnly(boolean only) {
    this.checkOnly = only;
    return this;
  }

  ExitCode call() throws UsageException {
    try {
      return run();
    } finally {
      if (claim != null) {
        claim.close();
      }
    }
  }

  private ExitCode run() throws UsageException {
    VoiceBatchOptions options = OptionsParser.parse(args);
    // Lets the manifest, its audio and the output folder live on any Beam filesystem on the classpath.
    org.apache.beam.sdk.io.FileSystems.setDefaultPipelineOptions(options);
    ManifestInput manifest = ManifestSource.load(options);
    OutputFolder folder = outputFolder(OptionsParser.required(options.getOutputDir(), "outputDir"));
    NormalizerSettings audio = OptionsParser.normalizerSettings(options);
    BigDecimal price = OptionsParser.price(options);
    BigDecimal maxCost = OptionsParser.maxCost(options);
    int cap = OptionsParser.maxInFlight(options);
    int perWorker = OptionsParser.perWorkerCap(options, cap);
    String clusterWarning = OptionsParser.clusterWarning(args, options, cap);
    if (clusterWarning != null && !checkOnly) {
      err.println(clusterWarning);
    }
    DatasetExport dataset = DatasetExport.of(options, folder);
    AuthMode authMode = OptionsParser.authMode(options);
    boolean dryRun = options.getDryRun();
    ClusterSlots slots = dryRun ? null : OptionsParser.clusterSlots(options, folder.ledgerLocation(), cap);
    if (slots != null) {
      perWorker = cap; // the leases keep the workers together within the cap
    } else if (perWorker < cap && !dryRun && !checkOnly) {
      err.println("warning: --outputDir=" + folder.location() + " has no exclusive create for the workers' shared slot "
          + "leases (an object store): each of the " + options.getClusterWorkers() + " worker JVMs holds " + perWorker
          + " of the " + cap + " requests in flight instead");
    }

    ApiCredentials credentials = credentials(options, authMode);
    boolean simulated = credentials == null && options.getGlmEndpoint() == null;
    if (credentials == null && options.getGlmEndpoint() != null && !dryRun) {
      throw new UsageException("--endpoint=" + options.getGlmEndpoint() + " needs an API key: set ZHIPUAI_API_KEY "
          + "or --apiKeyFile (any non-empty key for a standalone simulator)");
    }

    if (checkOnly) {
      return ExitCode.ALL_DONE;
    }
    InputFileCheck inputs = OptionsParser.inputFileCheck(options);
    claim = FolderClaim.claim(folder, dryRun, options.getRebuildLedger(), options.getForce(), new RebuiltLedger(folder,
        manifest, audio, OptionsParser.segmentPolicy(options), options.getModel(), inputs)::write, err);
    int recordsBefore = countRecords(folder.ledgerLocation());

    try (EmbeddedSimulator simulator = simulated && !dryRun ? EmbeddedSimulator.start(options, cap) : null) {
      String endpoint = simulator != null ? simulator.baseUrl()
          : options.getGlmEndpoint() != null ? options.getGlmEndpoint() : REAL_ENDPOINT;
      if (simulator != null) {
        credentials = simulator.credentials();
        err.println(banner());
      }
      if (credentials == null) {
        credentials = ApiCredentials.rawKey("dry-run.unused"); // a dry run never sends
      }
      // The simulator models the account (cap); each worker JVM's client holds its share.
      ClientSettings client = clientSettings(options, endpoint, credentials, perWorker).toBuilder().sendSlots(slots).build();
      // Resume is decided inside the pipeline: each JVM's runtime reads the ledger's last states itself.
      BatchRuntime.Spec runtimeSpec = BatchRuntime.Spec.of(folder, new RecordStamp(price, options.getCurrency(), simulated),
          client).withBudget(OptionsParser.perWorkerBudget(options, maxCost));
      if (dryRun) {
        runtimeSpec = runtimeSpec.withLedger(folder.dryRunLedgerLocation());
        replaceEstimates(folder.dryRunLedgerLocation());
      }
      BatchPlan plan = new BatchPlan(manifest, audio, options.getModel(), runtimeSpec,
          new ResumePolicy(options.getRetryFailed(), options.getResendUncertain()),
          dryRun ? new BatchPlan.DryRun(OptionsParser.positive(options.getExpectedCompletionTokens(),
              "expectedCompletionTokens")) : null,
          OptionsParser.itemsPerBundle(options, perWorker),
          OptionsParser.segmentPolicy(options), inputs,
          OptionsParser.replySize(options).keepingSentAudio(dataset != null || options.getReport()));

      LOG.info("batch: {} -> {}; {}; {} requests in flight at most{}{}",
          manifest.source(), folder.location(),
          dryRun ? "DRY RUN, nothing is sent" : "endpoint " + (simulator != null ? "embedded simulator" : endpoint),
          cap, slots != null ? " (shared by " + options.getClusterWorkers() + " worker JVMs through " + slots + ")"
              : perWorker == cap ? "" : " (" + perWorker + " per worker JVM x " + options.getClusterWorkers() + ")",
          maxCost == null ? "" : "; budget " + Cost.format(maxCost) + " " + options.getCurrency());
      // Held until the summary is written: on the local runners the stages share it, and its client holds
      // the batch's stop reason.
      try (BatchRuntime runtime = BatchRuntime.acquire(runtimeSpec)) {
        LedgerLocation ledger = runtimeSpec.ledger();
        Instant start = Instant.now();
        // Workers in other JVMs append to the ledger there: this JVM counts what it reads back from the file.
        boolean remote = LedgerFollower.workersElsewhere(args, options.getClusterWorkers());
        boolean follow = remote && ledger.isLocal() && !dryRun;
        RunTally tally = follow ? new RunTally() : runtime.tally();
        RuntimeException jobFailure = null;
        try (ProgressReporter progress = new ProgressReporter(tally,
            follow ? () -> tally.inFlightKeys().size() : runtime::inFlight, tally::manifestLines,
            options.getCurrency(), Terminal.stderrIsTerminal(err) ? err : null,
            Duration.ofSeconds(OptionsParser.positive(options.getProgressIntervalSeconds(), "progressIntervalSeconds")))) {
          Pipeline pipeline = Pipeline.create(options);
          VoiceBatchPipeline.build(pipeline, plan);
          InterruptNotice.running(tally, folder.location(), err);
          try (LedgerFollower follower = follow ? LedgerFollower.start(ledger.file(), tally,
              () -> LedgerFold.start(folder.ledgerLocation(), manifest)) : null) {
            PipelineResult.State state = pipeline.run().waitUntilFinish();
            if (state == PipelineResult.State.FAILED || state == PipelineResult.State.CANCELLED) {
              // The Direct runner reports a stage's Error (OutOfMemoryError...) as a FAILED state, not a throw.
              throw remote ? new IllegalStateException("the job ended " + state) : FatalExit.pipelineEnded(String.valueOf(state));
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (RuntimeException e) {
            if (!remote) {
              throw e;
            }
            // A job that failed on the cluster (a worker lost, no restarts left): this JVM is sound, so the
            // summary of what the ledger holds is printed before the one error line (exit 4).
            jobFailure = e;
          }
        }
        compact(ledger);
        SendClaims.clear(ledger);
        ClusterSlots.clear(ledger);
        Duration wall = Duration.between(start, Instant.now());
        if (dryRun) {
          return dryRunReport(folder.dryRunLedgerLocation(), itemIds(manifest), runtime.tally());
        }

        ApiError stop = runtime.stopReason();
        List<String> uncertain = new ArrayList<>();
        LedgerFold.Result fold = summary(folder, manifest, recordsBefore, cap, uncertain);
        // From the ledger, not this JVM's Budget: on a cluster the budget lives in the worker JVMs.
        boolean budgetReached = maxCost != null && fold.budgetSkipped();
        String stopReason = stop != null ? stop.message()
            : fold.diskFull() != null ? fold.diskFull()
            : budgetReached ? "budget --maxCostRmb=" + Cost.format(maxCost) + " "
                + options.getCurrency() + " reached; the remaining items were skipped with reason budget"
            : null;
        BatchSummary summary = fold.summary()
            .wallTime(wall)
            .simulated(simulated)
            .alreadyDone((int) tally.alreadyDone())
            .uncertainFromLastRun(uncertain)
            .stopReason(jobFailure != null ? FatalExit.JOB_FAILED_STOP : stopReason);
        out.print(summary.render());
        if (fold.others().note(fold.manifestItems()) != null) {
          out.println(fold.others().note(fold.manifestItems()));
        }
        try {
          folder.writeText(OutputFolder.SUMMARY, summary.toJson());
        } catch (IOException | RuntimeException e) {
          err.println("warning: cannot write " + folder.locate(OutputFolder.SUMMARY) + ": " + e.getMessage());
        }
        if (jobFailure != null) {
          return FatalExit.reportJobFailure(jobFailure, options.getRunner().getSimpleName(), err);
        }
        // One pass over the manifest for both: its ids as a compact set.
        IdLines runIds = dataset != null || options.getReport() ? itemIds(manifest) : null;
        if (dataset != null) {
          writeDataset(dataset, runIds, manifest, folder);
        }
        if (options.getReport()) {
          writeReport(folder, runIds);
        }
        if (stopReason != null) {
          return fold.diskFull() != null && stop == null ? ExitCode.DISK_FULL : ExitCode.STOPPED_EARLY;
        }
        return summary.failed() > 0 || summary.uncertain() > 0 ? ExitCode.SOME_FAILED : ExitCode.ALL_DONE;
      }
    }
  }

  /** A dry run starts from an empty estimates file. */
  private static void replaceEstimates(LedgerLocation estimates) throws UsageException {
    try {
      estimates.delete();
    } catch (IOException e) {
      throw new UsageException("--outputDir: cannot replace " + estimates + ": " + e.getMessage());
    }
  }

  /** On an object store, folds this run's ledger part objects into the ledger object. */
  private void compact(LedgerLocation ledger) {
    try {
      ledger.compact();
    } catch (IOException | RuntimeException e) {
      // Not lost: readers (resume, report) see the parts as they are.
      err.println("warning: cannot fold the ledger parts into " + ledger + " (they stay readable as they are): "
          + e.getMessage());
    }
  }

  private static OutputFolder outputFolder(String location) throws UsageException {
    OutputFolder folder;
    try {
      folder = OutputFolder.at(location);
    } catch (RuntimeException e) {
      throw new UsageException("--outputDir=" + location + ": " + e.getMessage());
    }
    if (folder.isLocal()) {
      try {
        folder.checkWritable();
      } catch (java.io.IOException e) {
        throw new UsageException("--outputDir=" + location + " " + e.getMessage());
      }
    } else {
      try {
        org.apache.beam.sdk.io.FileSystems.matchNewResource(folder.location(), true);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--outputDir=" + location + ": no Beam filesystem for this scheme is on the "
            + "classpath (gs:// is in the cluster jar, -Pcluster; see docs/cluster.md)");
      }
    }
    return folder;
  }

  /** The dataset export streams the ledger: a compact id table of the manifest's items, never their records. */
  private void writeDataset(DatasetExport dataset, IdLines runIds, ManifestInput manifest, OutputFolder folder) {
    try {
      DatasetExport.Result r = dataset.write(runIds, manifest, folder.ledgerLocation(), folder);
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

  private void writeReport(OutputFolder folder, IdLines runItemIds) {
    try {
      String report = io.glmvoicebatch.report.BatchReport.write(folder, runItemIds);
      out.println("report: " + report);
    } catch (IOException | RuntimeException e) {
      err.println("warning: cannot write the report: " + e.getMessage());
    }
  }

  static String banner() {
    String line = "=".repeat(100);
    return line + "\n" + SIMULATED_BANNER + "\n" + line;
  }

  private ApiCredentials credentials(VoiceBatchOptions options, AuthMode mode) throws UsageException {
    String envKey = env.get(ApiCredentials.ENV_VAR);
    Path keyFile = options.getApiKeyFile() == null ? null : Path.of(options.getApiKeyFile());
    if ((envKey == null || envKey.isBlank()) && keyFile == null) {
      return null;
    }
    try {
      return ApiCredentials.fromEnvironmentOrFile(envKey, keyFile, mode);
    } catch (RuntimeException e) {
      throw new UsageException((keyFile != null ? "--apiKeyFile: " : ApiCredentials.ENV_VAR + ": ") + e.getMessage());
    }
  }

  private static ClientSettings clientSettings(VoiceBatchOptions o, String endpoint, ApiCredentials credentials, int cap)
      throws UsageException {
    try {
      return ClientSettings.builder()
          .endpoint(endpoint)
          .credentials(credentials)
          .maxInFlight(cap)
          .adaptiveConcurrency(o.getAdaptiveConcurrency())
          .retryPolicy(RetryPolicy.builder().maxAttempts(OptionsParser.positive(o.getMaxAttempts(), "maxAttempts")).build())
          .connectTimeout(Duration.ofSeconds(OptionsParser.positive(o.getConnectTimeoutSeconds(), "connectTimeoutSeconds")))
          .readTimeout(Duration.ofSeconds(OptionsParser.positive(o.getReadTimeoutSeconds(), "readTimeoutSeconds")))
          .itemDeadline(Duration.ofSeconds(OptionsParser.positive(o.getItemDeadlineSeconds(), "itemDeadlineSeconds")))
          .rawReplyFormat(RawPcmFormat.s16le(OptionsParser.positive(o.getReplyPcmSampleRate(), "replyPcmSampleRate"), 1))
          .allowInsecureEndpoint(o.getAllowInsecureEndpoint())
          .build()
          .toBuilder()
          .maxReplyBytes(o.getMaxReplyBytes())
          .serviceMaxRequestTime(Duration.ofSeconds(nonNegative(o.getServiceMaxRequestSeconds(), "serviceMaxRequestSeconds")))
          .maxConsecutiveConnectionFailures(nonNegative(o.getMaxConsecutiveConnectionFailures(),
              "maxConsecutiveConnectionFailures"))
          .build();
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      throw new UsageException(m.startsWith("max") ? "--" + m : "--endpoint=" + endpoint + ": " + m);
    }
  }

  private static int nonNegative(Integer value, String name) throws UsageException {
    if (value == null || value < 0) {
      throw new UsageException("--" + name + " must be 0 or more, got " + value);
    }
    return value;
  }

  /** Records in the ledger before this run: this run's lines are the ones after them. */
  private int countRecords(LedgerLocation ledger) throws UsageException {
    try {
      return LedgerFold.records(ledger, bad -> err.println("warning: ledger " + ledger + " " + bad + " (ignored)"));
    } catch (IOException e) {
      throw new UsageException("--outputDir: cannot read " + ledger + ": " + e.getMessage());
    }
  }

  private static LedgerFold.Result summary(OutputFolder folder, ManifestInput manifest, int recordsBefore, int cap,
      List<String> uncertain) throws UsageException {
    try {
      return LedgerFold.summary(folder.ledgerLocation(), manifest, recordsBefore, cap, uncertain);
    } catch (IOException e) {
      throw new UsageException("cannot read the ledger or the manifest again for the summary: " + e.getMessage());
    }
  }

  private ExitCode dryRunReport(LedgerLocation estimates, IdLines ids, RunTally tally) throws UsageException {
    try {
      return DryRunReport.print(estimates, ids, tally, out,
          bad -> err.println("warning: ledger " + estimates + " " + bad + " (ignored)"));
    } catch (IOException e) {
      throw new UsageException("--outputDir: cannot read " + estimates + ": " + e.getMessage());
    }
  }

  private static IdLines itemIds(ManifestInput manifest) throws UsageException {
    try {
      return LedgerFold.ids(manifest);
    } catch (IOException e) {
      throw new UsageException("cannot read the manifest again for the report: " + e.getMessage());
    }
  }
}
