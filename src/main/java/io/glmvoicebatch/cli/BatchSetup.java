package io.glmvoicebatch.cli;

import io.glmvoicebatch.api.ApiCredentials;
import io.glmvoicebatch.api.AuthMode;
import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.api.RawPcmFormat;
import io.glmvoicebatch.api.RetryPolicy;
import io.glmvoicebatch.audio.InputFileCheck;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.pipeline.BatchPlan;
import io.glmvoicebatch.pipeline.BatchRuntime;
import io.glmvoicebatch.pipeline.ClusterSlots;
import io.glmvoicebatch.pipeline.ManifestInput;
import io.glmvoicebatch.pipeline.RecordStamp;
import io.glmvoicebatch.pipeline.ResumePolicy;
import io.glmvoicebatch.pipeline.VoiceBatchOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of a batch run: the options checked, the manifest found, the output folder checked, the
 * cap, the budget and the key worked out (all a usage error, exit 2, before anything is written; what
 * {@code check} runs); then, once the folder is claimed, the service chosen and the plan built.
 */
final class BatchSetup {
  private static final Logger LOG = LoggerFactory.getLogger(BatchSetup.class);
  static final String REAL_ENDPOINT = "https://open.bigmodel.cn/api/paas/v4";
  static final String SIMULATED_BANNER =
      "SIMULATED: outputs are synthetic. No API key was found (ZHIPUAI_API_KEY or --apiKeyFile), so this batch "
          + "runs against the embedded GLM-4-Voice simulator; nothing is billed.";

  final VoiceBatchOptions options;
  final ManifestInput manifest;
  final OutputFolder folder;
  final NormalizerSettings audio;
  final BigDecimal price;
  /** {@code --maxCostRmb} for the whole batch, or null. */
  final BigDecimal maxCost;
  final int cap;
  /** This worker JVM's share of the cap: the whole cap unless the workers cannot share slot leases. */
  final int perWorker;
  /** The workers' shared slot leases, or null (one JVM, a dry run, or an object store). */
  final ClusterSlots slots;
  final DatasetExport dataset;
  final boolean dryRun;
  final boolean simulated;
  final String[] args;
  private final ApiCredentials credentials;

  /** @param warnings where warnings about the options go, or null to keep quiet ({@code check}) */
  BatchSetup(String[] args, Map<String, String> env, PrintStream warnings) throws UsageException {
    this.args = args;
    options = OptionsParser.parse(args);
    // Lets the manifest, its audio and the output folder live on any Beam filesystem on the classpath.
    FileSystems.setDefaultPipelineOptions(options);
    manifest = ManifestSource.load(options);
    folder = outputFolder(OptionsParser.required(options.getOutputDir(), "outputDir"));
    audio = OptionsParser.normalizerSettings(options);
    price = OptionsParser.price(options);
    maxCost = OptionsParser.maxCost(options);
    cap = OptionsParser.maxInFlight(options);
    int share = OptionsParser.perWorkerCap(options, cap);
    String clusterWarning = OptionsParser.clusterWarning(args, options, cap);
    if (clusterWarning != null && warnings != null) {
      warnings.println(clusterWarning);
    }
    dataset = DatasetExport.of(options, folder);
    AuthMode authMode = OptionsParser.authMode(options);
    dryRun = options.getDryRun();
    slots = dryRun ? null : OptionsParser.clusterSlots(options, folder.ledgerLocation(), cap);
    perWorker = slots != null ? cap : share; // the leases keep the workers together within the cap
    if (slots == null && perWorker < cap && !dryRun && warnings != null) {
      warnings.println("warning: --outputDir=" + folder.location() + " has no exclusive create for the workers' "
          + "shared slot leases (an object store): each of the " + options.getClusterWorkers() + " worker JVMs holds "
          + perWorker + " of the " + cap + " requests in flight instead");
    }
    credentials = credentials(options, authMode, env);
    simulated = credentials == null && options.getGlmEndpoint() == null;
    if (credentials == null && options.getGlmEndpoint() != null && !dryRun) {
      throw new UsageException("--endpoint=" + options.getGlmEndpoint() + " needs an API key: set ZHIPUAI_API_KEY "
          + "or --apiKeyFile (any non-empty key for a standalone simulator)");
    }
  }

