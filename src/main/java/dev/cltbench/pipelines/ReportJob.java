package dev.cltbench.pipelines;

import dev.cltbench.clients.Preflight;
import dev.cltbench.output.OutputDirectory;
import dev.cltbench.output.OutputRules;
import dev.cltbench.report.ReportFiles;
import dev.cltbench.report.ScoreRow;
import dev.cltbench.study.Completeness;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.StudyInputException;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudyCodec;
import dev.cltbench.study.StudyLayout;
import dev.cltbench.study.StudySubset;
import dev.cltbench.transforms.JudgeAgreement;
import dev.cltbench.transforms.ReportPipeline;
import dev.cltbench.transforms.StudyOrder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code cltbench report}: tables, statistics, figures and a report from a study's recorded data; and
 * the same report on a live run's staged study ({@link #reportInto}).
 */
public final class ReportJob {
  private ReportJob() {}

  /**
   * Reports on the study the options name, into their output.
   *
   * @param commandLine the command's arguments as given, recorded in manifest.json
   * @return the exit status
   */
  public static int run(ReportOptions options, List<String> commandLine, PrintStream out, PrintStream err,
      Function<String, String> env) throws Exception {
    FileSystems.setDefaultPipelineOptions(options);
    long started = System.nanoTime();
    List<OutputRules.Input> inputs = OutputDirectory.inputs(
        "pipeline file", pipelineFile(options), "study directory", options.getStudy());
    OutputDirectory.check(outputDirectory(options), inputs);

    PipelineDefinition definition = PipelineDefinition.read(Path.of(pipelineFile(options)));
    Preflight.checkProviders(definition, pipelineFile(options));
    // Workers of a standalone cluster resolve paths against their own working directory.
    String study = absoluteIfLocal(options.getStudy());
    Integer epochs = options.getEpochs() != null ? options.getEpochs() : manifestEpochs(study);
    if (epochs != null) {
      definition = definition.withEpochs(epochs);
    }
    StudySubset subset = subset(options, definition,
        Questions.read(StudyLayout.questionsFile(study), definition.languages()));
    // A missing results file is a missing cell: the completeness check names it with the others.
    StudyLayout.verify(study, definition, subset, true);
    OutputDirectory output = OutputDirectory.prepare(outputDirectory(options), "report", inputs);
    boolean done = false;
    try {
      List<String> notes = new ArrayList<>();
      // The study as the user named it: a page that is shared must not carry this machine's folders.
      notes.add("Recorded responses and grades of " + definition.name() + " (" + options.getStudy() + ").");
      if (!subset.isAll()) {
        notes.add("A SUBSET of the study: " + subset.describe(definition) + ".");
      }
      // The study's own manifest (a run's) says how its answers were made; without one, say so.
      com.fasterxml.jackson.databind.JsonNode studyManifest = null;
      String studyManifestFile = StudyCodec.manifest(study);
      if (StudyCodec.exists(studyManifestFile)) {
        studyManifest = StudyCodec.readJson(studyManifestFile);
        notes.addAll(dev.cltbench.manifest.RunManifest.summary(studyManifest));
      } else {
        notes.add("This study has no manifest.json (it was not written by cltbench run): the models' "
            + "temperatures, API versions and prompts are not recorded with it.");
      }
      dev.cltbench.manifest.RunManifest manifest = dev.cltbench.manifest.RunManifest.of("report", commandLine,
          options.getRunner().getSimpleName(), Path.of(pipelineFile(options)), definition,
          StudyLayout.questionsFile(study), null, subset.isAll() ? null : "subset: " + subset.describe(definition))
          .withStudyManifest(studyManifest);
      StudyCodec.write(output.staging(), "manifest.json", manifest.toJson());
      PipelineResult result;
      try (ReportWarmUp warmUp = ReportWarmUp.figures(!FlinkMaster.isRemote(options))) {
        result = reportInto(options, options.getLanguageId(), definition, subset, study,
            output, notes, options.getAllowIncomplete());
      }
      output.commit();
      done = true;
      summarize(out, output.target(), result, started);
      return 0;
    } finally {
      if (!done) {
        output.abandon();
      }
    }
  }

