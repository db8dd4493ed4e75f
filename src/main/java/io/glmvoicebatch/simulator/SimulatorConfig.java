package io.glmvoicebatch.simulator;

import java.time.Duration;
import java.util.Objects;

/** Everything that shapes the simulated service. Immutable; build with {@link #builder()}. */
public final class SimulatorConfig {
  private final String host;
  private final int port;
  private final int maxInFlight;
  private final OtherClientsLoad otherClients;
  private final String apiKey;
  private final LatencyModel latency;
  private final long seed;
  private final ReplyAudioForm replyAudioForm;
  private final int rawPcmSampleRate;
  private final int wavSampleRate;
  private final FaultPlan faults;
  private final boolean rejectDuplicateRequestIds;
  private final int serverThreads;
  private final String model;
  private final Duration minReplySpeech;
  private final Duration maxReplySpeech;

  private SimulatorConfig(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.maxInFlight = b.maxInFlight;
    this.otherClients = b.otherClients;
    this.apiKey = b.apiKey;
    this.latency = b.latency;
    this.seed = b.seed;
    this.replyAudioForm = b.replyAudioForm;
    this.rawPcmSampleRate = b.rawPcmSampleRate;
    this.wavSampleRate = b.wavSampleRate;
    this.faults = b.faults;
    this.rejectDuplicateRequestIds = b.rejectDuplicateRequestIds;
    this.serverThreads = b.serverThreads;
    this.model = b.model;
    this.minReplySpeech = b.minReplySpeech;
    this.maxReplySpeech = b.maxReplySpeech;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static SimulatorConfig defaults() {
    return builder().build();
  }

  public Builder toBuilder() {
    return new Builder()
        .host(host)
        .port(port)
        .maxInFlight(maxInFlight)
        .reservedForOthers(otherClients)
        .apiKey(apiKey)
        .latency(latency)
        .seed(seed)
        .replyAudioForm(replyAudioForm)
        .rawPcmSampleRate(rawPcmSampleRate)
        .wavSampleRate(wavSampleRate)
        .faults(faults)
        .rejectDuplicateRequestIds(rejectDuplicateRequestIds)
        .serverThreads(serverThreads)
        .model(model)
        .replySpeech(minReplySpeech, maxReplySpeech);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The account's concurrency cap (V0 tier: 5). */
  public int maxInFlight() {
    return maxInFlight;
  }

  public OtherClientsLoad reservedForOthers() {
    return otherClients;
  }

  /** "&lt;id&gt;.&lt;secret&gt;", or null to accept any non-empty bearer token. */
  public String apiKey() {
    return apiKey;
  }

  public LatencyModel latency() {
    return latency;
  }

  public long seed() {
    return seed;
  }

  public ReplyAudioForm replyAudioForm() {
    return replyAudioForm;
  }

  public int rawPcmSampleRate() {
    return rawPcmSampleRate;
  }

  public int wavSampleRate() {
    return wavSampleRate;
  }

  /** Sample rate of reply audio in the configured form. */
  public int replySampleRate() {
    return replyAudioForm == ReplyAudioForm.WAV ? wavSampleRate : rawPcmSampleRate;
  }

  public FaultPlan faults() {
    return faults;
  }

  /** Off by default: clients legitimately reuse request_id when retrying. */
  public boolean rejectDuplicateRequestIds() {
    return rejectDuplicateRequestIds;
  }

  public int serverThreads() {
    return serverThreads;
  }

  /** The only model name accepted; others get 400 code 1211. */
  public String model() {
    return model;
  }

  public Duration minReplySpeech() {
    return minReplySpeech;
  }

  public Duration maxReplySpeech() {
    return maxReplySpeech;
  }

  @Override
  public String toString() {
    return "SimulatorConfig{host="
        + host
        + ", port="
        + port
        + ", maxInFlight="
        + maxInFlight
        + ", apiKey="
        + (apiKey == null ? "any" : "set")
        + ", latency="
        + latency
        + ", seed="
        + seed
        + ", replyAudioForm="
        + replyAudioForm
        + ", faults="
        + faults
        + "}";
  }

  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private int maxInFlight = 5;
    private OtherClientsLoad otherClients = OtherClientsLoad.none();
    private String apiKey;
    private LatencyModel latency = LatencyModel.normal(Duration.ofMillis(800), Duration.ofMillis(200));
    private long seed = 42;
    private ReplyAudioForm replyAudioForm = ReplyAudioForm.RAW_PCM_44K;
    private int rawPcmSampleRate = 44_100;
    private int wavSampleRate = 22_050;
    private FaultPlan faults = FaultPlan.none();
    private boolean rejectDuplicateRequestIds;
    private int serverThreads = 256;
    private String model = "glm-4-voice";
    private Duration minReplySpeech = Duration.ofSeconds(2);
    private Duration maxReplySpeech = Duration.ofSeconds(8);

    private Builder() {}

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** 0 picks an ephemeral port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be >= 1: " + maxInFlight);
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    /** A fixed number of slots held by another client of the same account. */
    public Builder reservedForOthers(int slots) {
      this.otherClients = OtherClientsLoad.fixed(slots);
      return this;
    }

    /** Slots held by another client of the same account, varying over time. */
    public Builder reservedForOthers(OtherClientsLoad load) {
      this.otherClients = Objects.requireNonNull(load, "load");
      return this;
    }

    /** The account key "&lt;id&gt;.&lt;secret&gt;"; null accepts any non-empty bearer token. */
    public Builder apiKey(String apiKey) {
      if (apiKey != null) {
        int dot = apiKey.indexOf('.');
        if (dot <= 0 || dot == apiKey.length() - 1) {
          throw new IllegalArgumentException("apiKey must look like <id>.<secret>");
        }
      }
      this.apiKey = apiKey;
      return this;
    }

    public Builder latency(LatencyModel latency) {
      this.latency = Objects.requireNonNull(latency, "latency");
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder replyAudioForm(ReplyAudioForm form) {
      this.replyAudioForm = Objects.requireNonNull(form, "form");
      return this;
    }

    public Builder rawPcmSampleRate(int rate) {
      this.rawPcmSampleRate = requireRate(rate);
      return this;
    }

    public Builder wavSampleRate(int rate) {
      this.wavSampleRate = requireRate(rate);
      return this;
    }

    public Builder faults(FaultPlan faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** When on, a request_id that already got a successful reply is refused with 400 code 1231. */
    public Builder rejectDuplicateRequestIds(boolean reject) {
      this.rejectDuplicateRequestIds = reject;
      return this;
    }

    /** Handler threads; must exceed the concurrency you want to observe (rejections need a thread too). */
    public Builder serverThreads(int threads) {
      if (threads < 2) {
        throw new IllegalArgumentException("serverThreads must be >= 2");
      }
      this.serverThreads = threads;
      return this;
    }

    public Builder model(String model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /** Range of reply speech durations before max_tokens truncation. */
    public Builder replySpeech(Duration min, Duration max) {
      if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
        throw new IllegalArgumentException("need 0 < min <= max: " + min + ", " + max);
      }
      this.minReplySpeech = min;
      this.maxReplySpeech = max;
      return this;
    }

    public SimulatorConfig build() {
      return new SimulatorConfig(this);
    }

    private static int requireRate(int rate) {
      if (rate < 8000 || rate > 192_000) {
        throw new IllegalArgumentException("sample rate out of range: " + rate);
      }
      return rate;
    }
  }
}
