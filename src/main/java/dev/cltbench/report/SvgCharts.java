package dev.cltbench.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written inline SVG charts for the HTML report: a grouped bar chart with optional 95% CI error
 * bars and a labelled scatter plot. Hand-written because the page must be one self-contained,
 * byte-stable file: no JavaScript charting library qualifies, and the JVM plotting libraries render
 * raster images or pull in large toolkits. Geometry is exposed through class names ({@code bar},
 * {@code ci-stem}, {@code tick}, {@code point}) so tests can check it against the axes.
 */
final class SvgCharts {
  static final double WIDTH = 960;
  static final String FONT = "'DejaVu Sans','Noto Sans','Segoe UI',Arial,sans-serif";

  /** Okabe-Ito colours (colour-blind safe), yellow dropped for contrast on white. */
  static final List<String> SERIES_COLORS =
      List.of("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#999999");
  /** Paul Tol's muted scheme for the scatter's families, so they don't read as conditions. */
  static final List<String> GROUP_COLORS =
      List.of("#332288", "#117733", "#AA4499", "#44AA99", "#882255", "#DDCC77", "#88CCEE", "#CC6677");

  private SvgCharts() {}

  static String color(List<String> palette, int i) {
    return palette.get(i % palette.size());
  }

  // ---------------------------------------------------------------- grouped bars

  /** One bar; {@code low}/{@code high} are NaN when there is no interval. */
  record Bar(String cluster, String series, double value, double low, double high) {}

  /** A series of a grouped bar chart: key (matches {@link Bar#series}), legend label, fill. */
  record Series(String key, String label, String color) {}

  /**
   * A cluster on the x axis: key (matches {@link Bar#cluster}), label, and an optional group (null for
   * none): consecutive clusters of one group sit closer together, with the group named beneath them.
   */
  record Cluster(String key, String label, String group) {
    Cluster(String key, String label) {
      this(key, label, null);
    }
  }

