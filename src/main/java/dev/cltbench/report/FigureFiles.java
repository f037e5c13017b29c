package dev.cltbench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each figure of the page as a file of its own for papers: {@code figures/<id>.svg}, standalone (its
 * own namespace and style rules, so it renders the same outside the page), in the page's order.
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

  static List<String> ids(ReportContent content) {
    return List.copyOf(svgs(content).keySet());
  }
}
