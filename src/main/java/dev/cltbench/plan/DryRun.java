package dev.cltbench.plan;

import dev.cltbench.clients.ModelClients;
import dev.cltbench.clients.Preflight;
import dev.cltbench.clients.ResponseCache;
import dev.cltbench.clients.RetryPolicy;
import dev.cltbench.output.OutputDirectory;
import dev.cltbench.output.OutputRules;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code --dryRun} of {@code run} and {@code grade}: every check a real run makes before its first
 * call, then the plan ({@link RunPlan}) printed. No model is called, no emulator started, nothing
 * written: the cache is only read.
 */
public final class DryRun {
  private DryRun() {}

  /**
   * The checks of a real run, and the clients' own (base URL, key over plain http, local servers
   * without base_url), made here because a real run would meet them on the first call of each model.
   */
  public static void check(PipelineDefinition definition, boolean callsModels, long tuples, String output,
      Double budgetUsd, List<OutputRules.Input> inputs, Function<String, String> env) {
    OutputDirectory.check(output, inputs);
    Preflight.checkBeforeCalls(definition, callsModels, tuples, budgetUsd, env);
    List<PipelineDefinition.ModelSpec> called = new ArrayList<>(definition.panel());
    if (callsModels) {
      called.addAll(definition.models());
    }
    for (PipelineDefinition.ModelSpec m : called) {
      if (!PipelineDefinition.EMULATOR_URL.equals(m.baseUrl())) {
        try (var client = ModelClients.create(m, env, RetryPolicy.defaults())) {
          // made and dropped: creating a client opens no connection
        } catch (IllegalArgumentException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /**
   * Prints the plan of calling {@code tuples}.
   *
   * @param cache the --cache directory (null or empty: none)
   * @param budgetUsd the --budgetUsd cap or null
   */
  public static void plan(String cache, Double budgetUsd, PipelineDefinition definition, Questions questions,
      List<EvaluationTuple> tuples, RunPlan.Recorded recorded, String recordedFrom, PrintStream out)
      throws IOException {
    String cacheDir = cache == null || cache.isEmpty() ? null : cache;
    String english = definition.languages().stream()
        .filter(l -> "eng".equals(l.iso6393()) || "english".equalsIgnoreCase(l.code()))
        .map(PipelineDefinition.Language::questionField).findFirst().orElse(null);
    RunPlan.Result r = RunPlan.plan(definition, questions, tuples,
        RunPlan.CacheLookup.of(cacheDir == null ? null : new ResponseCache(cacheDir)), recorded, english);
    print(out, definition, r, budgetUsd, cacheDir, recordedFrom);
    // Live and batch side by side: the same plan with every batchable entry off, then on.
    RunPlan.CacheLookup lookup = RunPlan.CacheLookup.of(cacheDir == null ? null : new ResponseCache(cacheDir));
    printBatch(out, definition,
        RunPlan.plan(definition.withBatch(PipelineDefinition.BatchMode.OFF), questions, tuples, lookup, recorded, english),
        RunPlan.plan(definition.withBatch(PipelineDefinition.BatchMode.AUTO), questions, tuples, lookup, recorded,
            english));
  }

  /**
   * Each model's and judge's cost live and through its provider's batch API (providers without one
   * stay live), and the run as its --batch and the file's entries set it.
   */
  static void printBatch(PrintStream out, PipelineDefinition d, RunPlan.Result live, RunPlan.Result batch) {
    out.println();
    out.println("live vs batch (USD of the calls to make; batch: openai, anthropic and gemini at their"
        + " batch_discount, default 0.5; answers within 24 h instead of seconds; others stay live)");
    out.printf(Locale.ROOT, "  %-28s %-12s %6s %12s %12s %12s %12s%n", "model", "provider", "batch", "live_expect",
        "live_worst", "batch_expect", "batch_worst");
    Map<String, long[]> rows = new java.util.LinkedHashMap<>();
    live.byModelStage().forEach((k, t) -> {
      long[] v = rows.computeIfAbsent(k.first(), x -> new long[4]);
      v[0] += t.expectedMicros;
      v[1] += t.worstMicros;
    });
    batch.byModelStage().forEach((k, t) -> {
      long[] v = rows.computeIfAbsent(k.first(), x -> new long[4]);
      v[2] += t.expectedMicros;
      v[3] += t.worstMicros;
    });
    rows.forEach((name, v) -> {
      PipelineDefinition.ModelSpec m = d.anyModel(name).orElse(null);
      out.printf(Locale.ROOT, "  %-28s %-12s %6s %12s %12s %12s %12s%n", name, m == null ? "" : m.provider(),
          m == null || !m.batchable() ? "-" : m.batched() ? "on" : "off", usd(v[0]), usd(v[1]), usd(v[2]), usd(v[3]));
    });
    out.printf(Locale.ROOT, "total: live %s USD expected (%s worst); batch %s USD expected (%s worst)%n",
        usd(live.total().expectedMicros), usd(live.total().worstMicros), usd(batch.total().expectedMicros),
        usd(batch.total().worstMicros));
    out.println(d.anyBatched() ? "this run: batch mode for the entries marked on (--batch, or \"batch\" in the"
        + " pipeline file); the cost above is this run's" : "this run: live (give --batch=auto for the batch price)");
  }

  static void print(PrintStream out, PipelineDefinition d, RunPlan.Result r, Double budgetUsd, String cache,
      String recordedFrom) {
    out.printf(Locale.ROOT, "dry run of %s: nothing was called and nothing written%n", d.name());
    out.printf(Locale.ROOT, "tuples: %d (%d models x %d conditions x questions x %d epochs)%n", r.tuples(),
        d.models().size(), d.conditions().size(), d.epochsOrDefault());
    TreeSet<String> conditions = new TreeSet<>();
    r.tuplesByModelCondition().values().forEach(m -> conditions.addAll(m.keySet()));
    List<String> order = new ArrayList<>();
    d.conditions().forEach(c -> {
      if (conditions.contains(c.id())) {
        order.add(c.id());
      }
    });
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-28s", "model"));
    order.forEach(c -> head.append(String.format(Locale.ROOT, " %7s", c)));
    out.println(head);
    for (PipelineDefinition.ModelSpec m : d.models()) {
      Map<String, Long> row = r.tuplesByModelCondition().get(m.name());
      if (row == null) {
        continue;
      }
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-28s", m.name()));
      order.forEach(c -> line.append(String.format(Locale.ROOT, " %7d", row.getOrDefault(c, 0L))));
      out.println(line);
    }
    out.println();
    out.println("calls per stage and provider (cache: " + (cache == null ? "none" : cache) + ")");
    out.printf(Locale.ROOT, "  %-13s %-50s %8s %8s %8s%n", "stage", "provider@base_url", "calls", "cached", "to make");
    r.byStageProvider().forEach((k, t) -> {
      out.printf(Locale.ROOT, "  %-13s %-50s %8d %8d %8d%n", k.first(), k.second(), t.calls, t.cached, t.toMake());
    });
    for (String stage : List.of("answer", "translations", "judge")) {
      RunPlan.Tally t = r.byStage().get(stage);
      out.printf(Locale.ROOT, "%s calls: %d (%d in the cache, %d to make)%n", stage, t.calls, t.cached, t.toMake());
    }
    out.println();
    out.println("estimated tokens and cost of the calls to make, per model and stage (USD at the pipeline file's"
        + " prices; expected from " + (recordedFrom == null ? "the prompts and the rubric (no recorded answer"
        + " lengths: answers counted at max_tokens; give --lengthsFrom=STUDY)" : "the prompts, the rubric and the"
        + " answer lengths recorded in " + recordedFrom) + "; worst case: max_tokens out)");
    out.printf(Locale.ROOT, "  %-28s %-13s %7s %11s %11s %11s %12s %12s%n", "model", "stage", "calls",
        "in_tokens", "out_expect", "out_worst", "usd_expected", "usd_worst");
    r.byModelStage().forEach((k, t) -> {
      out.printf(Locale.ROOT, "  %-28s %-13s %7d %11d %11d %11d %12s %12s%n", k.first(), k.second(), t.toMake(),
          t.inputTokens, t.expectedOutputTokens, t.worstOutputTokens, usd(t.expectedMicros), usd(t.worstMicros));
    });
    RunPlan.Tally total = r.total();
    out.printf(Locale.ROOT, "estimated cost: %s USD expected, %s USD worst case (%d calls to make; %d input tokens,"
        + " %d output tokens expected, %d at most)%n", usd(total.expectedMicros), usd(total.worstMicros),
        total.toMake(), total.inputTokens, total.expectedOutputTokens, total.worstOutputTokens);
    if (total.unknownLength > 0) {
      out.printf(Locale.ROOT, "  (%d calls had no recorded length to go by and count at max_tokens in both)%n",
          total.unknownLength);
    }
    out.println();
    out.println("lower bound on wall time under the pipeline's limits (recorded answer latencies; judges and"
        + " translations count 0 s, so this is a bound, not a forecast):");
    out.printf(Locale.ROOT, "  %-55s %7s %10s %6s %9s %9s%n", "limits bucket", "calls", "latency s", "conc.",
        "rpm s", "tpm s");
    r.buckets().forEach((k, v) -> out.printf(Locale.ROOT, "  %-55s %7.0f %10.1f %6.0f %9.1f %9.1f%n", k, v[4],
        v[0], v[1], v[2], v[3]));
    out.printf(Locale.ROOT, "  longest single chain: %.1f s%n", r.longestChainSeconds());
    out.printf(Locale.ROOT, "wall time lower bound: %.1f s%n", r.lowerBoundSeconds());
    if (budgetUsd == null) {
      out.println("budget: no --budgetUsd cap");
    } else {
      double expected = total.expectedMicros / 1e6;
      double worst = total.worstMicros / 1e6;
      out.printf(Locale.ROOT, "budget: cap %.2f USD: %s%n", budgetUsd,
          worst <= budgetUsd ? "not reached, even at the worst case"
              : expected <= budgetUsd ? "not reached at the expected cost, but the worst case passes it: calls"
                  + " are reserved at their worst case, so some may be refused near the cap"
              : "WOULD BE REACHED: the expected cost passes the cap; the calls beyond it would be refused"
                  + " and their tuples land in failures.jsonl");
    }
  }

  static String usd(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }

  /** Where recorded lengths come from: --lengthsFrom, else the replayed study, else none. */
  public static String recordedFrom(String lengthsFrom, String replay) {
    if (lengthsFrom != null && !lengthsFrom.isEmpty()) {
      return lengthsFrom;
    }
    return replay != null && !replay.isEmpty() ? replay : null;
  }

  public static RunPlan.Recorded recorded(String from, PipelineDefinition definition) throws IOException {
    return from == null ? RunPlan.Recorded.NONE : RunPlan.recorded(from, definition);
  }
}
