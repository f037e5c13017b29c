package dev.cltbench.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.study.FinalAnswerExtractor;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudyCodec;
import dev.cltbench.study.StudyInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * A stratified, seeded sample of a study's graded responses for people to grade. Every stratum (e.g.
 * each condition, and within it each model) gets its share of {@code n} in proportion to its size
 * (largest remainders, ties drawn with the seed), responses are drawn within it without replacement,
 * and the sample is
 * shown in a seeded random order under ids that say nothing about model or condition. The same study,
 * n, strata and seed give the same sample.
 */
public final class ReviewSample {
  /** What a sample can be stratified by. */
  public static final List<String> STRATA = List.of("condition", "model", "family", "category", "language");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ReviewSample() {}

  /**
   * One response to review. {@code answer} is the text the judge graded (for a self-transfer the final
   * answer after its step-3 marker); {@code language} the language it should be in.
   */
  public record Item(String reviewId, String condition, String model, String family, int questionId,
      String category, int epoch, String stratum, String language, String question, String questionEnglish,
      String reference, String answer) {}

  /** Every graded unit of the study's results, in study order (conditions, models, questions). */
  static List<Item> units(String study, PipelineDefinition def, Questions questions) throws IOException {
    FinalAnswerExtractor extractor = def.finalAnswerExtractor();
    String english = def.languages().stream().filter(l -> l.iso6393().equals("eng")).findFirst()
        .map(PipelineDefinition.Language::questionField).orElse(null);
    List<Item> out = new ArrayList<>();
    for (PipelineDefinition.Condition c : def.conditions()) {
      String language = c.type().equals("translate-test") ? "English"
          : def.language(c.language()).map(PipelineDefinition.Language::name).orElse(c.language());
      for (PipelineDefinition.ModelSpec m : def.models()) {
        String f = StudyCodec.results(study, c.directory(), m.name());
        if (!StudyCodec.exists(f)) {
          throw new StudyInputException(f, null, null, "file not found");
        }
        JsonNode root = StudyCodec.readJson(f);
        int index = 0;
        for (JsonNode r : root.path("responses")) {
          String record = "responses[" + index++ + "]";
          if (!r.path("question_id").canConvertToInt() || !r.path("response").isTextual()) {
            throw new StudyInputException(f, record, r.path("question_id").canConvertToInt()
                ? "response" : "question_id", "missing or of the wrong type");
          }
          int id = r.path("question_id").asInt();
          Questions.Question q = questions.get(id);
          if (q == null) {
            throw new StudyInputException(f, record, "question_id", "no question " + id + " in the benchmark");
          }
          String response = r.path("response").asText();
          String graded = c.extractsFinalAnswer() ? extractor.extract(response) : response;
          String asked = r.path("question_text").isTextual() ? r.path("question_text").asText()
              : q.texts().getOrDefault(c.questionField() != null ? c.questionField() : c.language(), "");
          out.add(new Item(null, c.id(), m.name(), m.family(), id, q.category(), r.path("epoch").asInt(0), null,
              language, asked, english == null ? "" : q.texts().getOrDefault(english, ""),
              q.referenceAnswer() == null ? "" : q.referenceAnswer(), graded));
        }
      }
    }
    return out;
  }

  /** The sample: {@code n} of the study's units, stratified by {@code strata}, drawn with {@code seed}. */
  public static List<Item> draw(String study, PipelineDefinition def, Questions questions, int n,
      List<String> strata, long seed) throws IOException {
    return draw(units(study, def, questions), n, strata, seed);
  }

