package dev.cltbench.study;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which part of a study a command covers: models, conditions and question ids, from
 * {@code --models=a,b}, {@code --conditions=C1,C3}, {@code --questions=1,4,10-20} and
 * {@code --limit=N} (the first N question ids, after {@code --questions}). Parsed from the options,
 * then resolved against the pipeline definition and the benchmark into concrete sets, so every check
 * (an unknown model, an empty selection) fails before any work, and workers only test membership.
 *
 * <p>A transfer condition is compared with its direct condition only when that condition is selected
 * too: selecting C3 alone reports C3, not C2.
 */
public final class StudySubset implements Serializable {
  private static final long serialVersionUID = 1L;

  /** null: every model, condition or question. */
  private final Set<String> models;
  private final Set<String> conditions;
  private final Set<Integer> questions;
  private final int totalQuestions;

  private StudySubset(Set<String> models, Set<String> conditions, Set<Integer> questions, int totalQuestions) {
    this.models = models == null ? null : Collections.unmodifiableSet(models);
    this.conditions = conditions == null ? null : Collections.unmodifiableSet(conditions);
    this.questions = questions == null ? null : Collections.unmodifiableSet(questions);
    this.totalQuestions = totalQuestions;
  }

  /** The whole study. */
  public static StudySubset all() {
    return new StudySubset(null, null, null, 0);
  }

  /** The options as given, before they are checked against a study. */
  public record Request(List<String> models, List<String> conditions, List<int[]> questionRanges,
      Integer limit) implements Serializable {
    public boolean isAll() {
      return models == null && conditions == null && questionRanges == null && limit == null;
    }
  }

