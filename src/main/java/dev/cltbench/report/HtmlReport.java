package dev.cltbench.report;

import dev.cltbench.study.GroupKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The study report as one self-contained HTML page (its skeleton and tables are Mustache templates,
 * see {@link Templates}): inline CSS, inline SVG figures, one inline script
 * (the responses explorer, {@link ExplorerViews}), no external resources, UTF-8. The markup is also well-formed XML (void elements self-closed, only the
 * XML entities), so it can be checked with an XML parser. Output depends only on the
 * {@link ReportContent}: the same content gives the same bytes.
 *
 * <p>Figures are drawn from the tables named in the report contract ({@code intervals},
 * {@code conditions}, {@code families}); a figure whose table or columns are missing is left out.
 */
public final class HtmlReport {
  /** Significance level used to highlight rows with an adjusted p-value below it. */
  public static final double ALPHA = 0.05;

  /** Tables shown in sections of their own, not under "Tables". */
  static final java.util.Set<String> SECTION_TABLES = java.util.Set.of("costs", "failures",
      JudgeDiagnosticsReport.TABLE);

  private HtmlReport() {}

  /** The page: its skeleton is the template {@code report-page.mustache}, the parts are built here. */
  public static String render(ReportContent content) {
    List<Figure> figures = figures(content);
    Map<String, Object> page = new HashMap<>();
    page.put("studyName", content.studyName());
    page.put("description", content.description());
    page.put("notes", content.notes());
    page.put("hasNotes", !content.notes().isEmpty());
    page.put("css", CSS + ExplorerViews.CSS);
    page.put("summary", summary(content));
    page.put("heatmap", ExplorerViews.heatmap(content));
    page.put("forest", ExplorerViews.forest(content, ALPHA));
    page.put("alpha", NumberFormats.fixed(ALPHA, 2));
    page.put("responses", ExplorerViews.responses(content.explorerJson()));
    page.put("hasFigures", !figures.isEmpty());
    List<Map<String, Object>> shown = new ArrayList<>();
    int n = 1;
    for (Figure f : figures) {
      shown.add(Map.of("id", f.id(), "svg", f.svg(), "caption", f.caption(), "number", String.valueOf(n++)));
    }
    page.put("figures", shown);
    // A run's costs and failures and the judges' diagnostics have sections of their own.
    page.put("sections", RunTablesReport.section(content.table("costs").orElse(null),
        content.table("failures").orElse(null))
        + content.table(JudgeDiagnosticsReport.TABLE).map(JudgeDiagnosticsReport::section).orElse("") + "\n");
    List<Map<String, Object>> tables = new ArrayList<>();
    for (Table t : content.tables()) {
      if (SECTION_TABLES.contains(t.name())) {
        continue;
      }
      StringBuilder sb = new StringBuilder();
      table(sb, t);
      tables.add(Map.of("name", t.name(), "anchor", anchor(t.name()), "html", sb.toString()));
    }
    page.put("tables", tables);
    return Templates.render(HtmlReport.class, "report-page.mustache", page);
  }

  // ---------------------------------------------------------------- tables

  /** One table's section, for sections added after the page is rendered. */
  static void tableSection(StringBuilder sb, Table t) {
    table(sb, t);
  }

