package io.glmvoicebatch.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Which faults the simulated service injects, and when. Immutable.
 *
 * <p>Random faults are drawn from a random derived from (seed, request key, attempt number), so the
 * same batch sees the same faults whatever order concurrent requests arrive in, and a retried
 * request draws again (otherwise a "10% SERVER_500" item would fail forever).
 *
 * <p>Deterministic triggers take precedence over rates, in this order: request numbers, markers,
 * first attempts.
 */
public final class FaultPlan {
  /** Default prompt marker that makes the service refuse the content (400, code 1301). */
  public static final String DEFAULT_SENSITIVE_MARKER = "[[unsafe]]";

  private final Map<FaultKind, Double> rates;
  private final Map<Long, FaultKind> byRequestNumber;
  private final List<MarkerTrigger> markers;
  private final FaultKind firstAttemptsKind;
  private final int firstAttempts;
  private final long arrearsAfterTokens;
  private final String sensitiveMarker;
  private final int burstLength;
  private final double dropAfterFraction;
  private final Duration trickleDuration;

  private FaultPlan(Builder b) {
    this.rates = Map.copyOf(b.rates);
    this.byRequestNumber = Map.copyOf(b.byRequestNumber);
    this.markers = List.copyOf(b.markers);
    this.firstAttemptsKind = b.firstAttemptsKind;
    this.firstAttempts = b.firstAttempts;
    this.arrearsAfterTokens = b.arrearsAfterTokens;
    this.sensitiveMarker = b.sensitiveMarker;
    this.burstLength = b.burstLength;
    this.dropAfterFraction = b.dropAfterFraction;
    this.trickleDuration = b.trickleDuration;
  }

  /**
   * No injected faults. Content moderation on {@link #DEFAULT_SENSITIVE_MARKER} stays on: the real
   * service always moderates, and nobody sends that marker by accident.
   */
  public static FaultPlan none() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A plan spreading {@code totalRate} evenly over the transient (retryable) faults. */
  public static FaultPlan transientFaults(double totalRate) {
    List<FaultKind> kinds =
        List.of(
            FaultKind.SERVER_500,
            FaultKind.OVERLOADED_1305,
            FaultKind.CONCURRENCY_1302_BURST,
            FaultKind.HTML_502,
            FaultKind.DROP_CONNECTION_MID_BODY,
            FaultKind.SLOW_TRICKLE);
    Builder b = builder();
    for (FaultKind k : kinds) {
      b.rate(k, totalRate / kinds.size());
    }
    return b.build();
  }

  /**
   * The fault for one attempt, or null for a normal reply.
   *
   * @param requestNumber 1-based arrival number of the request at the simulator
   * @param attempt 1-based attempt number of this request key (request_id, else body hash)
   * @param promptText all prompt text of the request (for markers)
   */
  FaultKind decide(long requestNumber, int attempt, String promptText, SplittableRandom random) {
    double draw = random.nextDouble(); // always drawn, so later draws do not depend on triggers
    FaultKind numbered = byRequestNumber.get(requestNumber);
    if (numbered != null) {
      return numbered;
    }
    for (MarkerTrigger m : markers) {
      if (promptText.contains(m.marker) && attempt <= m.maxAttempts) {
        return m.kind;
      }
    }
    if (firstAttemptsKind != null && attempt <= firstAttempts) {
      return firstAttemptsKind;
    }
    double cumulative = 0;
    for (FaultKind k : FaultKind.values()) { // enum order: stable across runs
      Double rate = rates.get(k);
      if (rate == null) {
        continue;
      }
      cumulative += rate;
      if (draw < cumulative) {
        return k;
      }
    }
    return null;
  }

  public Map<FaultKind, Double> rates() {
    return rates;
  }

  /** Billed-token threshold after which every request gets 429/1113; {@code Long.MAX_VALUE} = never. */
  public long arrearsAfterTokens() {
    return arrearsAfterTokens;
  }

  public Optional<String> sensitiveMarker() {
    return Optional.ofNullable(sensitiveMarker);
  }

  public int burstLength() {
    return burstLength;
  }

  public double dropAfterFraction() {
    return dropAfterFraction;
  }

  public Duration trickleDuration() {
    return trickleDuration;
  }

  @Override
  public String toString() {
    return "FaultPlan{rates="
        + rates
        + ", byRequestNumber="
        + byRequestNumber
        + ", markers="
        + markers
        + ", firstAttempts="
        + (firstAttemptsKind == null ? "none" : firstAttemptsKind + "x" + firstAttempts)
        + ", arrearsAfterTokens="
        + (arrearsAfterTokens == Long.MAX_VALUE ? "never" : arrearsAfterTokens)
        + ", sensitiveMarker="
        + sensitiveMarker
        + "}";
  }

