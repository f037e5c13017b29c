package dev.cltbench.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report's explorer: a model x condition heatmap with intervals, a forest plot of every paired
 * comparison, and the responses view (controls here, behaviour in explorer.js), plus the links from
 * table rows to the responses behind them.
 */
final class ExplorerViews {
  private ExplorerViews() {}

  /** "#explore:model=..&condition=.." for a table row, or null when the row names no responses. */
  static String link(Table t, List<Object> row) {
    Map<String, String> p = new LinkedHashMap<>();
    for (String c : List.of("model", "family", "category", "condition")) {
      int i = t.columns().indexOf(c);
      if (i >= 0 && row.get(i) != null) {
        p.put(c, row.get(i).toString());
      }
    }
    int scope = t.columns().indexOf("scope");
    int group = t.columns().indexOf("group");
    if (scope >= 0 && row.get(scope) != null) {
      String s = row.get(scope).toString();
      if (group >= 0 && (s.equals("model") || s.equals("family"))) {
        p.put(s, String.valueOf(row.get(group)));
      } else if (s.startsWith("model:") || s.startsWith("family:")) {
        p.put(s.substring(0, s.indexOf(':')), s.substring(s.indexOf(':') + 1));
      }
    }
    int treatment = t.columns().indexOf("treatment");
    int control = t.columns().indexOf("control");
    if (treatment >= 0 && control >= 0) {
      // A comparison opens its pairs: treatment and control answers to one question side by side.
      p.put("pair", row.get(treatment) + "," + row.get(control));
    }
    return p.isEmpty() ? null : href(p);
  }

  /**
   * The link of one cell: the row's link, narrowed to what that cell counts. In the language table the
   * wrong-language share opens the wrong-language answers, the top wrong language opens that language's,
   * the expected-language share the others; the remaining cells open all the row's responses.
   */
  static String link(Table t, List<Object> row, String column) {
    String base = link(t, row);
    if (base == null || !t.name().equals("language")) {
      return base;
    }
    int top = t.columns().indexOf("top_wrong_language");
    Object lang = top >= 0 ? row.get(top) : null;
    switch (column) {
      case "wrong_language_pct":
        return base + "&wrong=any";
      case "expected_language_pct":
        return base + "&wrong=none";
      case "top_wrong_language":
        return lang == null ? base : base + "&wrong=" + lang;
      default:
        return base;
    }
  }

  static String href(Map<String, String> p) {
    List<String> parts = new ArrayList<>();
    p.forEach((k, v) -> parts.add(k + "=" + v));
    return "#explore:" + String.join("&", parts);
  }

