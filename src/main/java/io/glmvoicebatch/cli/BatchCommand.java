package io.glmvoicebatch.cli;

import io.glmvoicebatch.api.ApiCredentials;
import io.glmvoicebatch.api.ApiError;
import io.glmvoicebatch.api.AuthMode;
import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.api.GlmVoiceClient;
import io.glmvoicebatch.api.RawPcmFormat;
import io.glmvoicebatch.api.RetryPolicy;
import io.glmvoicebatch.api.Tier;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.ledger.ResumeIndex;
import io.glmvoicebatch.manifest.Manifest;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.ManifestProblem;
import io.glmvoicebatch.pipeline.BatchPlan;
import io.glmvoicebatch.pipeline.ItemLedger;
import io.glmvoicebatch.pipeline.PrepareAudio;
import io.glmvoicebatch.pipeline.ResumePolicy;
import io.glmvoicebatch.pipeline.VoiceBatchOptions;
import io.glmvoicebatch.pipeline.VoiceBatchPipeline;
import java.io.IOException;
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
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
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

  BatchCommand(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    this.args = args;
    this.env = env;
    this.out = out;
    this.err = err;
  }

  ExitCode call() throws UsageException {
    VoiceBatchOptions options = OptionsParser.parse(args);
    Manifest manifest = ManifestSource.load(options);
    OutputFolder folder = new OutputFolder(Path.of(OptionsParser.required(options.getOutputDir(), "outputDir")));
    NormalizerSettings audio = OptionsParser.normalizerSettings(options);
    BigDecimal price = OptionsParser.price(options);
    int cap = OptionsParser.maxInFlight(options);
    int perWorker = OptionsParser.perWorkerCap(options, cap);
    String clusterWarning = OptionsParser.clusterWarning(args, options, cap);
    if (clusterWarning != null) {
      err.println(clusterWarning);
    }
    AuthMode authMode = OptionsParser.authMode(options);

    ApiCredentials credentials = credentials(options, authMode);
    boolean simulated = credentials == null && options.getEndpoint() == null;
    if (credentials == null && options.getEndpoint() != null) {
      throw new UsageException("--endpoint=" + options.getEndpoint() + " needs an API key: set ZHIPUAI_API_KEY "
          + "or --apiKeyFile (any non-empty key for a standalone simulator)");
    }

    LedgerView before = readLedger(folder);
    ResumeIndex resume = ResumeIndex.of(before);
    reportUncertain(manifest, resume, options);

    try (EmbeddedSimulator simulator = simulated ? EmbeddedSimulator.start(options, cap) : null) {
      String endpoint = simulated ? simulator.baseUrl()
          : options.getEndpoint() != null ? options.getEndpoint() : REAL_ENDPOINT;
      if (simulated) {
        credentials = simulator.credentials();
        err.println(banner());
      }
      // The simulator models the account (cap); each worker JVM's client holds its share.
      ClientSettings client = clientSettings(options, endpoint, credentials, perWorker);
      ItemLedger ledger = new ItemLedger(folder, price, options.getCurrency(), simulated);
      BatchPlan plan = new BatchPlan(manifest, audio, client, options.getModel(), ledger, resume,
          new ResumePolicy(options.getRetryFailed(), options.getResendUncertain()));

      LOG.info("batch: {} items ({} bad manifest lines) from {} -> {}; endpoint {}; {} requests in flight at most{}",
          manifest.items().size(), manifest.problems().size(), manifest.source(), folder.root(),
          simulated ? "embedded simulator" : endpoint, cap,
          perWorker == cap ? "" : " (" + perWorker + " per worker JVM x " + options.getClusterWorkers() + ")");
      Instant start = Instant.now();
      Pipeline pipeline = Pipeline.create(options);
      VoiceBatchPipeline.build(pipeline, plan);
      PipelineResult result = pipeline.run();
      result.waitUntilFinish();
      Duration wall = Duration.between(start, Instant.now());

      GlmVoiceClient shared = GlmVoiceClient.shared(client);
      ApiError stop = shared.batchStopped() ? shared.stopReason() : null;
      BatchSummary summary = BatchSummary.of(readLedger(folder), itemIds(manifest))
          .wallTime(wall)
          .simulated(simulated)
          .alreadyDone((int) counter(result, "alreadyDone"))
          .stopReason(stop == null ? null : stop.message());
      out.print(summary.render());
      try {
        summary.writeJson(folder.summary());
      } catch (IOException e) {
        err.println("warning: cannot write " + folder.summary() + ": " + e.getMessage());
      }
      if (stop != null) {
        return ExitCode.STOPPED_EARLY;
      }
      return summary.failed() > 0 || summary.uncertain() > 0 ? ExitCode.SOME_FAILED : ExitCode.ALL_DONE;
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
          .build();
    } catch (IllegalArgumentException e) {
      throw new UsageException("--endpoint=" + endpoint + ": " + e.getMessage());
    }
  }

  private LedgerView readLedger(OutputFolder folder) throws UsageException {
    try {
      LedgerView view = LedgerView.read(folder.ledger());
      for (String bad : view.unreadableLines()) {
        err.println("warning: ledger " + folder.ledger() + " " + bad + " (ignored)");
      }
      return view;
    } catch (IOException e) {
      throw new UsageException("--outputDir: cannot read " + folder.ledger() + ": " + e.getMessage());
    }
  }

  private void reportUncertain(Manifest manifest, ResumeIndex resume, VoiceBatchOptions options) {
    List<String> uncertain = new ArrayList<>();
    for (ManifestItem item : manifest.items()) {
      if (LedgerRecord.SENDING.equals(resume.lastStatus(item.id()))) {
        uncertain.add(item.id());
      }
    }
    if (!uncertain.isEmpty()) {
      err.printf(Locale.ROOT, "warning: %d item(s) were in flight when the last run stopped and may have been billed: %s%s%n",
          uncertain.size(), uncertain.size() > 20 ? uncertain.subList(0, 20) + "..." : uncertain,
          options.getResendUncertain() ? " (sending them again; --resendUncertain=false keeps them as uncertain)" : " (not sent again)");
    }
  }

  private static List<String> itemIds(Manifest manifest) {
    List<String> ids = new ArrayList<>();
    manifest.items().forEach(i -> ids.add(i.id()));
    for (ManifestProblem p : manifest.problems()) {
      ids.add(p.id());
    }
    return ids;
  }

  private static long counter(PipelineResult result, String name) {
    try {
      MetricQueryResults metrics = result.metrics().queryMetrics(
          MetricsFilter.builder().addNameFilter(MetricNameFilter.named(PrepareAudio.class, name)).build());
      long sum = 0;
      for (MetricResult<Long> c : metrics.getCounters()) {
        sum += c.getAttempted();
      }
      return sum;
    } catch (UnsupportedOperationException e) {
      return 0;
    }
  }
}