  static List<Item> draw(List<Item> units, int n, List<String> strata, long seed) {
    for (String s : strata) {
      if (!STRATA.contains(s)) {
        throw new IllegalArgumentException("--stratify: unknown key '" + s + "' (one of " + STRATA + ")");
      }
    }
    if (Set.copyOf(strata).size() != strata.size()) {
      throw new IllegalArgumentException("--stratify names a key twice: " + strata);
    }
    if (n < 1 || n > units.size()) {
      throw new IllegalArgumentException("--n must be 1.." + units.size() + " (the study's graded responses), was " + n);
    }
    UniformRandomProvider rng = RandomSource.SPLIT_MIX_64.create(seed);
    List<Item> chosen = new ArrayList<>();
    allocate(units, n, strata, 0, rng, chosen);
    // Shown in random order, so neighbours share no model or condition and ids say nothing.
    List<Item> shown = shuffled(chosen, rng);
    List<Item> out = new ArrayList<>();
    String format = "R%0" + String.valueOf(shown.size()).length() + "d";
    for (int i = 0; i < shown.size(); i++) {
      Item u = shown.get(i);
      out.add(new Item(String.format(java.util.Locale.ROOT, format, i + 1), u.condition(), u.model(), u.family(),
          u.questionId(), u.category(), u.epoch(), u.stratum(), u.language(), u.question(),
          u.questionEnglish(), u.reference(), u.answer()));
    }
    return out;
  }

  /**
   * Shares {@code n} among the values of the key {@code depth} in proportion to their sizes (largest
   * remainders; equal remainders in a seeded order), then each share among the next key's values
   * within it: with condition,model every condition gets its share, and within it every model.
   * At the last key, draws the share without replacement.
   */
  private static void allocate(List<Item> units, int n, List<String> strata, int depth, UniformRandomProvider rng,
      List<Item> chosen) {
    if (depth == strata.size()) {
      for (Item u : shuffled(units, rng).subList(0, n)) {
        chosen.add(withStratum(u, stratum(u, strata)));
      }
      return;
    }
    // Values in name order, each's units in study order: the draw depends on nothing but the inputs.
    Map<String, List<Item>> byValue = new TreeMap<>();
    for (Item u : units) {
      byValue.computeIfAbsent(stratum(u, strata.subList(depth, depth + 1)), k -> new ArrayList<>()).add(u);
    }
    List<String> names = new ArrayList<>(byValue.keySet());
    int[] quota = new int[names.size()];
    double[] remainder = new double[names.size()];
    int given = 0;
    for (int i = 0; i < names.size(); i++) {
      double exact = (double) n * byValue.get(names.get(i)).size() / units.size();
      quota[i] = (int) Math.floor(exact);
      remainder[i] = exact - quota[i];
      given += quota[i];
    }
    List<Integer> order = shuffled(range(names.size()), rng);
    order.sort(Comparator.comparingDouble((Integer i) -> -remainder[i]));
    for (int k = 0; given < n; k++, given++) {
      quota[order.get(k)]++;
    }
    for (int i = 0; i < names.size(); i++) {
      if (quota[i] > 0) {
        allocate(byValue.get(names.get(i)), quota[i], strata, depth + 1, rng, chosen);
      }
    }
  }

  static String stratum(Item u, List<String> strata) {
    if (strata.isEmpty()) {
      return "all";
    }
    List<String> parts = new ArrayList<>();
    for (String s : strata) {
      parts.add(switch (s) {
        case "condition" -> u.condition();
        case "model" -> u.model();
        case "family" -> u.family();
        case "category" -> u.category();
        default -> u.language();
      });
    }
    return String.join(" / ", parts);
  }

  private static Item withStratum(Item u, String stratum) {
    return new Item(u.reviewId(), u.condition(), u.model(), u.family(), u.questionId(), u.category(), u.epoch(),
        stratum, u.language(), u.question(), u.questionEnglish(), u.reference(), u.answer());
  }

  private static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  /** A Fisher-Yates shuffle with {@code rng} (a copy; the list is left alone). */
  static <T> List<T> shuffled(List<T> list, UniformRandomProvider rng) {
    List<T> out = new ArrayList<>(list);
    for (int i = out.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      T t = out.get(i);
      out.set(i, out.get(j));
      out.set(j, t);
    }
    return out;
  }
}
