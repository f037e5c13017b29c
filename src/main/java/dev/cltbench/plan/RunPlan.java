package dev.cltbench.plan;

import dev.cltbench.clients.Call;
import dev.cltbench.clients.ModelCalls;
import dev.cltbench.clients.ResponseCache;
import dev.cltbench.clients.RunLedger;
import dev.cltbench.judge.JudgePrompt;
import dev.cltbench.study.CellKey;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.StudyCodec;
import dev.cltbench.study.StudyLayout;
import dev.cltbench.study.PipelineDefinition.Condition;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import dev.cltbench.study.Questions;
import dev.cltbench.transforms.RunSteps;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a run or a re-grading would do, computed without calling anything: the calls of every tuple's
 * chain (its condition's stages, then one judge call per panel judge), which of them the cache
 * already answers, and the tokens, cost and time of the rest.
 *
 * <p>A chain is followed through the cache as far as it goes: a cached answer is known text, so the
 * next call's prompt, and whether the cache holds it too, are known exactly. Past the first call to
 * make, texts are estimated: an English translation of a question by the benchmark's English text
 * (else the question itself), an answer by the recorded answers of the same model and condition
 * ({@link Recorded}), a judge's reply by the rubric's JSON and the recorded judge notes. Tokens are
 * counted as the budget cap counts them ({@link RunLedger#promptTokens}: two characters a token, a
 * structured judge's schema included), and the worst case is the prompt plus {@code max_tokens}.
 */
public final class RunPlan {
  private RunPlan() {}

  /** Looks a call up in the response cache; empty when absent. */
  public interface CacheLookup {
    Optional<String> text(String key) throws IOException;

    static CacheLookup of(ResponseCache cache) {
      // A cut answer cached for a model that grades them is planned as a call to make: the plan may
      // overestimate the calls, never the cache.
      return cache == null ? k -> Optional.empty()
          : k -> cache.get(k).filter(e -> !e.truncated()).map(ResponseCache.Entry::text);
    }
  }

  /**
   * Lengths and latencies recorded by an earlier study of the same models and conditions (the study
   * being re-graded, the one replayed, or one named with --lengthsFrom): means per (condition, model).
   */
  public record Recorded(Map<CellKey, double[]> answers /* chars, seconds, n */, double judgeNoteChars) {
    public static final Recorded NONE = new Recorded(Map.of(), -1);

    /** Mean answer characters of (condition, model); else of the condition; else of all; else -1. */
    double answerChars(String condition, String model) {
      double[] v = answers.get(new CellKey(condition, model));
      if (v != null) {
        return v[0];
      }
      double sum = 0;
      double n = 0;
      for (Map.Entry<CellKey, double[]> e : answers.entrySet()) {
        if (e.getKey().condition().equals(condition)) {
          sum += e.getValue()[0] * e.getValue()[2];
          n += e.getValue()[2];
        }
      }
      if (n == 0) {
        for (double[] a : answers.values()) {
          sum += a[0] * a[2];
          n += a[2];
        }
      }
      return n == 0 ? -1 : sum / n;
    }

    double answerSeconds(String condition, String model) {
      double[] v = answers.get(new CellKey(condition, model));
      return v == null ? 0 : v[1];
    }
  }

  /** Sums for one group (model x stage, or stage x provider). */
  public static final class Tally {
    public long calls;
    public long cached;
    public long inputTokens;
    public long expectedOutputTokens;
    public long worstOutputTokens;
    public long expectedMicros;
    public long worstMicros;
    /** Calls whose expected output had no recorded length to go by (counted at the worst case). */
    public long unknownLength;

    void add(Tally o) {
      calls += o.calls;
      cached += o.cached;
      inputTokens += o.inputTokens;
      expectedOutputTokens += o.expectedOutputTokens;
      worstOutputTokens += o.worstOutputTokens;
      expectedMicros += o.expectedMicros;
      worstMicros += o.worstMicros;
      unknownLength += o.unknownLength;
    }

    public long toMake() {
      return calls - cached;
    }
  }

  /** A row of the printout: two names, sorted by the first, then the second. */
  public record Pair(String first, String second) implements Comparable<Pair> {
    private static final java.util.Comparator<Pair> ORDER =
        java.util.Comparator.comparing(Pair::first).thenComparing(Pair::second);

    @Override
    public int compareTo(Pair o) {
      return ORDER.compare(this, o);
    }
  }

  /** The plan. Maps are sorted, so the printout is stable. */
  public record Result(
      long tuples,
      Map<String, Map<String, Long>> tuplesByModelCondition,
      Map<Pair, Tally> byStageProvider /* (stage, provider@base) */,
      Map<Pair, Tally> byModelStage /* (model, stage) */,
      Map<String, Tally> byStage /* answer, translations, judge */,
      Map<String, double[]> buckets /* limits bucket -> {seconds of calls, concurrency, rpm bound, tpm bound, calls} */,
      double longestChainSeconds,
      Tally total) {

    public double lowerBoundSeconds() {
      double b = longestChainSeconds;
      for (double[] v : buckets.values()) {
        b = Math.max(b, Math.max(v[0] / v[1], Math.max(v[2], v[3])));
      }
      return b;
    }
  }

  /** The stage group a call's stage belongs to. */
  static String stageGroup(String stage) {
    if (stage.startsWith(RunSteps.JUDGE_PREFIX)) {
      return "judge";
    }
    return stage.equals(RunSteps.ANSWER) ? "answer" : "translations";
  }

  /**
   * @param tuples every tuple (and epoch) to evaluate; a re-graded tuple carries its recorded answer
   * @param englishField the benchmark's English question field, or null
   */
  public static Result plan(PipelineDefinition definition, Questions questions, List<EvaluationTuple> tuples,
      CacheLookup cache, Recorded recorded, String englishField) throws IOException {
    RunSteps steps = new RunSteps(definition);
    JudgePrompt judgePrompt = new JudgePrompt(definition.rubric());
    double judgeReplyChars = judgeReplyChars(definition, recorded);
    Map<String, Map<String, Long>> perCell = new TreeMap<>();
    Map<Pair, Tally> byStageProvider = new TreeMap<>();
    Map<Pair, Tally> byModelStage = new TreeMap<>();
    Map<String, Tally> byStage = new TreeMap<>();
    Map<String, double[]> buckets = new TreeMap<>();
    double longest = 0;
    for (EvaluationTuple start : tuples) {
      perCell.computeIfAbsent(start.model(), m -> new TreeMap<>()).merge(start.condition(), 1L, Long::sum);
      Condition c = definition.condition(start.condition()).orElseThrow();
      EvaluationTuple t = start;
      boolean known = true; // every output so far is known text
      double estimated = -1; // the estimated length of the last output once unknown
      double chain = 0;
      for (String stage : RunSteps.stages(c)) {
        if (t.output(stage) != null) {
          continue; // recorded: not called again
        }
        Call call;
        double userChars;
        if (known) {
          call = steps.call(stage, t);
          userChars = call.user().length();
        } else {
          call = estimatedCall(steps, stage, t);
          userChars = estimated;
        }
        ModelSpec spec = ModelCalls.forEpoch(definition.anyModel(call.model()).orElseThrow(), call.epoch());
        Optional<String> hit = known
            ? cache.text(ResponseCache.key(spec, call.system(), call.user(), call.epoch())) : Optional.empty();
        double outChars = expectedOutput(stage, t, questions, englishField, recorded, estimated);
        double seconds = stage.equals(RunSteps.ANSWER) ? recorded.answerSeconds(t.condition(), t.model()) : 0;
        account(definition, spec, call, userChars, outChars, hit.isPresent(), seconds, byStageProvider,
            byModelStage, byStage, buckets);
        if (hit.isPresent()) {
          t = t.withStep(new EvaluationTuple.Step(stage, call.model(), call.system(), call.user(),
              hit.get(), 0, 0, 0, true));
        } else {
          chain += seconds;
          known = false;
          estimated = outChars < 0 ? RunLedger.maxOutputTokens(spec) * 2.0 : outChars;
        }
      }
      String evaluated = null;
      if (known) {
        evaluated = steps.withEvaluatedText(t).evaluatedText();
      }
      for (ModelSpec judge : definition.panel()) {
        Call call;
        double userChars;
        Optional<String> hit = Optional.empty();
        if (evaluated != null) {
          call = steps.judgeCall(judge, steps.withEvaluatedText(t));
          userChars = call.user().length();
          hit = cache.text(ResponseCache.key(judge, call.system(), call.user(), 0, call.schema()));
        } else {
          String target = c.conditionType().judgedLanguageName(definition, c);
          String skeleton = judgePrompt.user(target, t.questionText(), t.referenceAnswer(), "");
          call = steps.withJudgeSchema(judge,
              new Call(RunSteps.JUDGE_PREFIX + judge.name(), judge.name(), judgePrompt.system(), skeleton));
          userChars = skeleton.length() + estimated;
        }
        account(definition, judge, call, userChars, judgeReplyChars, hit.isPresent(), 0, byStageProvider,
            byModelStage, byStage, buckets);
      }
      longest = Math.max(longest, chain);
    }
    Tally total = new Tally();
    byStage.values().forEach(total::add);
    for (String g : List.of("answer", "translations", "judge")) {
      byStage.putIfAbsent(g, new Tally());
    }
    return new Result(tuples.size(), perCell, byStageProvider, byModelStage, byStage, buckets, longest, total);
  }

  /** A call whose input is the unknown output of an earlier call: its system prompt, no user text. */
  private static Call estimatedCall(RunSteps steps, String stage, EvaluationTuple t) {
    EvaluationTuple placeholder = t;
    for (String s : List.of(RunSteps.TRANSLATE_QUESTION, RunSteps.ANSWER)) {
      if (placeholder.output(s) == null) {
        placeholder = placeholder.withStep(new EvaluationTuple.Step(s, t.model(), null, "", "", 0, 0, 0, false));
      }
    }
    Call c = steps.call(stage, placeholder);
    return new Call(c.stage(), c.model(), c.system(), "", c.epoch());
  }

  /** Expected characters of a call's output, or -1 when there is nothing to go by. */
  static double expectedOutput(String stage, EvaluationTuple t, Questions questions, String englishField,
      Recorded recorded, double estimatedInput) {
    switch (stage) {
      case RunSteps.TRANSLATE_QUESTION -> {
        Questions.Question q = questions.get(t.questionId());
        String english = q == null || englishField == null ? null : q.texts().get(englishField);
        return english != null ? english.length() : t.questionText().length();
      }
      case RunSteps.TRANSLATE_ANSWER -> {
        return estimatedInput >= 0 ? estimatedInput : recorded.answerChars(t.condition(), t.model());
      }
      default -> {
        return recorded.answerChars(t.condition(), t.model());
      }
    }
  }

  /**
   * A judge's expected reply: the rubric's JSON object (one integer per criterion) and a note as long
   * as the recorded judges' mean note; without recorded notes, as long as the rubric's level texts.
   */
  static double judgeReplyChars(PipelineDefinition d, Recorded recorded) {
    double chars = "{\"notes\": \"\"}".length();
    double levels = 0;
    for (PipelineDefinition.Criterion c : d.rubric().criteria()) {
      chars += c.name().length() + 7;
      for (String l : c.levels()) {
        levels += l.length();
      }
    }
    return chars + (recorded.judgeNoteChars() >= 0 ? recorded.judgeNoteChars() : levels);
  }

  private static void account(PipelineDefinition d, ModelSpec spec, Call call, double userChars,
      double outChars, boolean cached, double seconds, Map<Pair, Tally> byStageProvider,
      Map<Pair, Tally> byModelStage, Map<String, Tally> byStage, Map<String, double[]> buckets) {
    Tally one = new Tally();
    one.calls = 1;
    if (cached) {
      one.cached = 1;
    } else {
      long in = (long) Math.ceil(((call.system() == null ? 0 : call.system().length()) + userChars
          + RunLedger.schemaChars(call.schema()) + 1) / 2);
      long worstOut = RunLedger.maxOutputTokens(spec);
      long expectedOut = outChars < 0 ? worstOut : Math.min(worstOut, (long) Math.ceil((outChars + 1) / 2));
      one.unknownLength = outChars < 0 ? 1 : 0;
      one.inputTokens = in;
      one.expectedOutputTokens = expectedOut;
      one.worstOutputTokens = worstOut;
      one.expectedMicros = RunLedger.costMicros(spec, in, expectedOut);
      one.worstMicros = RunLedger.costMicros(spec, in, worstOut);
      PipelineDefinition.Limit limit = d.limit(spec);
      double[] b = buckets.computeIfAbsent(spec.limitKey(), k -> new double[] {0, limit.concurrency(), 0, 0, 0});
      b[0] += seconds;
      b[4] += 1;
      if (limit.requestsPerMinute() > 0) {
        b[2] = b[4] * 60.0 / limit.requestsPerMinute();
      }
      if (limit.tokensPerMinute() > 0) {
        // The pacer counts each call at its worst case.
        b[3] += (in + worstOut) * 60.0 / limit.tokensPerMinute();
      }
    }
    String provider = spec.provider() + "@" + (spec.baseUrl() == null ? "(default)" : spec.baseUrl());
    byStageProvider.computeIfAbsent(new Pair(stageGroup(call.stage()), provider), k -> new Tally()).add(one);
    byModelStage.computeIfAbsent(new Pair(call.model(), stageGroup(call.stage())), k -> new Tally()).add(one);
    byStage.computeIfAbsent(stageGroup(call.stage()), k -> new Tally()).add(one);
  }

  /**
   * Mean answer lengths and latencies per (condition, model) and the mean judge note of a recorded
   * study directory (results/ and grades/ in the published layout); conditions and models the
   * definition does not have are skipped. Checked reading is the report's job; this only averages.
   */
  public static Recorded recorded(String study, PipelineDefinition definition) throws IOException {
    Map<CellKey, double[]> answers = new TreeMap<>(); // sorted: the means above sum in a fixed order
    for (Condition c : definition.conditions()) {
      for (ModelSpec m : definition.models()) {
        String f = StudyCodec.results(study, c.directory(), m.name());
        if (!StudyCodec.exists(f)) {
          continue;
        }
        double chars = 0;
        double seconds = 0;
        int n = 0;
        for (com.fasterxml.jackson.databind.JsonNode r : StudyCodec.readJson(f).path("responses")) {
          chars += r.path("response").asText("").length();
          seconds += r.path("response_time_seconds").asDouble(0);
          n++;
        }
        if (n > 0) {
          answers.put(new CellKey(c.id(), m.name()), new double[] {chars / n, seconds / n, n});
        }
      }
    }
    double notes = 0;
    long n = 0;
    for (String f : StudyCodec.match(StudyLayout.gradesPattern(study))) {
      try (var in = StudyCodec.reader(f);
          var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader()
              .setSkipHeaderRecord(true).build().parse(in)) {
        for (var row : parser) {
          if (row.isMapped("notes") && row.isSet("notes")) {
            notes += row.get("notes").length();
            n++;
          }
        }
      }
    }
    return new Recorded(answers, n == 0 ? -1 : notes / n);
  }
}