  /**
   * Bars on a 0..100 % axis, clusters along x, series side by side within a cluster. With one series
   * and {@code colorByCluster}, each cluster's bar takes its own colour and no legend is drawn.
   */
  static String groupedBars(
      String id,
      String title,
      String desc,
      String yLabel,
      List<Cluster> clusters,
      List<Series> series,
      List<Bar> bars,
      List<String> clusterColors) {
    double left = 72;
    double right = 20;
    // Rotated x labels hang down-left from their cluster: widen the left margin if the first ones
    // would leave the picture.
    double cos = Math.cos(Math.toRadians(35));
    double estSlot = (WIDTH - left - right) / clusters.size();
    boolean mayRotate = false;
    for (Cluster c : clusters) {
      for (String part : c.label().split(" · ")) {
        mayRotate |= textWidth(part, 12) > estSlot - 6;
      }
    }
    if (mayRotate) {
      double need = left;
      for (int i = 0; i < clusters.size(); i++) {
        need = Math.max(need, textWidth(clusters.get(i).label(), 12) * cos + 6 - estSlot * (i + 0.5));
      }
      left = need;
    }
    double plotW = WIDTH - left - right;
    // Groups of clusters are separated by an extra GAP of a slot's width.
    final double gap = 0.7;
    int[] groupIndex = new int[clusters.size()];
    List<String> groupNames = new ArrayList<>();
    for (int i = 0; i < clusters.size(); i++) {
      String g = clusters.get(i).group();
      if (i > 0 && !java.util.Objects.equals(g, clusters.get(i - 1).group())) {
        groupNames.add(g);
      } else if (i == 0) {
        groupNames.add(g);
      }
      groupIndex[i] = groupNames.size() - 1;
    }
    boolean grouped = clusters.stream().anyMatch(c -> c.group() != null);
    double slot = plotW / (clusters.size() + (groupNames.size() - 1) * gap);
    double groupW = slot * (series.size() == 1 ? 0.6 : 0.82);
    double barW = groupW / series.size();
    boolean legend = clusterColors == null || series.size() > 1;

    // Legend rows, wrapped to the plot width.
    List<double[]> legendPos = new ArrayList<>();
    double lx = left;
    double ly = 50;
    if (legend) {
      for (Series s : series) {
        double w = 18 + textWidth(s.label(), 12) + 22;
        if (lx + w > WIDTH - right && lx > left) {
          lx = left;
          ly += 20;
        }
        legendPos.add(new double[] {lx, ly});
        lx += w;
      }
    }
    double plotTop = (legend ? ly + 30 : 52);
    double plotH = 300;
    double plotBottom = plotTop + plotH;

    // x labels: one line if they fit, else split at " · " onto lines, else rotated.
    double maxLabel = 0;
    double maxLine = 0;
    int maxLines = 1;
    for (Cluster c : clusters) {
      maxLabel = Math.max(maxLabel, textWidth(c.label(), 12));
      for (String part : c.label().split(" · ")) {
        maxLine = Math.max(maxLine, textWidth(part, 12));
      }
      maxLines = Math.max(maxLines, c.label().split(" · ").length);
    }
    boolean split = maxLabel > slot - 6 && maxLine <= slot - 6;
    boolean rotate = maxLabel > slot - 6 && !split;
    double bottom = rotate ? 24 + maxLabel * Math.sin(Math.toRadians(35)) + 14
        : split ? 30 + 15 * maxLines : 44;
    double groupLabelY = plotBottom + bottom - 6;
    if (grouped) {
      bottom += 22;
      groupLabelY = plotBottom + bottom - 10;
    }
    double height = Math.ceil(plotBottom + bottom);

    Scale y = Scale.linear(0, 100, plotBottom, plotTop);
    StringBuilder sb = new StringBuilder();
    open(sb, id, title, desc, height);
    sb.append("<text class=\"chart-title\" x=\"").append(px(left)).append("\" y=\"24\">")
        .append(esc(title)).append("</text>\n");
    if (legend) {
      for (int i = 0; i < series.size(); i++) {
        Series s = series.get(i);
        double[] p = legendPos.get(i);
        sb.append("<g class=\"legend-item\"><rect x=\"").append(px(p[0])).append("\" y=\"")
            .append(px(p[1] - 10)).append("\" width=\"14\" height=\"14\" fill=\"").append(s.color())
            .append("\"/><text x=\"").append(px(p[0] + 20)).append("\" y=\"").append(px(p[1] + 1.5))
            .append("\">").append(esc(s.label())).append("</text></g>\n");
      }
    }
    yAxis(sb, y, List.of(0.0, 20.0, 40.0, 60.0, 80.0, 100.0), left, WIDTH - right, yLabel, plotTop,
        plotBottom);

    for (int ci = 0; ci < clusters.size(); ci++) {
      Cluster c = clusters.get(ci);
      double cx = left + slot * (ci + 0.5 + groupIndex[ci] * gap);
      double gx = cx - groupW / 2;
      for (int si = 0; si < series.size(); si++) {
        Series s = series.get(si);
        Bar bar = find(bars, c.key(), s.key());
        if (bar == null || Double.isNaN(bar.value())) {
          continue;
        }
        String fill = clusterColors != null && series.size() == 1 ? clusterColors.get(ci) : s.color();
        double x = gx + barW * si + 1;
        double w = barW - 2;
        double top = y.map(clamp(bar.value(), 0, 100));
        String tip = c.label() + (series.size() > 1 ? " · " + s.label() : "") + ": "
            + NumberFormats.fixed(bar.value(), 1) + "%"
            + (Double.isNaN(bar.low()) ? "" : " (95% CI " + NumberFormats.fixed(bar.low(), 1) + "–"
                + NumberFormats.fixed(bar.high(), 1) + ")");
        sb.append("<rect class=\"bar\" data-cluster=\"").append(esc(c.key())).append("\" data-series=\"")
            .append(esc(s.key())).append("\" x=\"").append(px(x)).append("\" y=\"").append(px(top))
            .append("\" width=\"").append(px(w)).append("\" height=\"").append(px(plotBottom - top))
            .append("\" fill=\"").append(fill).append("\"><title>").append(esc(tip))
            .append("</title></rect>\n");
        double labelY = top - 4;
        if (!Double.isNaN(bar.low()) && !Double.isNaN(bar.high())) {
          double yl = y.map(clamp(bar.low(), 0, 100));
          double yh = y.map(clamp(bar.high(), 0, 100));
          double mx = x + w / 2;
          double cap = Math.min(w * 0.25, 6);
          sb.append("<g class=\"ci\" data-cluster=\"").append(esc(c.key())).append("\" data-series=\"")
              .append(esc(s.key())).append("\">")
              // A light halo under the error bar, so it stays visible over a dark bar.
              .append(line("ci-halo", mx, yh, mx, yl))
              .append(line("ci-halo", mx - cap, yh, mx + cap, yh))
              .append(line("ci-halo", mx - cap, yl, mx + cap, yl))
              .append(line("ci-stem", mx, yh, mx, yl))
              .append(line("ci-cap", mx - cap, yh, mx + cap, yh))
              .append(line("ci-cap", mx - cap, yl, mx + cap, yl))
              .append("</g>\n");
          labelY = Math.min(labelY, yh - 4);
        }
        if (w >= 30) {
          sb.append("<text class=\"value\" x=\"").append(px(x + w / 2)).append("\" y=\"")
              .append(px(labelY)).append("\">").append(NumberFormats.fixed(bar.value(), 1))
              .append("</text>\n");
        }
      }
      if (rotate) {
        double ty = plotBottom + 16;
        sb.append("<text class=\"x-label rotated\" transform=\"translate(").append(px(cx)).append(',')
            .append(px(ty)).append(") rotate(-35)\">").append(esc(c.label())).append("</text>\n");
      } else if (split) {
        sb.append("<text class=\"x-label\" x=\"").append(px(cx)).append("\" y=\"")
            .append(px(plotBottom + 20)).append("\">");
        String[] parts = c.label().split(" · ");
        for (int k = 0; k < parts.length; k++) {
          sb.append("<tspan x=\"").append(px(cx)).append("\" dy=\"").append(k == 0 ? "0" : "15")
              .append("\">").append(esc(parts[k])).append("</tspan>");
        }
        sb.append("</text>\n");
      } else {
        sb.append("<text class=\"x-label\" x=\"").append(px(cx)).append("\" y=\"")
            .append(px(plotBottom + 20)).append("\">").append(esc(c.label())).append("</text>\n");
      }
    }
    if (grouped) {
      for (int g = 0; g < groupNames.size(); g++) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < clusters.size(); i++) {
          if (groupIndex[i] == g) {
            first = first < 0 ? i : first;
            last = i;
          }
        }
        double x0 = left + slot * (first + groupIndex[first] * gap) + 4;
        double x1 = left + slot * (last + 1 + groupIndex[last] * gap) - 4;
        sb.append("<g class=\"group-label\">")
            .append(line("group-rule", x0, groupLabelY - 16, x1, groupLabelY - 16))
            .append("<text x=\"").append(px((x0 + x1) / 2)).append("\" y=\"").append(px(groupLabelY))
            .append("\">").append(esc(groupNames.get(g) == null ? "" : groupNames.get(g)))
            .append("</text></g>\n");
      }
    }
    sb.append(line("axis", left, plotBottom, WIDTH - right, plotBottom)).append('\n');
    sb.append("</svg>");
    return sb.toString();
  }

  private static Bar find(List<Bar> bars, String cluster, String series) {
    for (Bar b : bars) {
      if (b.cluster().equals(cluster) && b.series().equals(series)) {
        return b;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- scatter

  /** A point: group picks colour and marker, label is written beside it. */
  record Point(String group, String label, double x, double y, String tooltip) {}

  /**
   * Points on x (seconds; log scale when the values span a factor of 8 or more) and y (0..100 %).
   * Labels are placed beside their points, trying eight positions and keeping the first that overlaps
   * no other label or marker (deterministic: points are placed in input order).
   */
  static String scatter(
      String id, String title, String desc, String xLabel, String yLabel, List<String> groups,
      List<Point> points) {
    double left = 72;
    double right = 24;
    double lx = left;
    double ly = 50;
    List<double[]> legendPos = new ArrayList<>();
    for (String g : groups) {
      double w = 18 + textWidth(g, 12) + 22;
      if (lx + w > WIDTH - right && lx > left) {
        lx = left;
        ly += 20;
      }
      legendPos.add(new double[] {lx, ly});
      lx += w;
    }
    double plotTop = ly + 30;
    double plotH = 420;
    double plotBottom = plotTop + plotH;
    double height = plotBottom + 56;

    double minX = Double.POSITIVE_INFINITY;
    double maxX = 0;
    for (Point p : points) {
      minX = Math.min(minX, p.x());
      maxX = Math.max(maxX, p.x());
    }
    boolean log = minX > 0 && maxX / minX >= 8;
    Scale x;
    List<Double> xTicks;
    if (log) {
      double lo = Math.pow(10, Math.floor(Math.log10(minX)));
      double hi = Math.pow(10, Math.ceil(Math.log10(maxX)));
      // Trim to the 1-2-5 steps around the data so the points use the width.
      List<Double> steps = new ArrayList<>();
      for (double d = lo; d <= hi * 1.0001; d *= 10) {
        for (double m : new double[] {1, 2, 5}) {
          steps.add(d * m);
        }
      }
      double a = lo;
      double b = hi;
      for (double s : steps) {
        if (s <= minX) {
          a = s;
        }
      }
      for (int i = steps.size() - 1; i >= 0; i--) {
        if (steps.get(i) >= maxX) {
          b = steps.get(i);
        }
      }
      x = Scale.log(a, b, left + 10, WIDTH - right - 10);
      xTicks = new ArrayList<>();
      for (double s : steps) {
        if (s >= a * 0.9999 && s <= b * 1.0001) {
          xTicks.add(s);
        }
      }
    } else {
      double step = niceStep(maxX / 6);
      double b = Math.max(step, Math.ceil(maxX / step) * step);
      x = Scale.linear(0, b, left, WIDTH - right - 10);
      xTicks = new ArrayList<>();
      // Ticks as multiples of the step, not a running sum (0.1 + 0.1 + 0.1 is 0.30000000000000004).
      for (int i = 0; i * step <= b + step / 1000; i++) {
        xTicks.add(i * step);
      }
    }
    Scale y = Scale.linear(0, 100, plotBottom, plotTop);

    StringBuilder sb = new StringBuilder();
    open(sb, id, title, desc, Math.ceil(height));
    sb.append("<text class=\"chart-title\" x=\"").append(px(left)).append("\" y=\"24\">")
        .append(esc(title)).append("</text>\n");
    for (int i = 0; i < groups.size(); i++) {
      double[] p = legendPos.get(i);
      sb.append("<g class=\"legend-item\">")
          .append(marker(i, p[0] + 7, p[1] - 3, color(GROUP_COLORS, i), null))
          .append("<text x=\"").append(px(p[0] + 20)).append("\" y=\"").append(px(p[1] + 1.5))
          .append("\">").append(esc(groups.get(i))).append("</text></g>\n");
    }
    yAxis(sb, y, List.of(0.0, 20.0, 40.0, 60.0, 80.0, 100.0), left, WIDTH - right, yLabel, plotTop,
        plotBottom);
    sb.append("<g class=\"x-axis\">\n");
    for (double t : xTicks) {
      double tx = x.map(t);
      sb.append("<g class=\"tick\">").append(line("grid", tx, plotTop, tx, plotBottom))
          .append("<text x=\"").append(px(tx)).append("\" y=\"").append(px(plotBottom + 18))
          .append("\">").append(tickText(t)).append("</text></g>\n");
    }
    sb.append("<text class=\"axis-title\" x=\"").append(px((left + WIDTH - right) / 2)).append("\" y=\"")
        .append(px(plotBottom + 44)).append("\">").append(esc(xLabel + (log ? " (log scale)" : "")))
        .append("</text>\n</g>\n");
    sb.append(line("axis", left, plotBottom, WIDTH - right, plotBottom)).append('\n');

    // Markers first, then labels placed around them.
    List<double[]> occupied = new ArrayList<>();
    double[][] centres = new double[points.size()][];
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      int g = Math.max(0, groups.indexOf(p.group()));
      double cx = x.map(p.x());
      double cy = y.map(clamp(p.y(), 0, 100));
      centres[i] = new double[] {cx, cy};
      occupied.add(new double[] {cx - 6, cy - 6, cx + 6, cy + 6});
      sb.append("<g class=\"point\" data-group=\"").append(esc(p.group())).append("\" data-label=\"")
          .append(esc(p.label())).append("\">")
          .append(marker(g, cx, cy, color(GROUP_COLORS, g), p.tooltip())).append("</g>\n");
    }
    double[][] offsets = {
      {9, 4, 0}, {-9, 4, 2}, {0, -10, 1}, {0, 17, 1}, {7, -8, 0}, {7, 15, 0}, {-7, -8, 2}, {-7, 15, 2},
      {16, 4, 0}, {-16, 4, 2}, {0, -20, 1}, {0, 27, 1}
    };
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      double w = textWidth(p.label(), 11);
      double[] best = null;
      double bestOverlap = Double.POSITIVE_INFINITY;
      for (double[] o : offsets) {
        double tx = centres[i][0] + o[0];
        double ty = centres[i][1] + o[1];
        double x0 = o[2] == 0 ? tx : o[2] == 1 ? tx - w / 2 : tx - w;
        double[] box = {x0, ty - 10, x0 + w, ty + 2};
        double overlap = 0;
        for (double[] q : occupied) {
          overlap += overlapArea(box, q);
        }
        if (box[0] < left || box[2] > WIDTH - right || box[1] < plotTop - 4 || box[3] > plotBottom) {
          overlap += 1000;
        }
        if (overlap < bestOverlap) {
          bestOverlap = overlap;
          best = new double[] {tx, ty, o[2], box[0], box[1], box[2], box[3]};
          if (overlap == 0) {
            break;
          }
        }
      }
      occupied.add(new double[] {best[3], best[4], best[5], best[6]});
      double nx = clamp(centres[i][0], best[3], best[5]);
      double ny = clamp(centres[i][1], best[4], best[6]);
      if (Math.hypot(nx - centres[i][0], ny - centres[i][1]) > 11) {
        // Far from its point: a thin leader line says which point the label belongs to.
        sb.append(line("leader", centres[i][0], centres[i][1], nx, ny)).append('\n');
      }
      String anchor = best[2] == 0 ? "start" : best[2] == 1 ? "middle" : "end";
      sb.append("<text class=\"point-label\" x=\"").append(px(best[0])).append("\" y=\"")
          .append(px(best[1])).append("\" text-anchor=\"").append(anchor).append("\">")
          .append(esc(p.label())).append("</text>\n");
    }
    sb.append("</svg>");
    return sb.toString();
  }

  private static double overlapArea(double[] a, double[] b) {
    double w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
    double h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    return w > 0 && h > 0 ? w * h : 0;
  }

  /** Circle, square, triangle, diamond, by group index. */
  private static String marker(int group, double cx, double cy, String fill, String tooltip) {
    String tip = tooltip == null ? "" : "<title>" + esc(tooltip) + "</title>";
    String common = " class=\"marker\" fill=\"" + fill + "\" stroke=\"#fff\" stroke-width=\"1\"";
    switch (group % 4) {
      case 0:
        return "<circle" + common + " cx=\"" + px(cx) + "\" cy=\"" + px(cy) + "\" r=\"5.5\">" + tip
            + "</circle>";
      case 1:
        return "<rect" + common + " x=\"" + px(cx - 5) + "\" y=\"" + px(cy - 5)
            + "\" width=\"10\" height=\"10\">" + tip + "</rect>";
      case 2:
        return "<path" + common + " d=\"M" + px(cx) + " " + px(cy - 6.5) + "L" + px(cx + 6) + " "
            + px(cy + 4.5) + "L" + px(cx - 6) + " " + px(cy + 4.5) + "Z\">" + tip + "</path>";
      default:
        return "<path" + common + " d=\"M" + px(cx) + " " + px(cy - 6.5) + "L" + px(cx + 6.5) + " "
            + px(cy) + "L" + px(cx) + " " + px(cy + 6.5) + "L" + px(cx - 6.5) + " " + px(cy) + "Z\">"
            + tip + "</path>";
    }
  }

  // ---------------------------------------------------------------- shared pieces

  private static void open(StringBuilder sb, String id, String title, String desc, double height) {
    sb.append("<svg id=\"").append(esc(id)).append("\" class=\"chart\" viewBox=\"0 0 ")
        .append(px(WIDTH)).append(' ').append(px(height)).append("\" width=\"").append(px(WIDTH))
        .append("\" height=\"").append(px(height)).append("\" role=\"img\" aria-labelledby=\"")
        .append(esc(id)).append("-title ").append(esc(id)).append("-desc\" font-family=\"")
        .append(FONT).append("\">\n");
    sb.append("<title id=\"").append(esc(id)).append("-title\">").append(esc(title)).append("</title>\n");
    sb.append("<desc id=\"").append(esc(id)).append("-desc\">").append(esc(desc)).append("</desc>\n");
  }

  private static void yAxis(StringBuilder sb, Scale y, List<Double> ticks, double left, double right,
      String label, double plotTop, double plotBottom) {
    sb.append("<g class=\"y-axis\">\n");
    for (double t : ticks) {
      double ty = y.map(t);
      sb.append("<g class=\"tick\">").append(line("grid", left, ty, right, ty))
          .append("<text x=\"").append(px(left - 8)).append("\" y=\"").append(px(ty + 4))
          .append("\">").append(tickText(t)).append("</text></g>\n");
    }
    sb.append(line("axis", left, plotTop, left, plotBottom));
    double mid = (plotTop + plotBottom) / 2;
    sb.append("<text class=\"axis-title\" transform=\"translate(20,").append(px(mid))
        .append(") rotate(-90)\">").append(esc(label)).append("</text>\n</g>\n");
  }

  private static String line(String cls, double x1, double y1, double x2, double y2) {
    return "<line class=\"" + cls + "\" x1=\"" + px(x1) + "\" y1=\"" + px(y1) + "\" x2=\"" + px(x2)
        + "\" y2=\"" + px(y2) + "\"/>";
  }

  /** A tick's value with at most 12 significant digits: a product like 3 x 0.1 reads 0.3. */
  static String tickText(double t) {
    return t == Math.rint(t) ? Long.toString((long) t)
        : new BigDecimal(t).round(new java.math.MathContext(12)).stripTrailingZeros().toPlainString();
  }

  static double niceStep(double raw) {
    if (raw <= 0) {
      return 1;
    }
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / mag;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nice * mag;
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  /** Rough advance width of sans-serif text: good enough to avoid overlaps, not for typesetting. */
  static double textWidth(String s, double size) {
    double w = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      w += c == ' ' || c == '.' || c == ',' || c == 'i' || c == 'l' || c == '|' ? 0.32
          : Character.isUpperCase(c) || c == 'm' || c == 'w' || c == 'ш' || c == 'щ' || c == 'ж'
              || c == 'м' ? 0.78 : 0.6;
    }
    return w * size;
  }

  /** Coordinates with at most 2 decimals, trailing zeros dropped: stable text for stable output. */
  static String px(double v) {
    String s = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros()
        .toPlainString();
    return s.equals("-0") ? "0" : s;
  }

  static String esc(String s) {
    return HtmlReport.escape(s);
  }

  /** A linear or log10 map from data to pixels. */
  record Scale(double d0, double d1, double r0, double r1, boolean log) {
    static Scale linear(double d0, double d1, double r0, double r1) {
      return new Scale(d0, d1, r0, r1, false);
    }

    static Scale log(double d0, double d1, double r0, double r1) {
      return new Scale(d0, d1, r0, r1, true);
    }

    double map(double v) {
      if (d1 == d0) {
        // A domain of one value (every datum equal): the middle of the range, not 0 / 0.
        return (r0 + r1) / 2;
      }
      double t = log
          ? (Math.log10(v) - Math.log10(d0)) / (Math.log10(d1) - Math.log10(d0))
          : (v - d0) / (d1 - d0);
      return r0 + t * (r1 - r0);
    }
  }
}
