package dev.cltbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The HTML report parsed as XML: figures present with one bar per input row, bar tops and error bars
 * where the chart's own axis ticks say those values belong, no external references, significance
 * highlighting, graceful absence of tables. Input: tables built from the fixture study's grades.
 */
class HtmlReportTest {
  private static final double TOL = 0.02; // coordinates are printed with 2 decimals

  private static ReportContent content;
  private static String html;
  private static Document doc;

  @BeforeAll
  static void render() throws Exception {
    content = ReportFixtures.content(false);
    html = HtmlReport.render(content);
    doc = parse(html);
  }

  static Document parse(String page) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(false);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    DocumentBuilder b = f.newDocumentBuilder();
    return b.parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
  }

  // ------------------------------------------------------------------ structure

  @Test
  void oneSvgPerFigureInOrder() {
    List<String> ids = new ArrayList<>();
    for (Element svg : elements(doc.getDocumentElement(), "svg")) {
      ids.add(svg.getAttribute("id"));
      // Accessible name and description.
      assertEquals(1, children(svg, "title").size());
      assertEquals(1, children(svg, "desc").size());
      assertEquals(svg.getAttribute("id") + "-title " + svg.getAttribute("id") + "-desc",
          svg.getAttribute("aria-labelledby"));
    }
    assertEquals(List.of("fig-forest", "fig-score-condition", "fig-score-family", "fig-score-model",
        "fig-accuracy-fluency", "fig-accuracy-fluency-family", "fig-score-time"), ids);
    assertEquals(ids.size(), elements(doc.getDocumentElement(), "figcaption").size());
  }

  @Test
  void noExternalReferencesOrScripts() {
    assertFalse(html.contains("http:"), "http: reference");
    assertFalse(html.contains("https:"), "https: reference");
    assertFalse(html.contains("//"), "protocol-relative or comment // reference");
    // Scripts: the explorer's data and its code, both inline.
    assertEquals(2, html.split("<script", -1).length - 1);
    assertTrue(html.contains("<script type=\"application/json\" id=\"explorer-data\">"));
    assertFalse(html.contains("url("));
    assertFalse(html.contains("@import"));
    assertFalse(html.contains(" src="));
    assertTrue(html.contains("<meta charset=\"utf-8\"/>"));
  }

  @Test
  void sameContentSameBytes() throws Exception {
    String again = HtmlReport.render(ReportFixtures.content(false));
    assertEquals(html, again);
  }

  @Test
  void everyTableRenderedWithAllRows() {
    for (Table t : content.tables()) {
      Element section = byId("table-" + t.name());
      assertNotNull(section, t.name());
      Element tbody = elements(section, "tbody").get(0);
      assertEquals(t.rows().size(), children(tbody, "tr").size(), t.name());
      assertEquals(t.columns().size(), elements(section, "th").size(), t.name());
    }
  }

  @Test
  void cellsRoundedAsInMarkdown() {
    Table conditions = content.table("conditions").orElseThrow();
    Element section = byId("table-conditions");
    List<Element> firstRow = children(children(elements(section, "tbody").get(0), "tr").get(0), "td");
    // score_pct, independently rounded: one decimal, half up.
    double score = content.scores(ScoreRow.Kind.CONDITIONS).orElseThrow().get(0).scorePct();
    String expected = new java.math.BigDecimal(Double.toString(score))
        .setScale(1, java.math.RoundingMode.HALF_UP).toPlainString();
    assertEquals(expected, firstRow.get(conditions.columnIndex("score_pct")).getTextContent());
    assertEquals("num", firstRow.get(conditions.columnIndex("score_pct")).getAttribute("class"));
    assertEquals("", firstRow.get(conditions.columnIndex("condition")).getAttribute("class"));
  }

  @Test
  void significantRowsHighlighted() {
    List<String> expected = new ArrayList<>();
    for (SignificanceRow row : content.rows(SignificanceRow.SCHEMA).orElseThrow()) {
      if (row.pAdjusted() < 0.05) {
        expected.add(row.scope() + " " + row.treatment());
      }
    }
    assertEquals(List.of("model:kestrel_en C3", "model:argali_multi C3"), expected);
    List<String> highlighted = new ArrayList<>();
    for (Element tr : elements(byId("table-significance"), "tr")) {
      if (tr.getAttribute("class").equals("sig")) {
        List<Element> tds = children(tr, "td");
        highlighted.add(tds.get(0).getTextContent() + " " + tds.get(1).getTextContent());
      }
    }
    assertEquals(expected, highlighted);
  }

  @Test
  void textIsEscaped() throws Exception {
    Table t = new Table("evil", "<b>Title</b> & \"quotes\"", List.of("name", "score_pct"),
        List.of(Arrays.asList("<script>alert('x')</script> & Қазақ", 1.0)));
    ReportContent c = new ReportContent("A & B <study>", "desc </p>", List.of("note <i>"), List.of(t));
    String page = HtmlReport.render(c);
    Document d = parse(page);
    assertFalse(page.contains("<script>alert"));
    assertTrue(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Қазақ"));
    assertEquals("A & B <study>", elements(d.getDocumentElement(), "h1").get(0).getTextContent());
  }

  // ------------------------------------------------------------------ degrade

  @Test
  void figuresSkippedWhenTablesAbsent() throws Exception {
    Table conditions = content.table("conditions").orElseThrow();
    Document d = parse(HtmlReport.render(
        new ReportContent("s", "", List.of(), List.of(conditions))));
    List<String> ids = new ArrayList<>();
    for (Element svg : elements(d.getDocumentElement(), "svg")) {
      ids.add(svg.getAttribute("id"));
    }
    assertEquals(List.of("fig-accuracy-fluency"), ids);

    Document empty = parse(HtmlReport.render(new ReportContent("s", "", List.of(), List.of())));
    assertEquals(0, elements(empty.getDocumentElement(), "svg").size());
    assertEquals(0, elements(empty.getDocumentElement(), "table").size());

    // intervals without family rows: only the per-condition CI figure from it.
    List<IntervalRow> rows = new ArrayList<>();
    for (IntervalRow r : content.rows(IntervalRow.SCHEMA).orElseThrow()) {
      if ("condition".equals(r.scope())) {
        rows.add(r);
      }
    }
    Table conditionOnly = IntervalRow.SCHEMA.table(rows);
    Document d2 = parse(HtmlReport.render(new ReportContent("s", "", List.of(), List.of(conditionOnly))));
    List<Element> svgs = elements(d2.getDocumentElement(), "svg");
    assertEquals(1, svgs.size());
    assertEquals("fig-score-condition", svgs.get(0).getAttribute("id"));

    // A minimal run has no language / judge_agreement tables: no section for them.
    Document min = parse(HtmlReport.render(ReportFixtures.content(true)));
    assertTrue(byId(min, "table-conditions") != null);
    assertTrue(byId(min, "table-language") == null);
    assertTrue(byId(min, "table-judge_agreement") == null);
  }

  // ------------------------------------------------------------------ geometry

  @Test
  void scoreByConditionBarsAndErrorBarsMatchTheAxis() {
    checkIntervalFigure("fig-score-condition", "condition", true);
  }

  @Test
  void scoreByFamilyBarsAndErrorBarsMatchTheAxis() {
    checkIntervalFigure("fig-score-family", "family", false);
  }

  @Test
  void scoreByModelBarsAndErrorBarsMatchTheAxis() {
    checkIntervalFigure("fig-score-model", "model", false);
  }

  /** One bar and one error bar per intervals row of the scope, placed by the y axis's own ticks. */
  private void checkIntervalFigure(String id, String scope, boolean clusterIsCondition) {
    List<IntervalRow> t = content.rows(IntervalRow.SCHEMA).orElseThrow();
    Element svg = byId(id);
    Linear y = axisFromTicks(svg, "y-axis", false);
    List<Element> bars = byClass(svg, "rect", "bar");
    List<Element> cis = byClass(svg, "g", "ci");
    int expected = 0;
    LinkedHashSet<String> conditions = new LinkedHashSet<>();
    for (IntervalRow row : t) {
      if (!scope.equals(row.scope())) {
        continue;
      }
      expected++;
      String group = row.group();
      String condition = row.condition();
      conditions.add(condition);
      String cluster = clusterIsCondition ? condition : group;
      String series = clusterIsCondition ? "score" : condition;
      Element bar = only(bars, cluster, series);
      Element ci = only(cis, cluster, series);
      double score = row.scorePct();
      double low = row.ciLowPct();
      double high = row.ciHighPct();
      double top = attr(bar, "y");
      assertEquals(y.map(score), top, TOL, id + " bar top " + cluster + "/" + series);
      assertEquals(y.map(0), top + attr(bar, "height"), TOL, id + " bar base " + cluster + "/" + series);
      Element stem = byClass(ci, "line", "ci-stem").get(0);
      assertEquals(y.map(high), attr(stem, "y1"), TOL, id + " CI high " + cluster + "/" + series);
      assertEquals(y.map(low), attr(stem, "y2"), TOL, id + " CI low " + cluster + "/" + series);
      assertTrue(low <= score && score <= high);
      double centre = attr(bar, "x") + attr(bar, "width") / 2;
      assertEquals(centre, attr(stem, "x1"), TOL);
      assertEquals(centre, attr(stem, "x2"), TOL);
    }
    assertTrue(expected > 0);
    assertEquals(expected, bars.size(), id + " bars");
    assertEquals(expected, cis.size(), id + " error bars");
    if (!clusterIsCondition) {
      // A legend entry per condition.
      assertEquals(conditions.size(), byClass(svg, "g", "legend-item").size());
    }
  }

  @Test
  void accuracyAndFluencyBarsMatchTheAxis() {
    List<ScoreRow> t = content.scores(ScoreRow.Kind.CONDITIONS).orElseThrow();
    Element svg = byId("fig-accuracy-fluency");
    Linear y = axisFromTicks(svg, "y-axis", false);
    List<Element> bars = byClass(svg, "rect", "bar");
    assertEquals(2 * t.size(), bars.size());
    for (ScoreRow row : t) {
      String c = row.condition();
      assertEquals(y.map(row.criterionPct().get("accuracy")), attr(only(bars, c, "accuracy"), "y"), TOL);
      assertEquals(y.map(row.criterionPct().get("fluency")), attr(only(bars, c, "fluency"), "y"), TOL);
    }
    assertEquals(2 * content.table("families").orElseThrow().rows().size(),
        byClass(byId("fig-accuracy-fluency-family"), "rect", "bar").size());
  }

  /** Figures 4 and 5: every accuracy and fluency bar carries its criterion interval, placed by the axis. */
  @Test
  void accuracyAndFluencyErrorBarsAreTheCriterionIntervals() {
    List<CriterionIntervalRow> t = content.rows(CriterionIntervalRow.SCHEMA).orElseThrow();
    int checked = 0;
    for (String id : List.of("fig-accuracy-fluency", "fig-accuracy-fluency-family")) {
      Element svg = byId(id);
      Linear y = axisFromTicks(svg, "y-axis", false);
      List<Element> bars = byClass(svg, "rect", "bar");
      List<Element> cis = byClass(svg, "g", "ci");
      assertEquals(bars.size(), cis.size(), id + ": one error bar per bar");
      for (CriterionIntervalRow row : t) {
        boolean family = "family".equals(row.scope());
        if (family != id.endsWith("family")) {
          continue;
        }
        String cluster = family ? row.group() + " " + row.condition() : row.condition();
        String series = row.criterion();
        Element stem = byClass(only(cis, cluster, series), "line", "ci-stem").get(0);
        assertEquals(y.map(row.ciHighPct()), attr(stem, "y1"), TOL, id + " " + cluster + "/" + series);
        assertEquals(y.map(row.ciLowPct()), attr(stem, "y2"), TOL, id + " " + cluster + "/" + series);
        Element bar = only(bars, cluster, series);
        assertEquals(attr(bar, "x") + attr(bar, "width") / 2, attr(stem, "x1"), TOL);
        checked++;
      }
    }
    assertEquals(t.size(), checked);
  }

  /** Linear ticks of 0.1 steps: 3 x 0.1 must read 0.3, not 0.30000000000000004. */
  @Test
  void linearTickLabelsAreShortDecimals() {
    String svg = SvgCharts.scatter("t", "t", "d", "x", "y", List.of("g"), List.of(
        new SvgCharts.Point("g", "a", 0.35, 50, "a"), new SvgCharts.Point("g", "b", 0.55, 60, "b")));
    assertTrue(svg.contains(">0.3</text>"), svg);
    assertTrue(!svg.contains("0000000"), svg);
  }

  @Test
  void scatterPointsMatchBothAxes() {
    List<ScoreRow> t = content.scores(ScoreRow.Kind.FAMILIES).orElseThrow();
    List<TimesRow> times = content.rows(TimesRow.SCHEMA).orElseThrow();
    Element svg = byId("fig-score-time");
    Linear y = axisFromTicks(svg, "y-axis", false);
    // Log scale exactly when the plotted median times span a factor of 8 or more.
    double[] medians = times.stream().mapToDouble(TimesRow::medianTimeS).toArray();
    boolean log = java.util.Arrays.stream(medians).max().orElseThrow()
        / java.util.Arrays.stream(medians).min().orElseThrow() >= 8;
    assertEquals(log, svg.getTextContent().contains("(log scale)"));
    Linear x = axisFromTicks(svg, "x-axis", true);
    List<Element> points = byClass(svg, "g", "point");
    assertEquals(t.size(), points.size());
    for (ScoreRow row : t) {
      String family = row.group();
      String condition = row.condition();
      Element point = null;
      for (Element p : points) {
        if (p.getAttribute("data-group").equals(family) && p.getAttribute("data-label").equals(condition)) {
          assertTrue(point == null, "duplicate point");
          point = p;
        }
      }
      assertNotNull(point, family + " " + condition);
      double[] c = markerCentre(point);
      double median = Double.NaN;
      for (TimesRow tr : times) {
        if (family.equals(tr.group()) && condition.equals(tr.condition())) {
          median = tr.medianTimeS();
        }
      }
      assertEquals(x.map(median), c[0], TOL, family + " " + condition);
      assertEquals(y.map(row.scorePct()), c[1], TOL, family + " " + condition);
    }
    assertEquals(t.size(), byClass(svg, "text", "point-label").size());
  }

  // ------------------------------------------------------------------ helpers

  /** A scale fitted through the two extreme ticks of an axis; every other tick must lie on it. */
  record Linear(double v0, double p0, double v1, double p1, boolean log) {
    double map(double v) {
      double t = log ? (Math.log(v) - Math.log(v0)) / (Math.log(v1) - Math.log(v0)) : (v - v0) / (v1 - v0);
      return p0 + t * (p1 - p0);
    }
  }

  private static Linear axisFromTicks(Element svg, String axisClass, boolean horizontal) {
    Element axis = byClass(svg, "g", axisClass).get(0);
    TreeMap<Double, Double> ticks = new TreeMap<>();
    for (Element tick : byClass(axis, "g", "tick")) {
      double value = Double.parseDouble(elements(tick, "text").get(0).getTextContent());
      Element line = elements(tick, "line").get(0);
      double pos = horizontal ? attr(line, "x1") : attr(line, "y1");
      assertEquals(pos, horizontal ? attr(line, "x2") : attr(line, "y2"), 1e-9, "grid line straight");
      ticks.put(value, pos);
    }
    assertTrue(ticks.size() >= 3, "axis has ticks");
    Linear s = new Linear(ticks.firstKey(), ticks.firstEntry().getValue(), ticks.lastKey(),
        ticks.lastEntry().getValue(), horizontal && !svg.getTextContent().isEmpty()
            && svg.getTextContent().contains("(log scale)"));
    for (Map.Entry<Double, Double> e : ticks.entrySet()) {
      assertEquals(s.map(e.getKey()), e.getValue(), TOL, "tick " + e.getKey() + " off the axis line");
    }
    return s;
  }

  private static double[] markerCentre(Element point) {
    Element m = (Element) firstElementChild(point);
    switch (m.getTagName()) {
      case "circle":
        return new double[] {attr(m, "cx"), attr(m, "cy")};
      case "rect":
        return new double[] {attr(m, "x") + attr(m, "width") / 2, attr(m, "y") + attr(m, "height") / 2};
      default: {
        // Triangle / diamond path: "M x y-6.5 ...": apex straight above the centre.
        String[] parts = m.getAttribute("d").substring(1).split("[L ]");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]) + 6.5};
      }
    }
  }

  private static Node firstElementChild(Element e) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element) {
        return n;
      }
    }
    throw new AssertionError("no child element");
  }

  private static Element only(List<Element> es, String cluster, String series) {
    Element found = null;
    for (Element e : es) {
      if (e.getAttribute("data-cluster").equals(cluster) && e.getAttribute("data-series").equals(series)) {
        assertTrue(found == null, "duplicate " + cluster + "/" + series);
        found = e;
      }
    }
    assertNotNull(found, cluster + "/" + series);
    return found;
  }

  private static double attr(Element e, String name) {
    String v = e.getAttribute(name);
    assertFalse(v.isEmpty(), e.getTagName() + " has no " + name);
    return Double.parseDouble(v);
  }

  private static Element byId(String id) {
    return byId(doc, id);
  }

  private static Element byId(Document d, String id) {
    for (Element e : elements(d.getDocumentElement(), "*")) {
      if (id.equals(e.getAttribute("id"))) {
        return e;
      }
    }
    return null;
  }

  private static List<Element> byClass(Element root, String tag, String cls) {
    List<Element> out = new ArrayList<>();
    for (Element e : elements(root, tag)) {
      if (Arrays.asList(e.getAttribute("class").split(" ")).contains(cls)) {
        out.add(e);
      }
    }
    return out;
  }

  private static List<Element> elements(Element root, String tag) {
    NodeList nl = root.getElementsByTagName(tag);
    List<Element> out = new ArrayList<>(nl.getLength());
    for (int i = 0; i < nl.getLength(); i++) {
      out.add((Element) nl.item(i));
    }
    return out;
  }

  private static List<Element> children(Element parent, String tag) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && ((Element) n).getTagName().equals(tag)) {
        out.add((Element) n);
      }
    }
    return out;
  }
}
