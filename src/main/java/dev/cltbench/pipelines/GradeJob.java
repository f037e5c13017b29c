package dev.cltbench.pipelines;

import dev.cltbench.output.OutputDirectory;
import dev.cltbench.output.OutputRules;
import dev.cltbench.plan.DryRun;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudyLayout;
import dev.cltbench.study.StudySubset;
import dev.cltbench.transforms.ReadStudyResults;
import dev.cltbench.transforms.RecordedAnswers;
import dev.cltbench.transforms.RunSteps;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.io.FileSystems;

/**
 * {@code cltbench grade}: re-grades the recorded responses of a study (for example the published
 * 2,000) with a new judge or panel, writes the new grades in the study layout, keeps the recorded
 * grades as the rater {@code recorded}, and reports every judge's agreement with them.
 */
public final class GradeJob {
  static final String RECORDED = "recorded";
  static final String HUMAN = dev.cltbench.review.HumanGrades.RATER;

  private GradeJob() {}

  /**
   * Re-grades the study the options name (or plans it, with --dryRun).
   *
   * @param commandLine the command's arguments as given, recorded in manifest.json
   * @param env the environment API keys are read from
   * @return the exit status
   */
  public static int run(GradeOptions options, List<String> commandLine, PrintStream out, PrintStream err,
      Function<String, String> env) throws Exception {
    EvaluationChecks.check(options);
    FileSystems.setDefaultPipelineOptions(options);
    PipelineDefinition definition = PipelineDefinition.read(Path.of(pipelineFile(options)));
    if (options.getJudges() != null) {
      definition = definition.withJudgesFrom(Path.of(options.getJudges()));
    }
    for (PipelineDefinition.ModelSpec j : definition.panel()) {
      if (j.name().equals(RECORDED) || j.name().equals(HUMAN)) {
        throw new IllegalArgumentException("judge name '" + j.name() + "' is reserved for the "
            + (j.name().equals(HUMAN) ? "grades of --human" : "recorded grades"));
      }
    }
    if (options.getReplay() != null && !options.getReplay().isEmpty()) {
      definition = definition.replayedFrom(options.getReplay(), options.getLatencyScale());
    }
    // The recorded study's own epochs: every recorded answer is judged once.
    Integer epochs = options.getEpochs() != null ? options.getEpochs() : ReportJob.manifestEpochs(options.getStudy());
    if (epochs != null) {
      definition = definition.withEpochs(epochs);
    }
    String study = options.getStudy();
    List<OutputRules.Input> inputs = OutputDirectory.inputs(
        "pipeline file", pipelineFile(options), "study directory", study, "judge panel file",
        options.getJudges(), "cache", options.getCache(), "replayed study", options.getReplay(),
        "human grades", options.getHuman(), "review key", humanKey(options));
    OutputDirectory.check(outputDirectory(options), inputs);
    if (options.getHuman() != null && !java.nio.file.Files.isRegularFile(Path.of(options.getHuman()))) {
      throw new IllegalArgumentException("--human=" + options.getHuman() + ": no such file (the CSV the review form exported)");
    }
    if (options.getHuman() != null && !java.nio.file.Files.isRegularFile(Path.of(humanKey(options)))) {
      throw new IllegalArgumentException((options.getHumanKey() != null ? "--humanKey=" + options.getHumanKey()
          : "the review key " + humanKey(options) + " (key.csv beside --human; give --humanKey)") + ": no such file");
    }
    // Read and checked before any judge is called: a bad row stops the run with nothing written.
    List<dev.cltbench.review.HumanGrades.Grade> human = options.getHuman() == null ? List.of()
        : dev.cltbench.review.HumanGrades.read(Path.of(options.getHuman()), Path.of(humanKey(options)), definition);
    String benchmark = StudyLayout.questionsFile(study);
    Questions questions = Questions.read(benchmark, definition.languages());
    StudySubset subset = ReportJob.subset(options, definition, questions);
    StudyLayout.verify(study, definition, subset);
    PipelineDefinition whole = definition;
    definition = subset.apply(definition);
    // The person's grades of what this run grades: the agreement is over the responses both graded.
    List<dev.cltbench.review.HumanGrades.Grade> humanInSubset = human.stream()
        .filter(g -> subset.includesCondition(g.condition()) && subset.includesModel(g.model())
            && subset.includesQuestion(g.questionId()))
        .toList();
    if (!human.isEmpty() && humanInSubset.isEmpty()) {
      throw new IllegalArgumentException("--human=" + options.getHuman() + ": none of its " + human.size()
          + " graded responses is in the selected subset (" + subset.describe(whole) + ")");
    }
    long expected = (long) definition.conditions().size() * definition.models().size()
        * questions.restrictTo(subset::includesQuestion).size() * definition.epochsOrDefault();
    PipelineDefinition def = definition;
    Evaluation.TupleSource recorded = p -> p
        .apply(new ReadStudyResults(study, whole, questions, subset))
        .apply(new RecordedAnswers(def, questions));
    if (options.getDryRun()) {
      DryRun.check(definition, false, expected, outputDirectory(options), options.getBudgetUsd(), inputs, env);
      // The real run's reading and checks of every recorded response, with no sink: nothing is written.
      FlinkMaster.requireReachable(options);
      FlinkRestarts.configure(options);
      org.apache.beam.sdk.Pipeline check = org.apache.beam.sdk.Pipeline.create(options);
      recorded.tuples(check).apply("CountRecorded", org.apache.beam.sdk.transforms.Count.globally());
      check.run().waitUntilFinish();
      String lengthsFrom = DryRun.recordedFrom(options.getLengthsFrom(), options.getReplay());
      String from = lengthsFrom != null ? lengthsFrom : study;
      DryRun.plan(options.getCache(), options.getBudgetUsd(), definition, questions, recordedTuples(study, definition, questions, subset),
          DryRun.recorded(from, definition), from, out);
      return 0;
    }
    List<String> panel = definition.panel().stream().map(PipelineDefinition.ModelSpec::name).toList();
    Evaluation evaluation = Evaluation.builder("grade", options)
        .study(definition, questions, benchmark)
        .recordedTuples(recorded, expected)
        .output(outputDirectory(options), inputs)
        .notes(List.of("Recorded responses of " + study + " re-graded by the panel " + panel
            + "; the recorded grades are the rater 'recorded' in judges/ and tables/judge_agreement.csv."))
        .addToStudy(staging -> {
          copyRecordedGrades(study, staging, whole, subset);
          if (!humanInSubset.isEmpty()) {
            dev.cltbench.review.HumanGrades.write(study, dev.cltbench.study.StudyCodec.join(staging, "judges/" + HUMAN + "/grades"),
                humanInSubset, whole);
          }
        })
        .manifest(RunJob.manifest("grade", commandLine, options, pipelineFile(options), definition, benchmark,
            subset.isAll() ? null : "subset: " + subset.describe(whole)))
        .reportCommand(Evaluation.reportCommand(pipelineFile(options), outputDirectory(options), options))
        .build();
    LiveEvaluation.Outcome outcome = LiveEvaluation.evaluate(evaluation, out, err, env);
    if (!human.isEmpty()) {
      printHumanAgreement(dev.cltbench.study.StudyCodec.join(outcome.target(), "tables/judge_agreement.csv"), humanInSubset.size(), out);
    }
    return outcome.exitCode(options.getMaxFailureRate(), outcome.target(), err);
  }