  private record MarkerTrigger(FaultKind kind, String marker, int maxAttempts) {}

  public static final class Builder {
    private final Map<FaultKind, Double> rates = new EnumMap<>(FaultKind.class);
    private final Map<Long, FaultKind> byRequestNumber = new java.util.HashMap<>();
    private final List<MarkerTrigger> markers = new ArrayList<>();
    private FaultKind firstAttemptsKind;
    private int firstAttempts;
    private long arrearsAfterTokens = Long.MAX_VALUE;
    private String sensitiveMarker = DEFAULT_SENSITIVE_MARKER;
    private int burstLength = 3;
    private double dropAfterFraction = 0.5;
    private Duration trickleDuration = Duration.ofSeconds(3);

    private Builder() {}

    /** Injects {@code kind} on a random fraction {@code rate} of attempts. Rates must sum to <= 1. */
    public Builder rate(FaultKind kind, double rate) {
      requireInjectable(kind);
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("rate must be in [0,1]: " + rate);
      }
      rates.put(kind, rate);
      return this;
    }

    /** Injects {@code kind} on the requests arriving with these 1-based numbers. */
    public Builder onRequestNumbers(FaultKind kind, long... numbers) {
      requireInjectable(kind);
      for (long n : numbers) {
        if (n < 1) {
          throw new IllegalArgumentException("request numbers start at 1: " + n);
        }
        byRequestNumber.put(n, kind);
      }
      return this;
    }

    /** Injects {@code kind} on every attempt whose prompt text contains {@code marker}. */
    public Builder onMarker(FaultKind kind, String marker) {
      return onMarker(kind, marker, Integer.MAX_VALUE);
    }

    /**
     * Injects {@code kind} on the first {@code attempts} attempts of each request whose prompt text
     * contains {@code marker}; later attempts succeed (retry tests).
     */
    public Builder onMarker(FaultKind kind, String marker, int attempts) {
      requireInjectable(kind);
      if (marker == null || marker.isEmpty() || attempts < 1) {
        throw new IllegalArgumentException("need a non-empty marker and attempts >= 1");
      }
      markers.add(new MarkerTrigger(kind, marker, attempts));
      return this;
    }

    /** Injects {@code kind} on the first {@code attempts} attempts of every request key. */
    public Builder firstAttempts(FaultKind kind, int attempts) {
      requireInjectable(kind);
      if (attempts < 0) {
        throw new IllegalArgumentException("attempts must be >= 0");
      }
      this.firstAttemptsKind = attempts == 0 ? null : kind;
      this.firstAttempts = attempts;
      return this;
    }

    /** Once this many tokens are billed in total, every request gets 429 code 1113 (arrears). */
    public Builder arrearsAfterTokens(long tokens) {
      if (tokens < 0) {
        throw new IllegalArgumentException("tokens must be >= 0");
      }
      this.arrearsAfterTokens = tokens;
      return this;
    }

    /** Prompt text containing this marker is refused with 400 code 1301; null disables. */
    public Builder sensitiveMarker(String marker) {
      if (marker != null && marker.isEmpty()) {
        throw new IllegalArgumentException("marker must not be empty (use null to disable)");
      }
      this.sensitiveMarker = marker;
      return this;
    }

    /** How many consecutive requests one CONCURRENCY_1302_BURST rejects (including its trigger). */
    public Builder burstLength(int length) {
      if (length < 1) {
        throw new IllegalArgumentException("burstLength must be >= 1");
      }
      this.burstLength = length;
      return this;
    }

    /** Fraction of the body sent before DROP_CONNECTION_MID_BODY closes the connection. */
    public Builder dropAfterFraction(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("fraction must be in [0,1)");
      }
      this.dropAfterFraction = fraction;
      return this;
    }

    /** Total time SLOW_TRICKLE takes to deliver the body. */
    public Builder trickleDuration(Duration duration) {
      if (duration.isNegative()) {
        throw new IllegalArgumentException("negative trickle duration");
      }
      this.trickleDuration = duration;
      return this;
    }

    public FaultPlan build() {
      double sum = rates.values().stream().mapToDouble(Double::doubleValue).sum();
      if (sum > 1.0 + 1e-9) {
        throw new IllegalArgumentException("fault rates sum to " + sum + " > 1");
      }
      return new FaultPlan(this);
    }

    private static void requireInjectable(FaultKind kind) {
      Objects.requireNonNull(kind, "kind");
      if (kind == FaultKind.ARREARS_1113_AFTER_TOKENS) {
        throw new IllegalArgumentException(
            "ARREARS_1113_AFTER_TOKENS is a threshold: use arrearsAfterTokens(n); kinds: "
                + Arrays.toString(FaultKind.values()));
      }
    }
  }
}
