package dev.cltbench.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Writes the fixture report to target/report-preview/ for screenshots (scripts/screenshot-report.sh). */
class HtmlReportPreviewTest {
  @Test
  void writesPreviewPage() throws Exception {
    Path dir = Path.of("target", "report-preview");
    Files.createDirectories(dir);
    String html = HtmlReport.render(ReportFixtures.content(false));
    Path out = dir.resolve("report.html");
    Files.writeString(out, html, StandardCharsets.UTF_8);
    StringBuilder md = new StringBuilder();
    StringBuilder tex = new StringBuilder();
    for (Table t : ReportFixtures.content(false).tables()) {
      md.append(MarkdownTables.render(t)).append('\n');
      tex.append(LatexTables.render(t)).append('\n');
    }
    Files.writeString(dir.resolve("tables.md"), md, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("tables.tex"), tex, StandardCharsets.UTF_8);
    assertTrue(Files.size(out) > 10_000);

    // Stress layout: long condition ids (the study's directory names) and no condition labels.
    List<Table> renamed = new ArrayList<>();
    for (Table t : ReportFixtures.content(false).tables()) {
      if (!t.columns().contains("condition")) {
        renamed.add(t);
        continue;
      }
      int ci = t.columnIndex("condition");
      List<List<Object>> rows = new ArrayList<>();
      for (List<Object> row : t.rows()) {
        List<Object> r = new ArrayList<>(row);
        r.set(ci, ReportFixtures.CONDITION_DIRS.get((String) row.get(ci)));
        rows.add(r);
      }
      renamed.add(new Table(t.name(), t.title(), t.columns(), rows));
    }
    Files.writeString(dir.resolve("report-long-ids.html"),
        HtmlReport.render(new ReportContent("Long ids", "", List.of(), renamed)), StandardCharsets.UTF_8);
  }
}
