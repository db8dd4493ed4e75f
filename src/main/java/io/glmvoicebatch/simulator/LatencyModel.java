package io.glmvoicebatch.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/** How long the simulated model "thinks" before replying, drawn per request from a seeded random. */
public abstract class LatencyModel {
  /** z-score of the 99th percentile of the standard normal distribution. */
  private static final double Z_99 = 2.3263478740408408;

  private LatencyModel() {}

  /** Draws one latency; never negative. */
  public abstract Duration sample(SplittableRandom random);

  /** Always the same delay: what tests use. */
  public static LatencyModel fixed(Duration delay) {
    requireNonNegative(delay, "delay");
    return new LatencyModel() {
      @Override
      public Duration sample(SplittableRandom random) {
        return delay;
      }

      @Override
      public String toString() {
        return "fixed(" + delay.toMillis() + "ms)";
      }
    };
  }

  /** Normal distribution truncated at zero. */
  public static LatencyModel normal(Duration mean, Duration stddev) {
    requireNonNegative(mean, "mean");
    requireNonNegative(stddev, "stddev");
    double mu = mean.toNanos();
    double sigma = stddev.toNanos();
    return new LatencyModel() {
      @Override
      public Duration sample(SplittableRandom random) {
        return Duration.ofNanos((long) Math.max(0, mu + sigma * gaussian(random)));
      }

      @Override
      public String toString() {
        return "normal(" + mean.toMillis() + "ms," + stddev.toMillis() + "ms)";
      }
    };
  }

  /**
   * Log-normal with the given median and 99th percentile: most replies near the median, a few very
   * slow ones, as generation services tend to behave.
   */
  public static LatencyModel longTail(Duration median, Duration p99) {
    requireNonNegative(median, "median");
    Objects.requireNonNull(p99, "p99");
    if (median.isZero() || p99.compareTo(median) < 0) {
      throw new IllegalArgumentException("longTail needs 0 < median <= p99, got " + median + ", " + p99);
    }
    double mu = Math.log(median.toNanos());
    double sigma = Math.log((double) p99.toNanos() / median.toNanos()) / Z_99;
    return new LatencyModel() {
      @Override
      public Duration sample(SplittableRandom random) {
        return Duration.ofNanos((long) Math.exp(mu + sigma * gaussian(random)));
      }

      @Override
      public String toString() {
        return "longTail(" + median.toMillis() + "ms,p99=" + p99.toMillis() + "ms)";
      }
    };
  }

  /** Box-Muller: SplittableRandom has no nextGaussian on Java 17. */
  static double gaussian(SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble(); // (0,1], keeps log finite
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static void requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
  }
}