  /**
   * Runs the report pipeline on a study directory and leaves its outputs in the staging directory of
   * {@code output} (tables, report.html, responses.jsonl); the caller commits.
   */
  static PipelineResult reportInto(PipelineOptions options, boolean identifyLanguages,
      PipelineDefinition definition, String study, OutputDirectory output, List<String> notes) throws java.io.IOException {
    // A live run's own study: its failed tuples are its missing cells, and exit 3 reports them.
    return reportInto(options, identifyLanguages, definition, StudySubset.all(), study, output, notes, true);
  }

  static PipelineResult reportInto(PipelineOptions options, boolean identifyLanguages,
      PipelineDefinition definition, String study, OutputDirectory output, List<String> notes,
      boolean allowIncomplete) throws java.io.IOException {
    return reportInto(options, identifyLanguages, definition, StudySubset.all(), study, output, notes,
        allowIncomplete);
  }

  /**
   * As above on the part of the study {@code subset} selects ({@code definition} is the whole
   * study's); an incomplete study (see {@link Completeness}) is an error unless {@code allowIncomplete},
   * and then the report's first note and tables/incomplete.csv name what is missing.
   */
  static PipelineResult reportInto(PipelineOptions options, boolean identifyLanguages,
      PipelineDefinition definition, StudySubset subset, String study, OutputDirectory output,
      List<String> notes, boolean allowIncomplete) throws java.io.IOException {
    Questions questions = Questions.read(StudyLayout.questionsFile(study), definition.languages());
    PipelineDefinition covered = subset.apply(definition);
    // Each question is answered once per epoch; a subset's files may hold more than it selects.
    List<Completeness.Cell> incomplete = Completeness.incompleteCells(study, covered,
        (long) questions.restrictTo(subset::includesQuestion).size() * covered.epochsOrDefault());
    if (!incomplete.isEmpty()) {
      String cells = incomplete.stream().map(Completeness.Cell::toString).collect(Collectors.joining("; "));
      if (!allowIncomplete) {
        throw new StudyInputException(study + ": incomplete study (" + incomplete.size()
            + " model x condition cells): " + cells + "; fix the study, or give --allowIncomplete to report on what is there");
      }
      List<String> withMissing = new ArrayList<>();
      withMissing.add("INCOMPLETE: " + incomplete.size() + " model x condition cells lack responses: " + cells
          + ". Tables cover only the responses present; paired comparisons pair only questions answered "
          + "under both conditions (tables/incomplete.csv lists the cells).");
      withMissing.addAll(notes);
      notes = withMissing;
      writeIncomplete(output.staging(), incomplete);
    }
    List<String> categories = new ArrayList<>(new LinkedHashSet<>(
        categoriesOf(questions.restrictTo(subset::includesQuestion))));
    StudyOrder order = new StudyOrder(covered, categories);
    String staging = output.staging();
    FlinkMaster.requireReachable(options);
    FlinkRestarts.configure(options);
    Pipeline pipeline = Pipeline.create(options);
    ReportPipeline.build(pipeline, definition, subset, questions, study, staging,
        new ReportFiles(staging, covered.name(), covered.description(), notes,
            conditionLabels(covered), new ReportFiles.PageSources(study, definition, questions,
                ReportPipeline.parts(staging), dev.cltbench.report.ExplorerData.LIMIT)),
        order, JudgeAgreement.raters(study),
        identifyLanguages);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    output.concatenateParts("parts", "responses.jsonl");
    return result;
  }

  private static void writeIncomplete(String staging, List<Completeness.Cell> cells) throws java.io.IOException {
    StringBuilder sb = new StringBuilder("condition,model,responses,expected,results_file\n");
    for (Completeness.Cell c : cells) {
      sb.append(c.condition()).append(',').append(c.model()).append(',').append(c.responses()).append(',')
          .append(c.expected()).append(',').append(c.missingFile() ? "missing" : "present").append('\n');
    }
    StudyCodec.write(staging, "tables/incomplete.csv", sb.toString());
  }

