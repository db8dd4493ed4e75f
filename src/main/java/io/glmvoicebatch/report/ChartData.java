package io.glmvoicebatch.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * What the charts draw, folded one item at a time so no chart needs every item held: the latencies (one
 * number each), the {@link Charts#MAX_BARS} most expensive items, and an even random sample of at most
 * {@link #MAX_POINTS} points for the scatter. Each keeps the count it summarizes, for honest titles.
 */
final class ChartData {
  /** The scatter draws at most this many points (a page of 100,000 SVG circles would not open). */
  static final int MAX_POINTS = 500;

  private double[] latencies = new double[1024];
  int latencyCount;
  /** The most expensive items so far, cheapest first (a min-heap of at most MAX_BARS). */
  private final PriorityQueue<Costly> costly = new PriorityQueue<>(Comparator.comparing(Costly::cost));
  int costedItems;
  String currency;
  /** Reservoir sample of (seconds sent, prompt tokens, id); seeded so a report is reproducible. */
  private final List<Point> points = new ArrayList<>();
  int pointCount;
  private final Random random = new Random(17);

  record Costly(String id, BigDecimal cost) {}

  record Point(String id, double secondsSent, long promptTokens) {}

  void add(ReportItem i) {
    if (i.latencyMs() != null) {
      if (latencyCount == latencies.length) {
        latencies = Arrays.copyOf(latencies, latencies.length * 2);
      }
      latencies[latencyCount++] = i.latencyMs();
    }
    if (i.cost() != null) {
      try {
        costly.add(new Costly(i.id(), new BigDecimal(i.cost())));
        costedItems++;
        currency = i.currency();
        if (costly.size() > Charts.MAX_BARS) {
          costly.poll();
        }
      } catch (NumberFormatException ignored) {
        // not a number: the table still shows it
      }
    }
    if (i.promptTokens() != null && i.secondsSent() != null) {
      pointCount++;
      Point p = new Point(i.id(), i.secondsSent(), i.promptTokens());
      if (points.size() < MAX_POINTS) {
        points.add(p);
      } else {
        int slot = random.nextInt(pointCount);
        if (slot < MAX_POINTS) {
          points.set(slot, p);
        }
      }
    }
  }

  double[] latencies() {
    return Arrays.copyOf(latencies, latencyCount);
  }

  /** The most expensive items, most expensive first. */
  List<Costly> mostExpensive() {
    List<Costly> top = new ArrayList<>(costly);
    top.sort(Comparator.comparing(Costly::cost).reversed());
    return top;
  }

  List<Point> points() {
    return points;
  }
}
