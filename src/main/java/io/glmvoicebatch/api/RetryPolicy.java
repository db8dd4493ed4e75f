package io.glmvoicebatch.api;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which failures are retried, how often and how long to wait, and which stop the batch. Backoff is
 * "full jitter": uniform in [0, min(maxDelay, baseDelay * 2^(n-1))], times {@link
 * #overloadedMultiplier()} for overload codes.
 */
public final class RetryPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Service codes retried by default: 1302 concurrency exceeded, 1303 frequency, 1305 overloaded, 500,
   * 1200/1230/1234 internal errors [C]; 1120 "temporarily inaccessible" (slowly) [C]; plus HTTP 408 and
   * 429 without a service code, as the official Python SDK does [I].
   */
  public static final Set<String> DEFAULT_RETRYABLE_CODES =
      Set.of("1302", "1303", "1305", "500", "1200", "1230", "1234", "1120", "http_408", "http_429");
  /** Codes that get the longer backoff ({@link #overloadedMultiplier()}): 1305 overloaded, 1120 [C "slowly"]. */
  public static final Set<String> DEFAULT_OVERLOADED_CODES = Set.of("1305", "1120");
  /**
   * Codes that stop the whole batch besides any HTTP 401: 1113 in arrears [C]; the 401 auth codes
   * 1000-1005 when sent with another status; 1110/1111/1112/1121 account inactive/missing/locked and
   * 1304 daily quota reached, since every later request would fail the same way [I].
   */
  public static final Set<String> DEFAULT_STOP_BATCH_CODES =
      Set.of("1113", "1000", "1001", "1002", "1003", "1004", "1005", "1110", "1111", "1112", "1121", "1304");
  /** Never retried whatever the configuration: bad parameters, unknown model, prompt too long, unsafe content. */
  public static final Set<String> NEVER_RETRY_CODES =
      Set.of("1210", "1211", "1212", "1213", "1214", "1215", "1261", "1301");

  public static final int DEFAULT_MAX_ATTEMPTS = 6;
  public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(500);
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(8);
  /** [I] How much longer to back off on an overload code than on other retryable errors. */
  public static final double DEFAULT_OVERLOADED_MULTIPLIER = 4.0;

  private final int maxAttempts;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final double overloadedMultiplier;
  private final Set<String> retryableCodes;
  private final Set<String> overloadedCodes;
  private final Set<String> stopBatchCodes;
  private final boolean retryServerErrors;
  private final boolean retryTimeouts;
  private final boolean retryConnectionFailures;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.baseDelay = b.baseDelay;
    this.maxDelay = b.maxDelay;
    this.overloadedMultiplier = b.overloadedMultiplier;
    this.retryableCodes = Set.copyOf(b.retryableCodes);
    this.overloadedCodes = Set.copyOf(b.overloadedCodes);
    this.stopBatchCodes = Set.copyOf(b.stopBatchCodes);
    this.retryServerErrors = b.retryServerErrors;
    this.retryTimeouts = b.retryTimeouts;
    this.retryConnectionFailures = b.retryConnectionFailures;
  }

  public static RetryPolicy defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Attempts per item including the first; 1 disables retries. */
  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration baseDelay() {
    return baseDelay;
  }

  public Duration maxDelay() {
    return maxDelay;
  }

  public double overloadedMultiplier() {
    return overloadedMultiplier;
  }

  public Set<String> retryableCodes() {
    return retryableCodes;
  }

  public Set<String> overloadedCodes() {
    return overloadedCodes;
  }

  public Set<String> stopBatchCodes() {
    return stopBatchCodes;
  }

  /** HTTP 5xx without a service code, or with a code in no other table. */
  public boolean retryServerErrors() {
    return retryServerErrors;
  }

  /**
   * Timeouts before the request was fully sent (connect, upload). A timeout after it was sent is never
   * retried: the service may have billed it ({@link ApiError#uncertain()}).
   */
  public boolean retryTimeouts() {
    return retryTimeouts;
  }

  /** Connections refused or broken before the request was fully sent; after that, see {@link #retryTimeouts()}. */
  public boolean retryConnectionFailures() {
    return retryConnectionFailures;
  }

  /** Whether an error with this service (or "http_NNN") code and HTTP status is transient. */
  boolean retryable(String code, int httpStatus) {
    if (NEVER_RETRY_CODES.contains(code) || stopsBatch(code, httpStatus)) {
      return false;
    }
    if (retryableCodes.contains(code)) {
      return true;
    }
    return httpStatus >= 500 && httpStatus <= 599 && retryServerErrors;
  }

  boolean stopsBatch(String code, int httpStatus) {
    return httpStatus == 401 || stopBatchCodes.contains(code);
  }

  /** Wait before attempt {@code failedAttempt + 1}. */
  long backoffMillis(int failedAttempt, String code) {
    double cap = Math.min((double) maxDelay.toMillis(),
        baseDelay.toMillis() * Math.pow(2, Math.max(0, failedAttempt - 1)));
    if (overloadedCodes.contains(code)) {
      cap *= overloadedMultiplier;
    }
    return (long) (ThreadLocalRandom.current().nextDouble() * cap);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy p
        && p.maxAttempts == maxAttempts
        && p.baseDelay.equals(baseDelay)
        && p.maxDelay.equals(maxDelay)
        && p.overloadedMultiplier == overloadedMultiplier
        && p.retryableCodes.equals(retryableCodes)
        && p.overloadedCodes.equals(overloadedCodes)
        && p.stopBatchCodes.equals(stopBatchCodes)
        && p.retryServerErrors == retryServerErrors
        && p.retryTimeouts == retryTimeouts
        && p.retryConnectionFailures == retryConnectionFailures;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, baseDelay, maxDelay, overloadedMultiplier, retryableCodes, overloadedCodes,
        stopBatchCodes, retryServerErrors, retryTimeouts, retryConnectionFailures);
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts=" + maxAttempts + ", baseDelay=" + baseDelay + ", maxDelay=" + maxDelay
        + ", overloadedMultiplier=" + overloadedMultiplier + ", retryable=" + new TreeSet<>(retryableCodes)
        + ", overloaded=" + new TreeSet<>(overloadedCodes) + ", stopBatch=" + new TreeSet<>(stopBatchCodes)
        + ", 5xx=" + retryServerErrors + ", timeouts=" + retryTimeouts + ", connection=" + retryConnectionFailures
        + "]";
  }

  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration baseDelay = DEFAULT_BASE_DELAY;
    private Duration maxDelay = DEFAULT_MAX_DELAY;
    private double overloadedMultiplier = DEFAULT_OVERLOADED_MULTIPLIER;
    private Set<String> retryableCodes = DEFAULT_RETRYABLE_CODES;
    private Set<String> overloadedCodes = DEFAULT_OVERLOADED_CODES;
    private Set<String> stopBatchCodes = DEFAULT_STOP_BATCH_CODES;
    private boolean retryServerErrors = true;
    private boolean retryTimeouts = true;
    private boolean retryConnectionFailures = true;

    private Builder() {}

    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 100) {
        throw new IllegalArgumentException("maxAttempts must be 1..100: " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder baseDelay(Duration baseDelay) {
      this.baseDelay = nonNegative(baseDelay, "baseDelay");
      return this;
    }

    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = nonNegative(maxDelay, "maxDelay");
      return this;
    }

    public Builder overloadedMultiplier(double overloadedMultiplier) {
      if (!(overloadedMultiplier >= 1.0 && overloadedMultiplier <= 100.0)) {
        throw new IllegalArgumentException("overloadedMultiplier must be 1..100: " + overloadedMultiplier);
      }
      this.overloadedMultiplier = overloadedMultiplier;
      return this;
    }

    /** Service codes (and "http_NNN" codes) to retry; the never-retry codes are refused. */
    public Builder retryableCodes(Set<String> codes) {
      for (String c : codes) {
        if (NEVER_RETRY_CODES.contains(c)) {
          throw new IllegalArgumentException("code " + c + " is never retryable: the same request fails the same way");
        }
      }
      this.retryableCodes = Set.copyOf(codes);
      return this;
    }

    public Builder overloadedCodes(Set<String> codes) {
      this.overloadedCodes = Set.copyOf(codes);
      return this;
    }

    public Builder stopBatchCodes(Set<String> codes) {
      this.stopBatchCodes = Set.copyOf(codes);
      return this;
    }

    public Builder retryServerErrors(boolean retry) {
      this.retryServerErrors = retry;
      return this;
    }

    public Builder retryTimeouts(boolean retry) {
      this.retryTimeouts = retry;
      return this;
    }

    public Builder retryConnectionFailures(boolean retry) {
      this.retryConnectionFailures = retry;
      return this;
    }

    public RetryPolicy build() {
      if (maxDelay.compareTo(baseDelay) < 0) {
        throw new IllegalArgumentException("maxDelay " + maxDelay + " is below baseDelay " + baseDelay);
      }
      return new RetryPolicy(this);
    }

    private static Duration nonNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " is negative: " + d);
      }
      return d;
    }
  }
}