  /**
   * Parses the four options (null or empty: not restricted). Bad syntax throws
   * IllegalArgumentException naming the option.
   */
  public static Request parse(String models, String conditions, String questions, Integer limit) {
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("--limit must be at least 1, was " + limit);
    }
    return new Request(names("--models", models), names("--conditions", conditions),
        ranges(questions), limit);
  }

  private static List<String> names(String option, String value) {
    if (value == null) {
      return null;
    }
    requireNotBlank(option, value, "every model or condition");
    List<String> out = new ArrayList<>();
    for (String s : value.split(",", -1)) {
      String n = s.strip();
      if (n.isEmpty()) {
        throw new IllegalArgumentException(option + ": empty name in '" + value + "'");
      }
      if (!out.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  /**
   * An option given with nothing after '=' is most often an unset shell variable ({@code
   * --models=$MODELS}); taken as "no selection" it would make a paid run call the whole study.
   */
  private static void requireNotBlank(String option, String value, String everything) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(option + " is empty (an unset variable?); leave it out to take "
          + everything);
    }
  }

  /** "1,4,10-20" as inclusive ranges; ids are positive integers, a range goes upwards. */
  static List<int[]> ranges(String value) {
    if (value == null) {
      return null;
    }
    requireNotBlank("--questions", value, "every question");
    List<int[]> out = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String p = part.strip();
      int dash = p.indexOf('-', 1);
      try {
        int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
        int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).strip());
        if (from < 0 || to < from) {
          throw new IllegalArgumentException("--questions: '" + p + "' is not an id or an upward range a-b");
        }
        out.add(new int[] {from, to});
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--questions: '" + p + "' is not an id or a range a-b (in '"
            + value + "')");
      }
    }
    return out;
  }

  /**
   * Checks the request against the definition and the benchmark and fixes the sets. Unknown model or
   * condition names, and a selection with no question, throw IllegalArgumentException listing what is
   * known.
   */
  public static StudySubset resolve(Request r, PipelineDefinition definition, Questions benchmark) {
    Set<String> models = null;
    if (r.models() != null) {
      models = new LinkedHashSet<>();
      for (String m : r.models()) {
        if (definition.model(m).isEmpty()) {
          throw new IllegalArgumentException("--models: unknown model " + m + " (models: "
              + String.join(", ", definition.models().stream().map(PipelineDefinition.ModelSpec::name).toList()) + ")");
        }
        models.add(m);
      }
    }
    Set<String> conditions = null;
    if (r.conditions() != null) {
      conditions = new LinkedHashSet<>();
      for (String c : r.conditions()) {
        if (definition.condition(c).isEmpty()) {
          throw new IllegalArgumentException("--conditions: unknown condition " + c + " (conditions: "
              + String.join(", ", definition.conditions().stream().map(PipelineDefinition.Condition::id).toList()) + ")");
        }
        conditions.add(c);
      }
    }
    for (PipelineDefinition.Condition c : definition.conditions()) {
      if (c.translator() != null && models != null && !models.contains(c.translator())
          && (conditions == null || conditions.contains(c.id()))) {
        throw new IllegalArgumentException("--models: condition " + c.id() + " translates with model "
            + c.translator() + "; select it too, or leave " + c.id() + " out with --conditions");
      }
    }
    Set<Integer> questions = null;
    if (r.questionRanges() != null || r.limit() != null) {
      TreeSet<Integer> ids = new TreeSet<>();
      for (Questions.Question q : benchmark.all()) {
        if (r.questionRanges() == null || inRanges(q.id(), r.questionRanges())) {
          ids.add(q.id());
        }
      }
      if (r.limit() != null) {
        TreeSet<Integer> first = new TreeSet<>();
        for (Integer id : ids) {
          if (first.size() == r.limit()) {
            break;
          }
          first.add(id);
        }
        ids = first;
      }
      if (ids.isEmpty()) {
        throw new IllegalArgumentException("--questions/--limit select no question of the benchmark");
      }
      questions = ids;
    }
    return new StudySubset(models, conditions, questions, benchmark.size());
  }

  private static boolean inRanges(int id, List<int[]> ranges) {
    for (int[] r : ranges) {
      if (id >= r[0] && id <= r[1]) {
        return true;
      }
    }
    return false;
  }

  public boolean isAll() {
    return models == null && conditions == null && questions == null;
  }

  public boolean includesModel(String model) {
    return models == null || models.contains(model);
  }

  public boolean includesCondition(String condition) {
    return conditions == null || conditions.contains(condition);
  }

  public boolean includesQuestion(int id) {
    return questions == null || questions.contains(id);
  }

  public boolean includes(String condition, String model, int questionId) {
    return includesCondition(condition) && includesModel(model) && includesQuestion(questionId);
  }

  /**
   * The definition restricted to the selected models and conditions, in the file's order. A transfer
   * condition whose direct condition is not selected keeps no {@code compare_with}: it is reported on
   * its own, not compared.
   */
  public PipelineDefinition apply(PipelineDefinition d) {
    if (models == null && conditions == null) {
      return d;
    }
    List<PipelineDefinition.Condition> kept = new ArrayList<>();
    for (PipelineDefinition.Condition c : d.conditions()) {
      if (!includesCondition(c.id())) {
        continue;
      }
      String compare = c.compareWith() != null && includesCondition(c.compareWith()) ? c.compareWith() : null;
      kept.add(new PipelineDefinition.Condition(c.id(), c.label(), c.directory(), c.description(),
          c.language(), c.questionField(), c.type(), compare, c.translator(), c.systemPrompt()));
    }
    List<PipelineDefinition.ModelSpec> keptModels = new ArrayList<>();
    for (PipelineDefinition.ModelSpec m : d.models()) {
      if (includesModel(m.name())) {
        keptModels.add(m);
      }
    }
    return d.withModelsAndConditions(keptModels, kept);
  }

  /** One line for the report and the manifest: what this subset covers. */
  public String describe(PipelineDefinition full) {
    if (isAll()) {
      return "the whole study";
    }
    List<String> parts = new ArrayList<>();
    parts.add("models " + (models == null ? "all (" + full.models().size() + ")" : String.join(", ", models)));
    parts.add("conditions " + (conditions == null ? "all (" + full.conditions().size() + ")"
        : String.join(", ", conditions)));
    parts.add("questions " + (questions == null ? "all" : questions.size() + " of " + totalQuestions
        + " (ids " + idRanges(questions) + ")"));
    return String.join("; ", parts);
  }

  /** 1,2,3,7 as "1-3,7". */
  static String idRanges(Set<Integer> ids) {
    StringBuilder sb = new StringBuilder();
    Integer start = null;
    Integer prev = null;
    for (int id : new TreeSet<>(ids)) {
      if (prev != null && id == prev + 1) {
        prev = id;
        continue;
      }
      if (start != null) {
        sb.append(sb.length() == 0 ? "" : ",").append(start.equals(prev) ? "" + start : start + "-" + prev);
      }
      start = id;
      prev = id;
    }
    if (start != null) {
      sb.append(sb.length() == 0 ? "" : ",").append(start.equals(prev) ? "" + start : start + "-" + prev);
    }
    return sb.toString();
  }

  /** Selected models, or null for all. */
  public Set<String> models() {
    return models;
  }

  public Set<String> conditions() {
    return conditions;
  }

  public Set<Integer> questions() {
    return questions;
  }
}
