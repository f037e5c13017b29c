package dev.cltbench.report;

import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudyCodec;

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
 * The report's one sink: writes the finished tables as CSV (the contract), Markdown and LaTeX under
 * {@code tables/}, the figures, and the self-contained {@code report.html}, into a directory on any Beam
 * filesystem. With {@link PageSources} it runs once the parts of {@code responses.jsonl} are written,
 * and adds what needs them or the study's other files (the explorer's data, the judges' diagnostics, a
 * run's costs and failures) before the page is rendered, once.
 */
public final class ReportFiles implements TableSink {
  private static final long serialVersionUID = 1L;

  private final String directory;
  private final String title;
  private final String description;
  private final List<String> notes;
  private final Map<String, String> conditionLabels;
  private final PageSources sources;

  /**
   * What the page takes from outside the tables: the study directory (its texts, judges' grades,
   * costs and failures), its definition and questions, and the directory of responses.jsonl's parts.
   */
  public record PageSources(String study, PipelineDefinition definition, Questions questions,
      String partsDirectory, int explorerLimit) implements java.io.Serializable {}

  public ReportFiles(String directory, String title, String description, List<String> notes,
      Map<String, String> conditionLabels) {
    this(directory, title, description, notes, conditionLabels, null);
  }

  public ReportFiles(String directory, String title, String description, List<String> notes,
      Map<String, String> conditionLabels, PageSources sources) {
    this.sources = sources;
    this.directory = directory;
    this.title = title;
    this.description = description;
    this.notes = List.copyOf(notes);
    this.conditionLabels = new java.util.LinkedHashMap<>(conditionLabels);
  }

  @Override
  public void accept(Map<String, Table> tables) throws IOException {
    List<Table> shown = new java.util.ArrayList<>(tables.values());
    String explorer = ExplorerData.EMPTY;
    if (sources != null) {
      List<String> parts = new java.util.ArrayList<>(StudyCodec.match(StudyCodec.join(sources.partsDirectory(), "*")));
      parts.sort(java.util.Comparator.comparing(StudyCodec::fileName));
      Table failures = RunTablesReport.failures(sources.study());
      if (failures != null) {
        shown.add(failures);
      }
      Table costs = RunTablesReport.costs(sources.study());
      if (costs != null) {
        shown.add(costs); // shown; its file is the study's own tables/costs.csv
      }
      // Both read every part of responses.jsonl, each on one thread, when nothing else runs: side by
      // side they take the longer one's time (100x study: 4.6 s and 3.1 s, one after the other).
      java.util.concurrent.FutureTask<Table> judges = new java.util.concurrent.FutureTask<>(
          () -> JudgeDiagnosticsReport.table(parts, sources.study(), sources.definition()));
      Thread judgesThread = new Thread(judges, "report-judge-diagnostics");
      judgesThread.setDaemon(true);
      judgesThread.start();
      explorer = ExplorerData.build(parts, sources.study(), sources.definition(), sources.questions(),
          sources.explorerLimit());
      shown.add(result(judges));
    }
    for (Table t : shown) {
      if (t.name().equals("costs")) {
        continue;
      }
      write("tables/" + t.name() + ".csv", t.toCsv());
      write("tables/" + t.name() + ".md", MarkdownTables.render(t));
      write("tables/" + t.name() + ".tex", LatexTables.render(t));
    }
    ReportContent content = new ReportContent(title, description, notes, shown, conditionLabels, explorer);
    Map<String, String> svgs = FigureFiles.svgs(content);
    for (Map.Entry<String, String> f : svgs.entrySet()) {
      write(f.getKey(), f.getValue());
    }
    for (Map.Entry<String, byte[]> f : FigureFiles.pdfs(svgs).entrySet()) {
      write(f.getKey(), f.getValue(), "application/pdf");
    }
    write("report.html", HtmlReport.render(content));
  }

  /** What {@code task} returned, or what it threw. */
  private static <T> T result(java.util.concurrent.FutureTask<T> task) throws IOException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while the judge diagnostics were read");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
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
