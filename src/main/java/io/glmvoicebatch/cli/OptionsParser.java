package io.glmvoicebatch.cli;

import io.glmvoicebatch.api.AuthMode;
import io.glmvoicebatch.api.Tier;
import io.glmvoicebatch.audio.InputFileCheck;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.pipeline.AudioOptions;
import io.glmvoicebatch.pipeline.ClusterOptions;
import io.glmvoicebatch.pipeline.ClusterSlots;
import io.glmvoicebatch.pipeline.CostOptions;
import io.glmvoicebatch.pipeline.ManifestOptions;
import io.glmvoicebatch.pipeline.ServiceOptions;
import io.glmvoicebatch.pipeline.SegmentPolicy;
import io.glmvoicebatch.pipeline.ReplySize;
import io.glmvoicebatch.pipeline.VoiceBatchOptions;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Turns {@code --flag=value} arguments into checked settings; every error names the option. Each reader takes
 * the options interface of the stage it configures ({@code pipeline.AudioOptions}...), not all of them.
 */
final class OptionsParser {
  /** Direct-runner threads unless --targetParallelism says otherwise. */
  static final int DEFAULT_DIRECT_THREADS = 12;

  private OptionsParser() {}

  /** --itemsPerBundle, or four times this JVM's in-flight cap (at least 16) when left at 0. */
  static int itemsPerBundle(ManifestOptions o, int inFlight) throws UsageException {
    Integer n = o.getItemsPerBundle();
    if (n == null || n < 0) {
      throw new UsageException("--itemsPerBundle must be 0 (automatic) or a positive whole number, got " + n);
    }
    return n == 0 ? Math.max(16, 4 * inFlight) : n;
  }

  /**
   * Flags whose Beam property has another name. {@code --endpoint} is the GLM service URL, as it always was;
   * but Beam's s3:// module (AwsOptions) declares a property "endpoint" of another type, and Beam refuses
   * one property with two types. So ours is the property glmEndpoint, and the S3 endpoint (MinIO, ...) is
   * given as {@code --s3Endpoint}.
   */
  static final Map<String, String> FLAG_TO_PROPERTY = Map.of("endpoint", "glmEndpoint", "s3Endpoint", "endpoint");
  private static final String AWS_OPTIONS = "org.apache.beam.sdk.io.aws2.options.AwsOptions";

  static VoiceBatchOptions parse(String[] userArgs) throws UsageException {
    PipelineOptionsFactory.register(VoiceBatchOptions.class);
    String[] args = beamArgs(userArgs);
    checkValueTypes(args);
    try {
      VoiceBatchOptions options = PipelineOptionsFactory.fromArgs(args).as(VoiceBatchOptions.class);
      // The Direct runner's immutability and encodability checks re-encode every element, audio included:
      // worth it in our tests, pure overhead in a user's batch. A user can still turn them on explicitly.
      DirectOptions direct = options.as(DirectOptions.class);
      if (Arrays.stream(args).noneMatch(a -> a.startsWith("--enforceImmutability"))) {
        direct.setEnforceImmutability(false);
      }
      if (Arrays.stream(args).noneMatch(a -> a.startsWith("--enforceEncodability"))) {
        direct.setEnforceEncodability(false);
      }
      // Each Direct-runner thread holds one bundle at a time and the call stage waits for a bundle's slowest
      // reply: with Beam's default of max(3, cores) threads, slots sat idle between bundles (measured slot use
      // 0.43 at cap 20 x 1 s, 0.72 with 12 threads; benchmarks/ARCHIVE.md).
      if (Arrays.stream(args).noneMatch(a -> a.startsWith("--targetParallelism"))) {
        direct.setTargetParallelism(DEFAULT_DIRECT_THREADS);
      }
      return options;
    } catch (IllegalArgumentException e) {
      // Beam's message names the unknown or malformed option and suggests close matches.
      throw new UsageException(e.getMessage());
    }
  }