  static String humanKey(GradeOptions options) {
    if (options.getHumanKey() != null) {
      return options.getHumanKey();
    }
    if (options.getHuman() == null) {
      return null;
    }
    Path sibling = Path.of(options.getHuman()).toAbsolutePath().resolveSibling(dev.cltbench.review.ReviewFiles.KEY);
    return sibling.toString();
  }

  /** Every judge's agreement with the person, per criterion, from the agreement table. */
  static void printHumanAgreement(String table, int graded, PrintStream out) throws java.io.IOException {
    if (!dev.cltbench.study.StudyCodec.exists(table)) {
      return;
    }
    out.println();
    out.println("agreement with the human rater (" + graded + " responses graded; tables/judge_agreement.csv):");
    out.printf(java.util.Locale.ROOT, "  %-14s %-22s %6s %8s %8s %8s%n", "criterion", "judge", "units", "exact%",
        "kappa_q", "alpha");
    try (java.io.Reader in = dev.cltbench.study.StudyCodec.reader(table)) {
      for (org.apache.commons.csv.CSVRecord r : org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader()
          .setSkipHeaderRecord(true).build().parse(in)) {
        String a = r.get("rater_a");
        String b = r.get("rater_b");
        if (!a.equals(HUMAN) && !b.equals(HUMAN)) {
          continue;
        }
        out.printf(java.util.Locale.ROOT, "  %-14s %-22s %6s %8s %8s %8s%n", r.get("criterion"),
            a.equals(HUMAN) ? b : a, r.get("units"), fixed(r.get("exact_agreement_pct"), 1),
            fixed(r.get("quadratic_kappa"), 3), fixed(r.get("krippendorff_alpha_ordinal"), 3));
      }
    }
  }