  /** A local path made absolute; a path on another Beam filesystem (scheme://) as given. */
  public static String absoluteIfLocal(String path) {
    return path.contains("://") ? path : Path.of(path).toAbsolutePath().normalize().toString();
  }

  static java.util.Map<String, String> conditionLabels(PipelineDefinition definition) {
    java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
    for (PipelineDefinition.Condition c : definition.conditions()) {
      labels.put(c.id(), c.label() != null ? c.label() : c.description() == null ? "" : c.description());
    }
    return labels;
  }

  private static List<String> categoriesOf(Questions questions) {
    List<String> out = new ArrayList<>();
    questions.all().forEach(q -> out.add(q.category()));
    return out;
  }

  static void summarize(PrintStream out, String target, PipelineResult result, long started)
      throws java.io.IOException {
    out.println("report written to " + target);
    out.println();
    printConditions(out, StudyCodec.readString(StudyCodec.join(target, "tables/conditions.csv")));
    out.println();
    MetricQueryResults metrics = result.metrics().queryMetrics(
        MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace("report")).build());
    for (MetricResult<Long> c : metrics.getCounters()) {
      Long v;
      try {
        v = c.getAttempted();
      } catch (UnsupportedOperationException e) {
        continue;
      }
      out.printf(Locale.ROOT, "  %-36s %d%n", c.getName().getName(), v);
    }
    out.printf(Locale.ROOT, "wall time %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  /**
   * The conditions table as the console shows it: the count, then the total score and one column per
   * criterion of the pipeline's rubric, under the criterion's name, read as {@link ScoreRow}s of the
   * file's own header, so a rule scorer or another rubric prints its own criteria.
   */
  static void printConditions(PrintStream out, String csv) throws java.io.IOException {
    List<String> header;
    try (org.apache.commons.csv.CSVParser p = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader()
        .build().parse(new java.io.StringReader(csv))) {
      header = p.getHeaderNames();
    }
    List<String> criteria = ScoreRow.criteria(header);
    List<String> names = new ArrayList<>(List.of("score"));
    names.addAll(criteria);
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-10s %9s", "condition", "responses"));
    for (String name : names) {
      head.append(String.format(Locale.ROOT, " %" + width(name) + "s", name + "%"));
    }
    out.println(head);
    for (ScoreRow r : ScoreRow.Kind.CONDITIONS.schema(criteria).readCsv(csv)) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s %9d", r.condition(), r.responses()));
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        double v = i == 0 ? r.scorePct() : r.criterion(name);
        line.append(Double.isNaN(v) ? String.format(Locale.ROOT, " %" + width(name) + "s", "")
            : String.format(Locale.ROOT, " %" + width(name) + ".1f", v));
      }
      out.println(line);
    }
  }

  /** A percentage column's width: its heading, at least 8. */
  private static int width(String name) {
    return Math.max(8, name.length() + 1);
  }

  /** The epochs a run's manifest.json in the study directory records, or null. */
  static Integer manifestEpochs(String study) {
    String f = StudyCodec.manifest(study);
    if (!StudyCodec.exists(f)) {
      return null;
    }
    com.fasterxml.jackson.databind.JsonNode e = StudyCodec.readJson(f).path("pipeline").path("epochs");
    return e.canConvertToInt() ? e.asInt() : null;
  }

  /** The subset the options select, checked against the study's definition and questions. */
  static StudySubset subset(SubsetOptions options, PipelineDefinition definition, Questions questions) {
    return StudySubset.resolve(StudySubset.parse(options.getModels(), options.getConditions(),
        options.getQuestions(), options.getLimit()), definition, questions);
  }

  public static String pipelineFile(ReportOptions options) {
    return options.getPipeline() != null ? options.getPipeline() : ReportOptions.DEFAULT_PIPELINE;
  }

  public static String outputDirectory(ReportOptions options) {
    return options.getOutput() != null ? options.getOutput() : ReportOptions.DEFAULT_OUTPUT;
  }
}