  /** The user's flags with {@link #FLAG_TO_PROPERTY} applied, as Beam's parser expects them. */
  static String[] beamArgs(String[] args) throws UsageException {
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      String a = out[i];
      if (!a.startsWith("--")) {
        continue;
      }
      int eq = a.indexOf('=');
      String flag = a.substring(2, eq < 0 ? a.length() : eq);
      String property = FLAG_TO_PROPERTY.get(flag);
      if (property == null) {
        continue;
      }
      if (flag.equals("s3Endpoint") && !onClasspath(AWS_OPTIONS)) {
        throw new UsageException("--s3Endpoint is for the s3:// filesystem, which is not on the classpath "
            + "(build with -Paws-s3; see docs/cluster.md)");
      }
      out[i] = "--" + property + (eq < 0 ? "" : a.substring(eq));
    }
    return out;
  }

  private static boolean onClasspath(String className) {
    try {
      Class.forName(className, false, OptionsParser.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * Beam reports a malformed number as a Jackson error that does not name the option; check our own
   * options' values first so the message says which option and what it accepts.
   */
  private static void checkValueTypes(String[] args) throws UsageException {
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        continue;
      }
      String name = arg.substring(2, arg.indexOf('='));
      String value = arg.substring(arg.indexOf('=') + 1);
      Class<?> type = optionType(name);
      if (type == null) {
        continue;
      }
      try {
        if (type == Integer.class) {
          Integer.parseInt(value.strip());
        } else if (type == Long.class) {
          Long.parseLong(value.strip());
        } else if (type == Double.class) {
          Double.parseDouble(value.strip());
        } else if (type == Boolean.class && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
          throw new UsageException("--" + name + "=" + value + ": expected true or false");
        }
      } catch (NumberFormatException e) {
        throw new UsageException("--" + name + "=" + value + ": expected "
            + (type == Double.class ? "a number" : "a whole number"));
      }
    }
  }

  private static Class<?> optionType(String name) {
    String getter = "get" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    try {
      return VoiceBatchOptions.class.getMethod(getter).getReturnType();
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  static String required(String value, String name) throws UsageException {
    if (value == null || value.isBlank()) {
      throw new UsageException("--" + name + " is required");
    }
    return value;
  }

  static int positive(Integer value, String name) throws UsageException {
    if (value == null || value <= 0) {
      throw new UsageException("--" + name + " must be a positive whole number, got " + value);
    }
    return value;
  }

  static int maxInFlight(ServiceOptions o) throws UsageException {
    if (o.getMaxInFlight() != null) {
      return positive(o.getMaxInFlight(), "maxInFlight");
    }
    try {
      return Tier.valueOf(o.getTier().toUpperCase(Locale.ROOT)).maxInFlight();
    } catch (IllegalArgumentException e) {
      throw new UsageException("--tier=" + o.getTier() + " is not a tier; accepted: "
          + Arrays.stream(Tier.values()).map(t -> t.name() + " (" + t.maxInFlight() + " in flight)")
              .collect(Collectors.joining(", ")));
    }
  }

  /**
   * Requests in flight for one worker JVM: the account's {@code cap} split evenly over {@code --clusterWorkers}
   * (rounded down, so the sum never exceeds the cap).
   */
  static int perWorkerCap(ClusterOptions o, int cap) throws UsageException {
    int workers = positive(o.getClusterWorkers(), "clusterWorkers");
    if (workers > cap) {
      throw new UsageException("--clusterWorkers=" + workers + " is more than the " + cap + " requests in flight "
          + "the account allows: each worker JVM needs at least one (run at most " + cap + " workers)");
    }
    return cap / workers;
  }

  /**
   * With {@code --clusterWorkers} above 1, the lease files through which the worker JVMs share the whole cap;
   * null for one worker, or for an output folder without exclusive create (an object store: then each JVM
   * holds {@link #perWorkerCap}). Triggered by {@code --clusterWorkers}, not by the runner's master: under
   * {@code flink run} or {@code spark-submit} the master is not among our arguments.
   */
  static ClusterSlots clusterSlots(ClusterOptions o, LedgerLocation ledger, int cap) throws UsageException {
    if (positive(o.getClusterWorkers(), "clusterWorkers") == 1) {
      return null;
    }
    return ClusterSlots.of(ledger, UUID.randomUUID().toString(), cap,
        Duration.ofSeconds(positive(o.getSlotLeaseSeconds(), "slotLeaseSeconds")));
  }

  /** True if an argument names a Flink or Spark master whose workers are other JVMs than this one. */
  static boolean remoteMaster(String... args) {
    for (String a : args) {
      String master = a.startsWith("--flinkMaster=") ? a.substring("--flinkMaster=".length())
          : a.startsWith("--sparkMaster=") ? a.substring("--sparkMaster=".length()) : null;
      if (master != null && !(master.startsWith("local") || master.equals("[local]") || master.equals("[auto]")
          || master.equals("[collection]"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Each worker JVM's share of {@code --maxCostRmb}: the budget split evenly over {@code --clusterWorkers},
   * rounded down, so the shares never add up to more than the budget; null for no budget.
   */
  static BigDecimal perWorkerBudget(ClusterOptions o, BigDecimal maxCost) throws UsageException {
    int workers = positive(o.getClusterWorkers(), "clusterWorkers");
    return maxCost == null || workers == 1 ? maxCost
        : maxCost.divide(BigDecimal.valueOf(workers), 8, java.math.RoundingMode.DOWN);
  }

  /**
   * A warning when the runner's master names a multi-JVM cluster but {@code --clusterWorkers} was left at 1,
   * so every worker would take the whole cap; null otherwise.
   */
  static String clusterWarning(String[] args, ClusterOptions o, int cap) {
    if (o.getClusterWorkers() != null && o.getClusterWorkers() > 1) {
      return null;
    }
    for (String a : args) {
      if (remoteMaster(a)) {
        return "warning: " + a + " may run on several worker JVMs, and each holds up to " + cap
            + " requests in flight; pass --clusterWorkers=<worker JVMs> so the account's cap of " + cap
            + " holds cluster-wide";
      }
    }
    return null;
  }

  static AuthMode authMode(ServiceOptions o) throws UsageException {
    return switch (o.getAuth().toLowerCase(Locale.ROOT)) {
      case "raw" -> AuthMode.RAW_KEY;
      case "jwt" -> AuthMode.JWT;
      default -> throw new UsageException("--auth=" + o.getAuth() + " is not accepted; use raw or jwt");
    };
  }

  static BigDecimal price(CostOptions o) throws UsageException {
    try {
      BigDecimal price = new BigDecimal(o.getPricePerMillionTokens().strip());
      if (price.signum() < 0) {
        throw new NumberFormatException();
      }
      return price;
    } catch (NumberFormatException e) {
      throw new UsageException("--pricePerMillionTokens=" + o.getPricePerMillionTokens()
          + " must be a non-negative decimal number");
    }
  }

  static BigDecimal maxCost(CostOptions o) throws UsageException {
    if (o.getMaxCostRmb() == null) {
      return null;
    }
    try {
      BigDecimal budget = new BigDecimal(o.getMaxCostRmb().strip());
      if (budget.signum() < 0) {
        throw new NumberFormatException();
      }
      return budget;
    } catch (NumberFormatException e) {
      throw new UsageException("--maxCostRmb=" + o.getMaxCostRmb() + " must be a non-negative decimal number");
    }
  }

  static SegmentPolicy segmentPolicy(AudioOptions o) throws UsageException {
    double max = o.getMaxSegmentSeconds();
    if (!(max >= 10 && max <= SegmentPolicy.API_MAX_SECONDS)) {
      throw new UsageException("--maxSegmentSeconds must be in [10, 600], got " + o.getMaxSegmentSeconds());
    }
    double mb = o.getMaxRequestMb();
    if (!(mb >= 1 && mb <= 2000)) {
      throw new UsageException("--maxRequestMb must be in [1, 2000], got " + o.getMaxRequestMb());
    }
    return new SegmentPolicy(o.getSplitLongAudio(), max, SegmentPolicy.megabytes(mb));
  }

  static NormalizerSettings normalizerSettings(AudioOptions o) throws UsageException {
    if (o.getMaxGainDb() < 0) {
      throw new UsageException("--maxGainDb must be >= 0, got " + o.getMaxGainDb());
    }
    if (o.getPeakCeilingDbfs() > 0) {
      throw new UsageException("--peakCeilingDbfs must be <= 0 dBFS, got " + o.getPeakCeilingDbfs());
    }
    if (o.getTrimPaddingSeconds() < 0) {
      throw new UsageException("--trimPaddingSeconds must be >= 0, got " + o.getTrimPaddingSeconds());
    }
    return NormalizerSettings.builder()
        .normalize(o.getNormalize())
        .targetLufs(o.getTargetLufs())
        .peakCeilingDbfs(o.getPeakCeilingDbfs())
        .maxGainDb(o.getMaxGainDb())
        .trimSilence(o.getTrimSilence())
        .silenceThresholdDbfs(o.getSilenceThresholdDbfs())
        .trimPaddingSeconds(o.getTrimPaddingSeconds())
        .build();
  }

  /** --maxInputFileBytes: the largest input audio file read. */
  static InputFileCheck inputFileCheck(AudioOptions o) throws UsageException {
    Long max = o.getMaxInputFileBytes();
    if (max == null || max <= 0) {
      throw new UsageException("--maxInputFileBytes must be a positive number of bytes, got " + max);
    }
    return new InputFileCheck(max);
  }

  /** The disk check's bound on a reply's size (docs/output-folder.md, "Disk space"). */
  static ReplySize replySize(VoiceBatchOptions o) throws UsageException {
    Double perSecond = o.getReplyAudioTokensPerSecond();
    Long margin = o.getDiskMarginBytes();
    Long maxReply = o.getMaxReplyBytes();
    if (perSecond == null || !(perSecond > 0) || perSecond.isInfinite()) {
      throw new UsageException("--replyAudioTokensPerSecond must be a positive number, got " + perSecond);
    }
    if (margin == null || margin < 0) {
      throw new UsageException("--diskMarginBytes must be 0 or more, got " + margin);
    }
    if (maxReply == null || maxReply <= 0) {
      throw new UsageException("--maxReplyBytes must be a positive number of bytes, got " + maxReply);
    }
    return new ReplySize(perSecond, positive(o.getReplyPcmSampleRate(), "replyPcmSampleRate"), maxReply, margin, false);
  }
}