  /** A table's section from {@code table.mustache}: readable headers, formatted cells, links, highlights. */
  private static void table(StringBuilder sb, Table t) {
    List<Map<String, Object>> headers = new ArrayList<>();
    boolean[] numeric = new boolean[t.columns().size()];
    for (int i = 0; i < numeric.length; i++) {
      String c = t.columns().get(i);
      numeric[i] = NumberFormats.isNumericColumn(t, c);
      // Readable labels with units; the CSV column name is the tooltip.
      headers.add(Map.of("num", numeric[i], "column", c, "label", ColumnLabels.label(c)));
    }
    int pAdj = t.columns().indexOf("p_adjusted");
    int significant = 0;
    List<Map<String, Object>> rows = new ArrayList<>();
    for (List<Object> row : t.rows()) {
      boolean sig = pAdj >= 0 && NumberFormats.number(row.get(pAdj)) < ALPHA;
      significant += sig ? 1 : 0;
      List<Map<String, Object>> cells = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        String link = ExplorerViews.link(t, row, t.columns().get(i));
        String text = NumberFormats.format(t.columns().get(i), row.get(i));
        Map<String, Object> cell = new HashMap<>();
        cell.put("num", numeric[i]);
        cell.put("empty", text == null);
        cell.put("link", text != null && link != null ? link : null);
        cell.put("plain", text != null && link == null);
        cell.put("text", text == null ? "" : text);
        cells.add(cell);
      }
      rows.add(Map.of("sig", sig, "cells", cells));
    }
    Map<String, Object> scope = new HashMap<>();
    scope.put("anchor", anchor(t.name()));
    scope.put("title", t.title());
    scope.put("name", t.name());
    scope.put("headers", headers);
    scope.put("rows", rows);
    scope.put("note", pAdj >= 0);
    scope.put("emptyNotes", TableSchemas.emptyCellNotes(t));
    scope.put("significant", String.valueOf(significant));
    scope.put("rowCount", String.valueOf(t.rows().size()));
    scope.put("alpha", NumberFormats.fixed(ALPHA, 2));
    sb.append(Templates.render(HtmlReport.class, "table.mustache", scope));
  }

  // ---------------------------------------------------------------- figures

  /** A rendered figure; {@code id} is the svg's id. */
  record Figure(String id, String svg, String caption) {}

  static List<Figure> figures(ReportContent content) {
    List<String> conditions = conditionOrder(content);
    List<Figure> out = new ArrayList<>();
    Optional<List<IntervalRow>> intervals = content.rows(IntervalRow.SCHEMA);
    if (intervals.isPresent()) {
      List<IntervalRow> t = intervals.get();
      List<SvgCharts.Bar> bars = bars(t, "condition");
      if (!bars.isEmpty()) {
        List<SvgCharts.Cluster> clusters = new ArrayList<>();
        List<String> colors = new ArrayList<>();
        for (String c : distinct(bars, true)) {
          clusters.add(new SvgCharts.Cluster(c, content.conditionLabel(c)));
          colors.add(SvgCharts.color(SvgCharts.SERIES_COLORS, indexOr(conditions, c)));
        }
        List<SvgCharts.Bar> perCondition = new ArrayList<>();
        for (SvgCharts.Bar b : bars) {
          perCondition.add(new SvgCharts.Bar(b.series(), "score", b.value(), b.low(), b.high()));
        }
        String id = "fig-score-condition";
        out.add(new Figure(id,
            SvgCharts.groupedBars(id, "Score by condition",
                "Bar chart of the mean score in percent for each of " + clusters.size()
                    + " conditions, with 95% bootstrap confidence intervals as error bars.",
                "Score (% of maximum)", clusters,
                List.of(new SvgCharts.Series("score", "score", SvgCharts.SERIES_COLORS.get(0))),
                perCondition, colors),
            "Mean score (percent of the maximum) per condition, with 95% bootstrap confidence intervals."));
      }
      for (String scope : List.of("family", "model")) {
        List<SvgCharts.Bar> scoped = bars(t, scope);
        if (scoped.isEmpty()) {
          continue;
        }
        List<SvgCharts.Cluster> clusters = new ArrayList<>();
        for (String g : distinct(scoped, false)) {
          clusters.add(new SvgCharts.Cluster(g, g));
        }
        List<SvgCharts.Series> series = conditionSeries(content, conditions, distinct(scoped, true));
        String id = "fig-score-" + scope;
        out.add(new Figure(id,
            SvgCharts.groupedBars(id, "Score by " + scope + " and condition",
                "Grouped bar chart: for each of " + clusters.size() + " " + scope
                    + (scope.equals("family") ? " groups" : "s") + ", one bar per condition ("
                    + series.size() + " conditions) showing the mean score in percent, with 95% "
                    + "bootstrap confidence intervals as error bars.",
                "Score (% of maximum)", clusters, series, scoped, null),
            "Mean score per " + scope + " and condition, with 95% bootstrap confidence intervals."));
      }
    }

    Map<GroupKey, double[]> ci = criterionIntervals(content);
    String withCi = ci.isEmpty() ? "" : ", with 95% bootstrap confidence intervals";
    Optional<List<ScoreRow>> cond = content.scores(ScoreRow.Kind.CONDITIONS)
        .filter(rows -> hasCriteria(rows, "accuracy", "fluency"));
    if (cond.isPresent()) {
      List<SvgCharts.Cluster> clusters = new ArrayList<>();
      List<SvgCharts.Bar> bars = new ArrayList<>();
      for (ScoreRow row : cond.get()) {
        String c = row.condition();
        clusters.add(new SvgCharts.Cluster(c, content.conditionLabel(c)));
        bars.add(criterionBar(c, "accuracy", row.criterion("accuracy"), ci.get(ciKey("condition", "all", c, "accuracy"))));
        bars.add(criterionBar(c, "fluency", row.criterion("fluency"), ci.get(ciKey("condition", "all", c, "fluency"))));
      }
      String id = "fig-accuracy-fluency";
      out.add(new Figure(id,
          SvgCharts.groupedBars(id, "Accuracy and fluency by condition",
              "Grouped bar chart: judge accuracy and fluency, each in percent of the maximum, for each of "
                  + clusters.size() + " conditions" + withCi + ".",
              "Percent of maximum", clusters, METRIC_SERIES, bars, null),
          "Accuracy and fluency per condition" + withCi + ". A fluent answer is not necessarily a correct one: where "
              + "fluency stays high while accuracy falls, readers of the target language get confident, "
              + "wrong answers (the \"fluency illusion\")."));
    }

    Optional<List<ScoreRow>> fam = content.scores(ScoreRow.Kind.FAMILIES)
        .filter(rows -> hasCriteria(rows, "accuracy", "fluency"));
    if (fam.isPresent()) {
      List<SvgCharts.Cluster> clusters = new ArrayList<>();
      List<SvgCharts.Bar> bars = new ArrayList<>();
      for (ScoreRow row : fam.get()) {
        String f = row.group();
        String c = row.condition();
        String key = f + " " + c;
        clusters.add(new SvgCharts.Cluster(key, c, f));
        bars.add(criterionBar(key, "accuracy", row.criterion("accuracy"), ci.get(ciKey("family", f, c, "accuracy"))));
        bars.add(criterionBar(key, "fluency", row.criterion("fluency"), ci.get(ciKey("family", f, c, "fluency"))));
      }
      String id = "fig-accuracy-fluency-family";
      out.add(new Figure(id,
          SvgCharts.groupedBars(id, "Accuracy and fluency by family and condition",
              "Grouped bar chart: judge accuracy and fluency in percent for each of " + clusters.size()
                  + " family and condition pairs" + withCi + ".",
              "Percent of maximum", clusters, METRIC_SERIES, bars, null),
          "Accuracy and fluency per model family and condition" + withCi
              + " (clustered by question: a family's models answer the same questions)."));
    }

    // Medians: one slow answer moves a mean of 50 responses far (see the times table).
    Optional<List<ScoreRow>> fam6 = content.scores(ScoreRow.Kind.FAMILIES);
    Optional<List<TimesRow>> times = content.rows(TimesRow.SCHEMA);
    if (fam6.isPresent() && times.isPresent()) {
      Map<GroupKey, TimesRow> timeRows = new HashMap<>();
      for (TimesRow row : times.get()) {
        if ("family".equals(row.scope())) {
          timeRows.put(GroupKey.of("family", row.group(), row.condition()), row);
        }
      }
      List<String> groups = new ArrayList<>();
      List<SvgCharts.Point> points = new ArrayList<>();
      for (ScoreRow row : fam6.get()) {
        String f = row.group();
        String c = row.condition();
        TimesRow tr = timeRows.get(GroupKey.of("family", f, c));
        if (tr == null) {
          continue;
        }
        double x = tr.medianTimeS();
        double mean = tr.meanTimeS();
        double y = row.scorePct();
        if (Double.isNaN(x) || Double.isNaN(y) || x <= 0) {
          continue;
        }
        if (!groups.contains(f)) {
          groups.add(f);
        }
        points.add(new SvgCharts.Point(f, c, x, y, f + " · " + content.conditionLabel(c) + ": score "
            + NumberFormats.fixed(y, 1) + "%, median time " + NumberFormats.fixed(x, 2) + " s (mean "
            + NumberFormats.fixed(mean, 2) + " s)"));
      }
      if (!points.isEmpty()) {
        String id = "fig-score-time";
        out.add(new Figure(id,
            SvgCharts.scatter(id, "Score vs median response time by family and condition",
                "Scatter plot of " + points.size() + " points, one per model family and condition: median "
                    + "response time in seconds on the x axis, mean score in percent on the y axis; "
                    + "marker colour and shape give the family, the text label the condition.",
                "Median response time (s)", "Score (% of maximum)", groups, points),
            "Mean score against median response time, one point per family (colour and shape) and "
                + "condition (label). Medians, because a single very slow answer moves a mean of 50 "
                + "far; means and quartiles are in the times table."));
      }
    }
    return out;
  }

  /** The criterion intervals table as (scope, group, condition, criterion) to {low, high}; empty without it. */
  private static Map<GroupKey, double[]> criterionIntervals(ReportContent content) {
    Map<GroupKey, double[]> out = new HashMap<>();
    content.rows(CriterionIntervalRow.SCHEMA).ifPresent(rows -> {
      for (CriterionIntervalRow row : rows) {
        out.put(ciKey(row.scope(), row.group(), row.condition(), row.criterion()),
            new double[] {row.ciLowPct(), row.ciHighPct()});
      }
    });
    return out;
  }

  private static GroupKey ciKey(String scope, String group, String condition, String criterion) {
    return new GroupKey(scope, group, condition, criterion);
  }

  private static SvgCharts.Bar criterionBar(String cluster, String criterion, double value, double[] ci) {
    return new SvgCharts.Bar(cluster, criterion, value, ci == null ? Double.NaN : ci[0], ci == null ? Double.NaN : ci[1]);
  }

  static final List<SvgCharts.Series> METRIC_SERIES = List.of(
      new SvgCharts.Series("accuracy", "accuracy", "#1F4E79"),
      new SvgCharts.Series("fluency", "fluency", "#F2A33A"));

  /** Bars (cluster = group, series = condition) for one scope of the intervals table, in row order. */
  private static List<SvgCharts.Bar> bars(List<IntervalRow> rows, String scope) {
    List<SvgCharts.Bar> out = new ArrayList<>();
    for (IntervalRow row : rows) {
      if (scope.equals(row.scope())) {
        out.add(new SvgCharts.Bar(row.group(), row.condition(), row.scorePct(), row.ciLowPct(), row.ciHighPct()));
      }
    }
    return out;
  }

  /** Whether the score rows are there and have every one of {@code criteria}. */
  private static boolean hasCriteria(List<ScoreRow> rows, String... criteria) {
    return !rows.isEmpty() && rows.get(0).criterionPct().keySet().containsAll(List.of(criteria));
  }

  private static List<String> distinct(List<SvgCharts.Bar> bars, boolean series) {
    Set<String> s = new LinkedHashSet<>();
    for (SvgCharts.Bar b : bars) {
      s.add(series ? b.series() : b.cluster());
    }
    return new ArrayList<>(s);
  }

  private static List<SvgCharts.Series> conditionSeries(ReportContent content, List<String> order,
      List<String> present) {
    List<SvgCharts.Series> out = new ArrayList<>();
    for (String c : present) {
      out.add(new SvgCharts.Series(c, content.conditionLabel(c),
          SvgCharts.color(SvgCharts.SERIES_COLORS, indexOr(order, c))));
    }
    return out;
  }

  private static int indexOr(List<String> order, String c) {
    int i = order.indexOf(c);
    return i < 0 ? order.size() : i;
  }

  /** Conditions in first-seen order: the conditions table, then intervals, then families. */
  static List<String> conditionOrder(ReportContent content) {
    Set<String> out = new LinkedHashSet<>();
    content.scores(ScoreRow.Kind.CONDITIONS).ifPresent(rows -> rows.forEach(r -> out.add(r.condition())));
    content.rows(IntervalRow.SCHEMA).ifPresent(rows -> rows.forEach(r -> out.add(r.condition())));
    content.scores(ScoreRow.Kind.FAMILIES).ifPresent(rows -> rows.forEach(r -> out.add(r.condition())));
    return new ArrayList<>(out);
  }

  // ---------------------------------------------------------------- summary

  /** One paragraph of plain sentences computed from the tables that are present. */
  static String summary(ReportContent content) {
    List<String> sentences = new ArrayList<>();
    Optional<List<ScoreRow>> cond = content.scores(ScoreRow.Kind.CONDITIONS).filter(rows -> !rows.isEmpty());
    if (cond.isPresent()) {
      List<ScoreRow> t = cond.get();
      long responses = 0;
      List<String> parts = new ArrayList<>();
      String best = null;
      String worst = null;
      double bestV = Double.NEGATIVE_INFINITY;
      double worstV = Double.POSITIVE_INFINITY;
      for (ScoreRow row : t) {
        String c = row.condition();
        double s = row.scorePct();
        responses += row.responses();
        parts.add(content.conditionLabel(c) + " " + NumberFormats.fixed(s, 1) + "%");
        if (s > bestV) {
          bestV = s;
          best = c;
        }
        if (s < worstV) {
          worstV = s;
          worst = c;
        }
      }
      sentences.add((responses > 0 ? "Over " + responses + " graded responses in " : "Over ")
          + t.size() + " conditions, the mean score (percent of the maximum) was: "
          + String.join("; ", parts) + ".");
      if (t.size() > 1) {
        sentences.add("The highest score was in " + content.conditionLabel(best) + " and the lowest in "
            + content.conditionLabel(worst) + ", "
            + NumberFormats.fixed(bestV - worstV, 1) + " percentage points apart.");
      }
      if (hasCriteria(t, "accuracy", "fluency")) {
        String gapCond = null;
        double gap = Double.NEGATIVE_INFINITY;
        double acc = 0;
        double flu = 0;
        for (ScoreRow row : t) {
          double a = row.criterion("accuracy");
          double f = row.criterion("fluency");
          if (f - a > gap) {
            gap = f - a;
            gapCond = row.condition();
            acc = a;
            flu = f;
          }
        }
        if (gapCond != null && gap > 0) {
          sentences.add("Fluency exceeds accuracy most in " + content.conditionLabel(gapCond) + " (fluency "
              + NumberFormats.fixed(flu, 1) + "%, accuracy " + NumberFormats.fixed(acc, 1) + "%, a gap of "
              + NumberFormats.fixed(gap, 1) + " points).");
        }
      }
    }
    Optional<List<SignificanceRow>> sig = content.rows(SignificanceRow.SCHEMA).filter(rows -> !rows.isEmpty());
    if (sig.isPresent()) {
      List<SignificanceRow> t = sig.get();
      int significant = 0;
      List<String> overall = new ArrayList<>();
      for (SignificanceRow row : t) {
        double p = NumberFormats.number(row.pAdjusted());
        if (p < ALPHA) {
          significant++;
        }
        if ("overall".equals(row.scope())) {
          String s = row.treatment() + " vs " + row.control() + " "
              + NumberFormats.format("diff_pp", row.diffPp()) + " pp"
              + " (95% CI " + NumberFormats.fixed(row.ciLowPp(), 1) + " to "
              + NumberFormats.fixed(row.ciHighPp(), 1) + ")";
          s += ", adjusted p " + (Double.isNaN(p) ? "n/a" : (p < 0.001 ? "" : "= ")
              + NumberFormats.pValue(p));
          overall.add(s);
        }
      }
      if (!overall.isEmpty()) {
        sentences.add("Overall transfer effects: " + String.join("; ", overall) + ".");
      }
      sentences.add(String.format(Locale.ROOT,
          "%d of %d paired comparisons have an adjusted p-value below %s.", significant,
          t.size(), NumberFormats.fixed(ALPHA, 2)));
    }
    if (sentences.isEmpty()) {
      sentences.add("No summary tables were supplied.");
    }
    return String.join(" ", sentences);
  }

  // ---------------------------------------------------------------- text

  /** Escapes text for HTML and XML content and attribute values. */
  public static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&': sb.append("&amp;"); break;
        case '<': sb.append("&lt;"); break;
        case '>': sb.append("&gt;"); break;
        case '"': sb.append("&quot;"); break;
        case '\'': sb.append("&#39;"); break;
        default:
          // Control characters are not allowed in XML 1.0; drop them rather than emit broken markup.
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            break;
          }
          sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The figures' style rules, for figures written as files of their own. */
  static String chartCss() {
    StringBuilder sb = new StringBuilder();
    for (String rule : CSS.split("\n")) {
      if (rule.startsWith(".chart")) {
        sb.append(rule.replace(".chart ", "").replace(".chart,", "")).append('\n');
      }
    }
    return sb.toString();
  }

  private static String anchor(String name) {
    return name.replaceAll("[^A-Za-z0-9_-]", "-");
  }

  private static final String CSS = String.join("\n",
      "body{margin:0;background:#fafafa;color:#1b1b1b;font:15px/1.5 'DejaVu Sans','Noto Sans','Segoe UI',Arial,sans-serif}",
      "main{max-width:1040px;margin:0 auto;padding:24px 20px 64px;background:#fff}",
      "h1{font-size:28px;margin:0 0 8px}",
      "h2{font-size:21px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}",
      "h3{font-size:16px;margin:24px 0 6px}",
      "h3 code{font-size:12px;color:#666;font-weight:normal;margin-left:6px}",
      ".description{color:#333}",
      ".notes{background:#fff8e1;border:1px solid #f0d37a;border-radius:4px;padding:8px 12px 8px 30px;margin:12px 0}",
      ".toc{font-size:13px;color:#444;margin:8px 0}",
      ".toc a{color:#0b5cad;text-decoration:none}",
      "figure{margin:20px 0;padding:0}",
      "figcaption{font-size:13px;color:#444;margin-top:4px}",
      "svg.chart{display:block;width:100%;max-width:960px;height:auto}",
      ".chart text{font-size:12px;fill:#222}",
      ".chart .chart-title{font-size:16px;font-weight:bold}",
      ".chart .grid{stroke:#e6e6e6;stroke-width:1}",
      ".chart .axis{stroke:#333;stroke-width:1}",
      ".chart .ci-stem,.chart .ci-cap{stroke:#111;stroke-width:1.5}",
      ".chart .ci-halo{stroke:#fff;stroke-width:4;stroke-linecap:round}",
      ".chart .y-axis text{text-anchor:end}",
      ".chart .x-axis text{text-anchor:middle}",
      ".chart .x-label{text-anchor:middle}",
      ".chart .x-label.rotated{text-anchor:end}",
      ".chart .value{text-anchor:middle;font-size:11px;fill:#333}",
      ".chart .point-label{font-size:11px;fill:#222}",
      ".chart .group-label text{text-anchor:middle;font-size:13px;font-weight:bold;fill:#333}",
      ".chart .group-rule{stroke:#999;stroke-width:1}",
      ".chart .leader{stroke:#888;stroke-width:0.8}",
      ".chart .axis-title,.chart .y-axis .axis-title,.chart .x-axis .axis-title{text-anchor:middle;font-size:13px;fill:#333}",
      ".scroll{overflow-x:auto}",
      "table{border-collapse:collapse;font-size:13px;margin:4px 0}",
      "th,td{padding:3px 8px;border-bottom:1px solid #e4e4e4;text-align:left;white-space:nowrap}",
      "th{white-space:normal;vertical-align:bottom}",
      "th{background:#f2f2f2;border-bottom:2px solid #bbb}",
      "th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}",
      "tbody tr:nth-child(even){background:#fafafa}",
      "tr.sig,tbody tr.sig:nth-child(even){background:#fff1b8}",
      "tr.sig td{font-weight:bold}",
      ".empty{color:#999}",
      ".table-note{font-size:12px;color:#555;margin:2px 0 0}",
      "");
}