  private static String fixed(String v, int digits) {
    return v == null || v.isEmpty() ? "-" : String.format(java.util.Locale.ROOT, "%." + digits + "f",
        Double.parseDouble(v));
  }

  /**
   * The recorded answers of the subset as tuples whose answer is done, read directly (for the dry
   * run's plan; the checked reading is {@link ReadStudyResults}).
   */
  static List<EvaluationTuple> recordedTuples(String study, PipelineDefinition definition, Questions questions,
      StudySubset subset) throws java.io.IOException {
    List<EvaluationTuple> out = new java.util.ArrayList<>();
    for (PipelineDefinition.Condition c : definition.conditions()) {
      for (PipelineDefinition.ModelSpec m : definition.models()) {
        String f = dev.cltbench.study.StudyCodec.results(study, c.directory(), m.name());
        for (com.fasterxml.jackson.databind.JsonNode r : dev.cltbench.study.StudyCodec.readJson(f).path("responses")) {
          int id = r.path("question_id").asInt();
          Questions.Question q = questions.get(id);
          if (q == null || !subset.includesQuestion(id)) {
            continue;
          }
          EvaluationTuple.Step answer = new EvaluationTuple.Step(RunSteps.ANSWER, m.name(), c.systemPrompt(),
              r.path("question_text").asText(), r.path("response").asText(), 0, 0, 0, true);
          out.add(new EvaluationTuple(c.id(), m.name(), id, q.category(), c.language(),
              r.path("question_text").asText(), q.referenceAnswer(), List.of(answer), null, null, List.of(),
              null, r.path("epoch").asInt(0)));
        }
      }
    }
    return out;
  }

  /** The recorded grades become one more rater, so agreement with them is computed like any other. */
  static void copyRecordedGrades(String study, String staging, PipelineDefinition whole, StudySubset subset)
      throws java.io.IOException {
    String target = staging;
    String into = "judges/" + RECORDED + "/grades/";
    java.util.Map<String, String> conditions = whole.conditionIdsByDirectory();
    for (String f : dev.cltbench.study.StudyCodec.match(StudyLayout.gradesPattern(study))) {
      String name = dev.cltbench.study.StudyCodec.fileName(f);
      String condition = conditions.get(name.replaceFirst("\\.csv$", ""));
      if (subset.isAll()) {
        dev.cltbench.study.StudyCodec.copy(f, target, into + name);
      } else if (condition != null && subset.includesCondition(condition)) {
        dev.cltbench.study.StudyCodec.write(target, into + name, selectedRows(f, subset));
      }
    }
  }

  /** The rows of a grades file that the subset selects (the file was checked when the study was read). */
  private static String selectedRows(String from, StudySubset subset) throws java.io.IOException {
    org.apache.commons.csv.CSVFormat format = org.apache.commons.csv.CSVFormat.DEFAULT.builder()
        .setHeader().setSkipHeaderRecord(true).build();
    StringBuilder w = new StringBuilder();
    try (java.io.Reader in = dev.cltbench.study.StudyCodec.reader(from);
        org.apache.commons.csv.CSVParser parser = format.parse(in);
        org.apache.commons.csv.CSVPrinter printer = org.apache.commons.csv.CSVFormat.DEFAULT.builder()
            .setRecordSeparator("\n").build().print(w)) {
      printer.printRecord(parser.getHeaderNames());
      for (org.apache.commons.csv.CSVRecord r : parser) {
        int id;
        try {
          id = Integer.parseInt(r.get("question_id").strip());
        } catch (NumberFormatException e) {
          continue;
        }
        if (subset.includesModel(r.get("model")) && subset.includesQuestion(id)) {
          printer.printRecord(r.toList());
        }
      }
    }
    return w.toString();
  }

  static String pipelineFile(GradeOptions options) {
    return options.getPipeline() != null ? options.getPipeline() : GradeOptions.DEFAULT_PIPELINE;
  }

  static String outputDirectory(GradeOptions options) {
    return options.getOutput() != null ? options.getOutput() : GradeOptions.DEFAULT_OUTPUT;
  }
}
