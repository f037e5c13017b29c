package dev.cltbench.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Writes the finished tables as CSV (the contract), Markdown and LaTeX under {@code tables/}, and the
 * self-contained {@code report.html}, into a directory on any Beam filesystem.
 */
public final class ReportFiles implements TableSink {
  private static final long serialVersionUID = 1L;

  private final String directory;
  private final String title;
  private final String description;
  private final List<String> notes;
  private final Map<String, String> conditionLabels;

  public ReportFiles(String directory, String title, String description, List<String> notes,
      Map<String, String> conditionLabels) {
    this.directory = directory;
    this.title = title;
    this.description = description;
    this.notes = List.copyOf(notes);
    this.conditionLabels = new java.util.LinkedHashMap<>(conditionLabels);
  }

  @Override
  public void accept(Map<String, Table> tables) throws IOException {
    for (Table t : tables.values()) {
      write("tables/" + t.name() + ".csv", t.toCsv());
      write("tables/" + t.name() + ".md", MarkdownTables.render(t));
      write("tables/" + t.name() + ".tex", LatexTables.render(t));
    }
    ReportContent content = new ReportContent(title, description, notes, List.copyOf(tables.values()),
        conditionLabels);
    for (Map.Entry<String, String> f : FigureFiles.svgs(content).entrySet()) {
      write(f.getKey(), f.getValue());
    }
    for (Map.Entry<String, byte[]> f : FigureFiles.pdfs(content).entrySet()) {
      write(f.getKey(), f.getValue(), "application/pdf");
    }
    write("report.html", HtmlReport.render(content));
  }

  private void write(String relative, String content) throws IOException {
    write(relative, content.getBytes(StandardCharsets.UTF_8), MimeTypes.TEXT);
  }

  private void write(String relative, byte[] content, String mimeType) throws IOException {
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    ResourceId file = dir;
    String[] parts = relative.split("/");
    for (int i = 0; i < parts.length; i++) {
      file = file.resolve(parts[i], i == parts.length - 1
          ? StandardResolveOptions.RESOLVE_FILE : StandardResolveOptions.RESOLVE_DIRECTORY);
    }
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, mimeType))) {
      out.write(content);
    }
  }
}