  /** Claims the output folder for this run (held until the run ends; see {@link FolderClaim}). */
  FolderClaim claimFolder(PrintStream err) throws UsageException {
    return FolderClaim.claim(folder, dryRun, options.getRebuildLedger(), options.getForce(), new RebuiltLedger(folder,
        manifest, audio, OptionsParser.segmentPolicy(options), options.getModel(),
        OptionsParser.inputFileCheck(options))::write, err);
  }

  /** The embedded simulator when no key was given (said loudly on {@code err}), else null. */
  EmbeddedSimulator startSimulator(PrintStream err) throws UsageException {
    if (!simulated || dryRun) {
      return null;
    }
    EmbeddedSimulator simulator = EmbeddedSimulator.start(options, cap);
    err.println(banner());
    return simulator;
  }

  /** The plan of this run against {@code simulator} (or the endpoint and key given when null). */
  BatchPlan plan(EmbeddedSimulator simulator) throws UsageException {
    String endpoint = simulator != null ? simulator.baseUrl()
        : options.getGlmEndpoint() != null ? options.getGlmEndpoint() : REAL_ENDPOINT;
    ApiCredentials key = simulator != null ? simulator.credentials()
        : credentials != null ? credentials : ApiCredentials.rawKey("dry-run.unused"); // a dry run never sends
    // The simulator models the account (cap); each worker JVM's client holds its share.
    ClientSettings client = clientSettings(options, endpoint, key, perWorker).toBuilder().sendSlots(slots).build();
    // Resume is decided inside the pipeline: each JVM's runtime reads the ledger's last states itself.
    BatchRuntime.Spec runtime = BatchRuntime.Spec.of(folder, new RecordStamp(price, options.getCurrency(), simulated),
        client).withBudget(OptionsParser.perWorkerBudget(options, maxCost));
    if (dryRun) {
      runtime = runtime.withLedger(folder.dryRunLedgerLocation());
      replaceEstimates(folder.dryRunLedgerLocation());
    }
    InputFileCheck inputs = OptionsParser.inputFileCheck(options);
    BatchPlan plan = new BatchPlan(manifest, audio, options.getModel(), runtime,
        new ResumePolicy(options.getRetryFailed(), options.getResendUncertain()),
        dryRun ? new BatchPlan.DryRun(OptionsParser.positive(options.getExpectedCompletionTokens(),
            "expectedCompletionTokens")) : null,
        OptionsParser.itemsPerBundle(options, perWorker), OptionsParser.segmentPolicy(options), inputs,
        OptionsParser.replySize(options).keepingSentAudio(dataset != null || options.getReport()));
    LOG.info("batch: {} -> {}; {}; {} requests in flight at most{}{}",
        manifest.source(), folder.location(),
        dryRun ? "DRY RUN, nothing is sent" : "endpoint " + (simulator != null ? "embedded simulator" : endpoint),
        cap, slots != null ? " (shared by " + options.getClusterWorkers() + " worker JVMs through " + slots + ")"
            : perWorker == cap ? "" : " (" + perWorker + " per worker JVM x " + options.getClusterWorkers() + ")",
        maxCost == null ? "" : "; budget " + Cost.format(maxCost) + " " + options.getCurrency());
    return plan;
  }

  /** A dry run starts from an empty estimates file. */
  private static void replaceEstimates(LedgerLocation estimates) throws UsageException {
    try {
      estimates.delete();
    } catch (IOException e) {
      throw new UsageException("--outputDir: cannot replace " + estimates + ": " + e.getMessage());
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
      } catch (IOException e) {
        throw new UsageException("--outputDir=" + location + " " + e.getMessage());
      }
    } else {
      try {
        FileSystems.matchNewResource(folder.location(), true);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--outputDir=" + location + ": no Beam filesystem for this scheme is on the "
            + "classpath (gs:// is in the cluster jar, -Pcluster; see docs/cluster.md)");
      }
    }
    return folder;
  }

  /** The banner as wide as an 80-column terminal allows (a wider one wrapped mid-word). */
  static String banner() {
    String rule = "=".repeat(WordWrap.COLUMNS);
    return rule + "\n" + WordWrap.text(SIMULATED_BANNER, WordWrap.COLUMNS, "") + "\n" + rule;
  }

  private static ApiCredentials credentials(VoiceBatchOptions options, AuthMode mode, Map<String, String> env)
      throws UsageException {
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
}
