package io.glmvoicebatch.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's charts as inline SVG generated here, so the page needs no chart library and the charts
 * show even with scripts off. Every label and tooltip goes through {@link Html#escape}.
 */
final class Charts {
  static final int W = 560;
  static final int H = 240;
  private static final int LEFT = 60;
  private static final int RIGHT = 16;
  private static final int TOP = 14;
  private static final int BOTTOM = 42;
  /** Horizontal bar charts show at most this many bars. */
  static final int MAX_BARS = 25;

  private Charts() {}

  /** Histogram of the latencies (ms) of the items that have one. */
  static String latencyHistogram(double[] latencies) {
    List<Double> v = new ArrayList<>(latencies.length);
    for (double x : latencies) {
      v.add(x);
    }
    if (v.isEmpty()) {
      return empty("Latency distribution", "no item has a latency (nothing was sent)");
    }
    double min = v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double step = niceStep(Math.max(max - min, Math.max(1, max * 0.1)), 16);
    double lo = Math.floor(min / step) * step;
    int bins = Math.max(1, (int) Math.floor((max - lo) / step) + 1);
    int[] counts = new int[bins];
    for (double x : v) {
      counts[Math.min(bins - 1, (int) Math.floor((x - lo) / step))]++;
    }
    int top = 0;
    for (int c : counts) {
      top = Math.max(top, c);
    }
    double yMax = niceMax(top);
    StringBuilder sb = open("Latency distribution: items per latency bin (ms)");
    yAxis(sb, yMax, "items");
    double pw = W - LEFT - RIGHT;
    double bw = pw / bins;
    int labelEvery = Math.max(1, (int) Math.ceil(bins / 8.0));
    for (int b = 0; b < bins; b++) {
      double x = LEFT + b * bw;
      double h = counts[b] / yMax * (H - TOP - BOTTOM);
      double a = lo + b * step;
      sb.append("<rect class=\"bar\" x=\"").append(f(x + 1)).append("\" y=\"").append(f(H - BOTTOM - h))
          .append("\" width=\"").append(f(Math.max(1, bw - 2))).append("\" height=\"").append(f(h)).append("\">")
          .append("<title>").append(Html.escape(num(a) + "–" + num(a + step) + " ms: " + counts[b] + " item"
              + (counts[b] == 1 ? "" : "s"))).append("</title></rect>");
      if (b % labelEvery == 0) {
        xLabel(sb, x, num(a));
      }
    }
    xLabel(sb, LEFT + bins * bw, num(lo + bins * step));
    axisTitle(sb, "latency (ms)");
    return sb.append("</svg>").toString();
  }

  /** Horizontal bars of the most expensive items, largest first. */
  static String costPerItem(ChartData d) {
    List<ChartData.Costly> shown = d.mostExpensive();
    if (shown.isEmpty()) {
      return empty("Cost per item", "no item has a cost");
    }
    List<String> labels = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    List<String> valueText = new ArrayList<>();
    for (ChartData.Costly c : shown) {
      labels.add(c.id());
      values.add(c.cost().doubleValue());
      valueText.add(c.cost().toPlainString());
    }
    return hbars(costTitle(d), labels, values, valueText, d.currency == null ? "" : " " + d.currency);
  }

  /** Says how many of how many items the cost chart shows. */
  static String costTitle(ChartData d) {
    String unit = d.currency == null ? "" : " (" + d.currency + ")";
    return d.costedItems > MAX_BARS
        ? "Cost per item" + unit + ": the " + MAX_BARS + " most expensive of " + String.format(Locale.ROOT, "%,d",
            d.costedItems) + " items"
        : "Cost per item" + unit + ": all " + d.costedItems + " item" + (d.costedItems == 1 ? "" : "s") + " with a cost";
  }

  /** Horizontal bars of failed items per error code. */
  static String failuresByCode(Map<String, Integer> byCode) {
    if (byCode.isEmpty()) {
      return empty("Failures by error code", "no failures");
    }
    List<Map.Entry<String, Integer>> e = new ArrayList<>(byCode.entrySet());
    e.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    List<String> labels = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    List<String> valueText = new ArrayList<>();
    for (var x : e.subList(0, Math.min(MAX_BARS, e.size()))) {
      labels.add(x.getKey());
      values.add(x.getValue().doubleValue());
      valueText.add(String.valueOf(x.getValue()));
    }
    String title = e.size() > MAX_BARS ? "Failures by error code (top " + MAX_BARS + " of " + e.size() + " codes)"
        : "Failures by error code";
    return hbars(title, labels, values, valueText, " failed");
  }

  /** Scatter of prompt tokens against seconds of audio sent: every item, or an even sample of them. */
  static String tokensVsSeconds(ChartData d) {
    List<ChartData.Point> pts = d.points();
    double xm = 0;
    double ym = 0;
    for (ChartData.Point p : pts) {
      xm = Math.max(xm, p.secondsSent());
      ym = Math.max(ym, p.promptTokens());
    }
    if (pts.isEmpty()) {
      return empty("Tokens in vs. audio seconds", "no item has both tokens and seconds sent");
    }
    double xMax = niceMax(xm);
    double yMax = niceMax(ym);
    StringBuilder sb = open(tokensTitle(d));
    yAxis(sb, yMax, "tokens in");
    double pw = W - LEFT - RIGHT;
    double xStep = niceStep(xMax, 6);
    for (double t = 0; t <= xMax + 1e-9; t += xStep) {
      double x = LEFT + t / xMax * pw;
      sb.append("<line class=\"grid\" x1=\"").append(f(x)).append("\" y1=\"").append(TOP).append("\" x2=\"")
          .append(f(x)).append("\" y2=\"").append(H - BOTTOM).append("\"/>");
      xLabel(sb, x, num(t));
    }
    for (ChartData.Point i : pts) {
      double x = LEFT + i.secondsSent() / xMax * pw;
      double y = H - BOTTOM - i.promptTokens() / yMax * (H - TOP - BOTTOM);
      sb.append("<circle class=\"dot\" cx=\"").append(f(x)).append("\" cy=\"").append(f(y)).append("\" r=\"4\">")
          .append("<title>").append(Html.escape(i.id() + ": " + num(i.secondsSent()) + " s, " + i.promptTokens()
              + " tokens in")).append("</title></circle>");
    }
    axisTitle(sb, "audio seconds sent");
    return sb.append("</svg>").toString();
  }

  /** Says whether the scatter shows every item or a sample, and of how many. */
  static String tokensTitle(ChartData d) {
    return d.pointCount > d.points().size()
        ? "Tokens in vs. audio seconds sent: a random " + d.points().size() + " of " + String.format(Locale.ROOT, "%,d",
            d.pointCount) + " items"
        : "Tokens in vs. audio seconds sent: all " + d.pointCount + " item" + (d.pointCount == 1 ? "" : "s");
  }

  /** Says how many items the histogram counts. */
  static String latencyTitle(int items) {
    return "Latency distribution: " + String.format(Locale.ROOT, "%,d", items) + " item" + (items == 1 ? "" : "s")
        + " with a latency";
  }

  private static String hbars(String title, List<String> labels, List<Double> values, List<String> valueText,
      String unit) {
    int rowH = 20;
    int labelW = 170;
    int valueW = 90;
    int h = TOP + labels.size() * rowH + 8;
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    if (max <= 0) {
      max = 1;
    }
    StringBuilder sb = new StringBuilder();
    sb.append("<svg class=\"chart hbars\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(W).append(' ')
        .append(h).append("\" role=\"img\" aria-label=\"").append(Html.escape(title)).append("\">");
    double pw = W - labelW - valueW - RIGHT;
    for (int k = 0; k < labels.size(); k++) {
      double y = TOP + k * rowH;
      double bw = Math.max(1, values.get(k) / max * pw);
      String label = labels.get(k);
      String shortLabel = label.length() > 26 ? label.substring(0, 25) + "…" : label;
      sb.append("<g><title>").append(Html.escape(label + ": " + valueText.get(k) + unit)).append("</title>")
          .append("<text class=\"lbl\" x=\"").append(labelW - 6).append("\" y=\"").append(f(y + 14))
          .append("\" text-anchor=\"end\">").append(Html.escape(shortLabel)).append("</text>")
          .append("<rect class=\"bar\" x=\"").append(labelW).append("\" y=\"").append(f(y + 3)).append("\" width=\"")
          .append(f(bw)).append("\" height=\"").append(rowH - 6).append("\"/>")
          .append("<text class=\"val\" x=\"").append(f(labelW + bw + 6)).append("\" y=\"").append(f(y + 14))
          .append("\">").append(Html.escape(valueText.get(k))).append("</text></g>");
    }
    return sb.append("</svg>").toString();
  }

  private static StringBuilder open(String label) {
    return new StringBuilder(4096).append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(W).append(' ').append(H).append("\" role=\"img\" aria-label=\"").append(Html.escape(label))
        .append("\">");
  }

  private static void yAxis(StringBuilder sb, double yMax, String title) {
    double step = niceStep(yMax, 5);
    double ph = H - TOP - BOTTOM;
    for (double t = 0; t <= yMax + 1e-9; t += step) {
      double y = H - BOTTOM - t / yMax * ph;
      sb.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" y1=\"").append(f(y)).append("\" x2=\"")
          .append(W - RIGHT).append("\" y2=\"").append(f(y)).append("\"/>")
          .append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4))
          .append("\" text-anchor=\"end\">").append(Html.escape(num(t))).append("</text>");
    }
    sb.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(H - BOTTOM).append("\" x2=\"")
        .append(W - RIGHT).append("\" y2=\"").append(H - BOTTOM).append("\"/>")
        .append("<text class=\"axis-title\" transform=\"translate(14 ").append((TOP + H - BOTTOM) / 2)
        .append(") rotate(-90)\" text-anchor=\"middle\">").append(Html.escape(title)).append("</text>");
  }

  private static void xLabel(StringBuilder sb, double x, String text) {
    sb.append("<text class=\"tick\" x=\"").append(f(x)).append("\" y=\"").append(H - BOTTOM + 16)
        .append("\" text-anchor=\"middle\">").append(Html.escape(text)).append("</text>");
  }

  private static void axisTitle(StringBuilder sb, String title) {
    sb.append("<text class=\"axis-title\" x=\"").append((LEFT + W - RIGHT) / 2).append("\" y=\"").append(H - 6)
        .append("\" text-anchor=\"middle\">").append(Html.escape(title)).append("</text>");
  }

  private static String empty(String title, String why) {
    return "<svg class=\"chart empty\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + W + " 80\" role=\"img\""
        + " aria-label=\"" + Html.escape(title + ": " + why) + "\"><text class=\"tick\" x=\"" + W / 2
        + "\" y=\"44\" text-anchor=\"middle\">" + Html.escape(why) + "</text></svg>";
  }

  /** A 1, 2 or 5 times a power of ten step giving about {@code target} steps over {@code range}. */
  static double niceStep(double range, int target) {
    if (!(range > 0)) {
      return 1;
    }
    double raw = range / target;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double n = raw / mag;
    double m = n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10;
    return m * mag;
  }

  /** The smallest multiple of a nice step that is at least {@code max} (and above zero). */
  static double niceMax(double max) {
    if (!(max > 0)) {
      return 1;
    }
    double step = niceStep(max, 5);
    return Math.ceil(max / step - 1e-9) * step;
  }

  static String num(double v) {
    if (Math.abs(v - Math.rint(v)) < 1e-9 && Math.abs(v) < 1e15) {
      return Long.toString(Math.round(v));
    }
    String s = String.format(Locale.ROOT, "%.3f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