  /** The model x condition heatmap from the intervals table's model rows; empty without them. */
  static String heatmap(ReportContent content) {
    Map<String, Map<String, IntervalRow>> cells = new LinkedHashMap<>();
    LinkedHashSet<String> conditions = new LinkedHashSet<>();
    for (IntervalRow row : content.rows(IntervalRow.SCHEMA).orElse(List.of())) {
      if (!"model".equals(row.scope())) {
        continue;
      }
      conditions.add(row.condition());
      cells.computeIfAbsent(row.group(), k -> new LinkedHashMap<>()).put(row.condition(), row);
    }
    if (cells.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    sb.append("<div class=\"scroll\"><table class=\"heatmap\" id=\"heatmap\">\n<thead><tr><th>model</th>");
    for (String c : conditions) {
      sb.append("<th class=\"num\">").append(HtmlReport.escape(content.conditionLabel(c))).append("</th>");
    }
    sb.append("</tr></thead>\n<tbody>\n");
    for (Map.Entry<String, Map<String, IntervalRow>> e : cells.entrySet()) {
      sb.append("<tr><th>").append(HtmlReport.escape(e.getKey())).append("</th>");
      for (String c : conditions) {
        IntervalRow row = e.getValue().get(c);
        if (row == null) {
          sb.append("<td class=\"empty\">—</td>");
          continue;
        }
        double v = row.scorePct();
        double lo = row.ciLowPct();
        double hi = row.ciHighPct();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("model", e.getKey());
        p.put("condition", c);
        sb.append("<td class=\"heat\" style=\"background:").append(color(v)).append(";color:")
            .append(v >= 55 ? "#fff" : "#111").append("\"><a class=\"heat-cell\" data-model=\"")
            .append(HtmlReport.escape(e.getKey())).append("\" data-condition=\"").append(HtmlReport.escape(c))
            .append("\" href=\"").append(HtmlReport.escape(href(p))).append("\"><span class=\"heat-v\">")
            .append(NumberFormats.fixed(v, 1)).append("</span><span class=\"heat-ci\">")
            .append(NumberFormats.fixed(lo, 1)).append("–").append(NumberFormats.fixed(hi, 1))
            .append("</span></a></td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</tbody></table></div>\n");
    return sb.toString();
  }

  /** A sequential blue scale over 0..100 (light to dark), readable in greyscale print. */
  static String color(double pct) {
    double t = Math.max(0, Math.min(1, pct / 100));
    int r = (int) Math.round(247 + t * (8 - 247));
    int g = (int) Math.round(251 + t * (48 - 251));
    int b = (int) Math.round(255 + t * (107 - 255));
    return String.format(java.util.Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }

  /** Every row of the significance table: diff with its interval, filled when Holm-significant. */
  static String forest(ReportContent content, double alpha) {
    Optional<Table> s = content.table(SignificanceRow.SCHEMA.table()).filter(SignificanceRow.SCHEMA::fits);
    if (s.isEmpty() || s.get().rows().isEmpty()) {
      return "";
    }
    Table t = s.get();
    List<SignificanceRow> rows = SignificanceRow.SCHEMA.rows(t);
    double lo = 0;
    double hi = 0;
    for (SignificanceRow row : rows) {
      // A comparison with too few pairs has no difference or interval (NaN): it sets no axis bound.
      double l = row.ciLowPp();
      double h = row.ciHighPp();
      if (Double.isFinite(l) && Double.isFinite(h)) {
        lo = Math.min(lo, l);
        hi = Math.max(hi, h);
      }
    }
    double step = SvgCharts.niceStep((hi - lo) / 8);
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    if (hi <= lo) {
      // Every interval is [0, 0] (a constant score, or no comparison with pairs): an axis of width
      // zero would map every point to NaN; draw one step either side of the zero line.
      lo -= step;
      hi += step;
    }
    double left = 300;
    double right = SvgCharts.WIDTH - 30;
    double top = 50;
    double rowH = 20;
    double bottom = top + rowH * t.rows().size();
    SvgCharts.Scale x = SvgCharts.Scale.linear(lo, hi, left, right);
    StringBuilder sb = new StringBuilder();
    double height = bottom + 50;
    sb.append("<svg id=\"fig-forest\" class=\"chart\" viewBox=\"0 0 ").append(SvgCharts.px(SvgCharts.WIDTH))
        .append(' ').append(SvgCharts.px(height)).append("\" width=\"").append(SvgCharts.px(SvgCharts.WIDTH))
        .append("\" height=\"").append(SvgCharts.px(height))
        .append("\" role=\"img\" aria-labelledby=\"fig-forest-title fig-forest-desc\" font-family=\"")
        .append(SvgCharts.FONT).append("\">\n")
        .append("<title id=\"fig-forest-title\">Paired comparisons: transfer minus direct</title>\n")
        .append("<desc id=\"fig-forest-desc\">Forest plot of ").append(t.rows().size()).append(" paired comparisons: the mean ")
        .append("difference in percentage points with its confidence interval; filled markers have a ")
        .append("Holm-adjusted p-value below ").append(NumberFormats.fixed(alpha, 2)).append(".</desc>\n")
        .append("<text class=\"chart-title\" x=\"10\" y=\"24\">Transfer minus direct, percentage points")
        .append(" (filled: Holm-adjusted p &lt; ").append(NumberFormats.fixed(alpha, 2)).append(")</text>\n");
    for (int i = 0; i * step <= hi - lo + step / 1000; i++) {
      double v = lo + i * step;
      double px = x.map(v);
      sb.append("<g class=\"tick\"><line class=\"").append(Math.abs(v) < step / 1000 ? "axis" : "grid")
          .append("\" x1=\"").append(SvgCharts.px(px)).append("\" y1=\"").append(SvgCharts.px(top - 6))
          .append("\" x2=\"").append(SvgCharts.px(px)).append("\" y2=\"").append(SvgCharts.px(bottom))
          .append("\"/><text x=\"").append(SvgCharts.px(px)).append("\" y=\"").append(SvgCharts.px(bottom + 16))
          .append("\" text-anchor=\"middle\">").append(SvgCharts.tickText(v)).append("</text></g>\n");
    }
    sb.append("<text class=\"axis-title\" x=\"").append(SvgCharts.px((left + right) / 2)).append("\" y=\"")
        .append(SvgCharts.px(bottom + 40)).append("\" text-anchor=\"middle\">difference (pp)</text>\n");
    for (int i = 0; i < rows.size(); i++) {
      SignificanceRow row = rows.get(i);
      double y = top + rowH * i + rowH / 2;
      double d = row.diffPp();
      double l = row.ciLowPp();
      double h = row.ciHighPp();
      double p = NumberFormats.number(row.pAdjusted());
      boolean sig = p < alpha;
      String label = row.scope() + "  " + row.treatment() + " − " + row.control();
      if (!Double.isFinite(d) || !Double.isFinite(l) || !Double.isFinite(h)) {
        // Listed, so every row of the table has its line, but with nothing to draw.
        sb.append("<g class=\"forest-row\"><text x=\"").append(SvgCharts.px(left - 10)).append("\" y=\"")
            .append(SvgCharts.px(y + 4)).append("\" text-anchor=\"end\">").append(HtmlReport.escape(label))
            .append("</text><text x=\"").append(SvgCharts.px(left + 6)).append("\" y=\"").append(SvgCharts.px(y + 4))
            .append("\">too few pairs for a difference</text></g>\n");
        continue;
      }
      sb.append("<a href=\"").append(HtmlReport.escape(link(t, t.rows().get(i)))).append("\"><g class=\"forest-row")
          .append(sig ? " sig" : "").append("\"><title>").append(HtmlReport.escape(label)).append(": ")
          .append(NumberFormats.fixed(d, 2)).append(" pp [").append(NumberFormats.fixed(l, 2)).append(", ")
          .append(NumberFormats.fixed(h, 2)).append("], adjusted p ").append(HtmlReport.escape(NumberFormats.pValue(p)))
          .append("</title><text x=\"").append(SvgCharts.px(left - 10)).append("\" y=\"")
          .append(SvgCharts.px(y + 4)).append("\" text-anchor=\"end\">").append(HtmlReport.escape(label))
          .append("</text><line class=\"ci-stem\" x1=\"").append(SvgCharts.px(x.map(l))).append("\" y1=\"")
          .append(SvgCharts.px(y)).append("\" x2=\"").append(SvgCharts.px(x.map(h))).append("\" y2=\"")
          .append(SvgCharts.px(y)).append("\"/><circle class=\"forest-point\" cx=\"")
          .append(SvgCharts.px(x.map(d))).append("\" cy=\"").append(SvgCharts.px(y)).append("\" r=\"4.5\" fill=\"")
          .append(sig ? "#111" : "#fff").append("\" stroke=\"#111\" stroke-width=\"1.5\"/></g></a>\n");
    }
    sb.append("</svg>");
    return sb.toString();
  }

  /**
   * The responses view: controls, count, list, and the data ({@code explorerJson}, see {@link
   * ExplorerData}) and script that run it.
   */
  static String responses(String explorerJson) {
    StringBuilder sb = new StringBuilder();
    sb.append("<div class=\"ex-controls\">\n")
        .append(select("model", "model")).append(select("condition", "condition"))
        .append(select("category", "category")).append(select("family", "family"))
        .append("<label>language <select id=\"ex-wrong\"><option value=\"\">any</option>")
        .append("<option value=\"any\">wrong language</option><option value=\"none\">expected language</option>")
        .append("</select></label>\n")
        .append("<label>status <select id=\"ex-failed\"><option value=\"\">all</option>")
        .append("<option value=\"graded\">graded</option><option value=\"only\">failed</option></select></label>\n")
        .append("<label>score from <input id=\"ex-min\" type=\"number\" size=\"3\"/></label>")
        .append("<label>to <input id=\"ex-max\" type=\"number\" size=\"3\"/></label>\n")
        .append("<label>search <input id=\"ex-q\" type=\"search\" placeholder=\"question, answer, notes\"/></label>\n")
        .append("<label>sort <select id=\"ex-sort\"><option value=\"study\">study order</option>")
        .append("<option value=\"score-asc\">score, lowest first</option><option value=\"score-desc\">score, highest first</option>")
        .append("<option value=\"time-desc\">slowest first</option><option value=\"words-desc\">longest first</option>")
        .append("</select></label>\n<button type=\"button\" id=\"ex-reset\">reset</button>\n</div>\n")
        .append("<p class=\"ex-summary\"><strong id=\"explorer-count\">no responses</strong>")
        .append(" <span id=\"explorer-note\">(the explorer needs JavaScript)</span></p>\n")
        .append("<div id=\"explorer-list\"></div>\n")
        .append("<button type=\"button\" id=\"ex-more\" style=\"display:none\">show more</button>\n")
        .append("<script type=\"application/json\" id=\"explorer-data\">").append(explorerJson)
        .append("</script>\n")
        .append("<script>/*<![CDATA[*/\n").append(script()).append("\n/*]]>*/</script>\n");
    return sb.toString();
  }

  private static String select(String id, String label) {
    return "<label>" + label + " <select id=\"ex-" + id + "\"><option value=\"\">all</option></select></label>\n";
  }

  private static String script() {
    try (InputStream in = ExplorerViews.class.getResourceAsStream("explorer.js")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("explorer.js missing from the classpath", e);
    }
  }

  static final String CSS = String.join("\n",
      ".heatmap td.heat{padding:0;text-align:center}",
      // The row's model name beside its cells' numbers, not at the foot of the row.
      ".heatmap tbody th{vertical-align:middle}",
      ".heatmap a.heat-cell{display:block;padding:4px 10px;color:inherit;text-decoration:none}",
      ".heatmap .heat-v{display:block;font-weight:bold;font-size:14px}",
      ".heatmap .heat-ci{display:block;font-size:11px}",
      ".ex-controls{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:13px;margin:8px 0}",
      ".ex-controls select,.ex-controls input{font-size:13px}",
      ".ex-card{border:1px solid #ddd;border-radius:4px;margin:6px 0;padding:4px 8px;font-size:13px}",
      ".ex-card.ex-wrong{border-left:4px solid #c0392b}",
      ".ex-card.ex-failed{border-left:4px solid #7f8c8d;background:#f6f6f6}",
      ".ex-card summary{cursor:pointer}",
      ".ex-head{font-weight:bold;margin-right:8px}",
      ".ex-badge{display:inline-block;background:#eef;border-radius:3px;padding:0 6px;margin-right:6px;font-size:12px}",
      ".ex-badge.ex-bad{background:#fde2e0;color:#8a1c10}",
      ".ex-block{margin:6px 0}",
      ".ex-label{font-size:11px;text-transform:uppercase;color:#666;letter-spacing:.03em}",
      ".ex-text{white-space:pre-wrap;background:#fbfbfb;border:1px solid #eee;padding:4px 6px;max-height:320px;overflow:auto}",
      ".ex-scores td.ex-notes{white-space:normal;max-width:520px}",
      "td a.cell-link{color:inherit;text-decoration:none}",
      "td a.cell-link:hover{text-decoration:underline}",
      ".forest-row text{font-size:11px}",
      "");
}
