package dev.cltbench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each figure of the page as a file of its own for papers: {@code figures/<id>.svg}, standalone (its
 * own namespace and style rules, so it renders the same outside the page), in the page's order, and
 * {@code figures/<id>.pdf}, the same drawing as a vector PDF.
 */
public final class FigureFiles {
  private FigureFiles() {}

  /** Relative path to SVG text, e.g. "figures/fig-score-condition.svg". */
  public static Map<String, String> svgs(ReportContent content) {
    Map<String, String> out = new LinkedHashMap<>();
    int n = 1;
    for (HtmlReport.Figure f : HtmlReport.figures(content)) {
      out.put("figures/figure-" + n++ + "-" + f.id().replaceFirst("^fig-", "") + ".svg", standalone(f.svg()));
    }
    String forest = ExplorerViews.forest(content, HtmlReport.ALPHA);
    if (!forest.isEmpty()) {
      out.put("figures/forest-comparisons.svg", standalone(forest));
    }
    return out;
  }

  static String standalone(String svg) {
    String s = svg.contains("xmlns=") ? svg : svg.replaceFirst("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" ");
    int end = s.indexOf('>') + 1;
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + s.substring(0, end) + "\n<style>\n"
        + "text{font-size:12px;fill:#222}\n" + HtmlReport.chartCss() + "</style>" + s.substring(end) + "\n";
  }

  /**
   * The same figures as one-page vector PDFs, {@code figures/<name>.pdf} beside each SVG (see
   * {@link FigurePdf}: the same content gives the same bytes).
   */
  public static Map<String, byte[]> pdfs(ReportContent content) {
    return pdfs(svgs(content));
  }

  /**
   * The PDFs of {@link #svgs}' figures, drawn in parallel: each is independent of the others (its own
   * Batik document and PDFBox document), and drawing them is most of the sink's time, which nothing
   * else overlaps. The map keeps the figures' order.
   */
  public static Map<String, byte[]> pdfs(Map<String, String> svgs) {
    List<Map.Entry<String, String>> figures = List.copyOf(svgs.entrySet());
    List<byte[]> drawn = figures.parallelStream().map(svg -> {
      String name = pdfName(svg.getKey());
      return FigurePdf.of(svg.getValue(), title(svg.getValue(), name));
    }).toList();
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < figures.size(); i++) {
      out.put(pdfName(figures.get(i).getKey()), drawn.get(i));
    }
    return out;
  }

  private static String pdfName(String svgName) {
    return svgName.replaceFirst("\\.svg$", ".pdf");
  }

  /** The text of the figure's {@code <title>}, else the file name. */
  static String title(String svg, String fallback) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<title id=\"[^\"]*-title\">([^<]*)</title>")
        .matcher(svg);
    return m.find() ? m.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&quot;", "\"").replace("&#39;", "'") : fallback;
  }

  static List<String> ids(ReportContent content) {
    return List.copyOf(svgs(content).keySet());
  }
}
