package dev.cltbench.langid;

import dev.cltbench.langid.HeldOutCorpus.Length;
import dev.cltbench.langid.HeldOutCorpus.Part;
import dev.cltbench.langid.HeldOutCorpus.Text;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The identifier on the held-out corpus ({@link HeldOutCorpus}): per part (development, test) and
 * length, each variety's accuracy for the identifier and for OpenNLP's model alone, the confusion
 * matrix, and Kazakh/Kyrgyz precision and recall.
 */
public final class HeldOutValidation {
  private HeldOutValidation() {}

  /** Systems compared: the identifier as the pipeline runs it, and OpenNLP's model alone. */
  public static Map<String, Function<String, String>> systems(LanguageIdentifier id) {
    Map<String, Function<String, String>> m = new LinkedHashMap<>();
    m.put("cltbench", t -> id.identify(t).language());
    m.put("opennlp", t -> id.identify(t, LanguageIdentifier.Stage.OPENNLP).language());
    return m;
  }

  /** {@link #systems} and the stages between them, for what each adds: OpenNLP alone, plus the
   * development-trained model and the script, plus Kyrgyz forms (the full identifier on every text),
   * and the cascade as used. */
  public static Map<String, Function<String, String>> ablation(LanguageIdentifier id) {
    Map<String, Function<String, String>> m = new LinkedHashMap<>();
    m.put("opennlp", t -> id.identify(t, LanguageIdentifier.Stage.OPENNLP).language());
    m.put("+devmodel", t -> id.identify(t, LanguageIdentifier.Stage.MODELS).language());
    m.put("+forms", t -> id.identify(t, LanguageIdentifier.Stage.WORDS).language());
    m.put("cltbench", t -> id.identify(t).language());
    return m;
  }

  /** Counts of one system on one part and length: per variety, detected language → texts. */
  public record Counts(Map<String, Map<String, Integer>> confusion) {
    public int texts(String variety) {
      return confusion.getOrDefault(variety, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
    }

    public double accuracy(String variety) {
      int n = texts(variety);
      String language = variety.startsWith("uzb") ? "uzb" : variety;
      return n == 0 ? Double.NaN : (double) confusion.get(variety).getOrDefault(language, 0) / n;
    }

    /** Precision of {@code language}: among texts identified as it, the share that are it. */
    public double precision(String language) {
      int said = 0;
      int right = 0;
      for (Map.Entry<String, Map<String, Integer>> e : confusion.entrySet()) {
        int n = e.getValue().getOrDefault(language, 0);
        said += n;
        right += e.getKey().equals(language) ? n : 0;
      }
      return said == 0 ? Double.NaN : (double) right / said;
    }
  }

  public record Result(Map<Part, Map<Length, Map<String, Counts>>> counts) {
    public Counts get(Part part, Length length, String system) {
      return counts.get(part).get(length).get(system);
    }

    public void print(PrintStream out) {
      for (Part part : counts.keySet()) {
        for (Length length : Length.values()) {
          Map<String, Counts> bySystem = counts.get(part).get(length);
          Counts ours = bySystem.get("cltbench");
          Counts base = bySystem.get("opennlp");
          out.printf(Locale.ROOT, "%n== held-out %s part, %s: accuracy%n",
              part.name().toLowerCase(Locale.ROOT), length.name().toLowerCase(Locale.ROOT));
          StringBuilder head = new StringBuilder("variety     texts");
          bySystem.keySet().forEach(k -> head.append(String.format(Locale.ROOT, " %10s", k)));
          out.println(head);
          for (String v : ours.confusion.keySet()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-9s %7d", v, ours.texts(v)));
            bySystem.values().forEach(c -> row.append(String.format(Locale.ROOT, " %10.3f", c.accuracy(v))));
            out.println(row);
          }
          out.println("Kazakh/Kyrgyz: cltbench / OpenNLP alone");
          out.printf(Locale.ROOT, "Kazakh  precision %.3f / %.3f  recall %.3f / %.3f%n",
              ours.precision("kaz"), base.precision("kaz"), ours.accuracy("kaz"), base.accuracy("kaz"));
          out.printf(Locale.ROOT, "Kyrgyz  precision %.3f / %.3f  recall %.3f / %.3f%n",
              ours.precision("kir"), base.precision("kir"), ours.accuracy("kir"), base.accuracy("kir"));
          printConfusion(out, ours);
        }
      }
    }
  }

  private static void printConfusion(PrintStream out, Counts c) {
    TreeSet<String> found = new TreeSet<>();
    c.confusion.values().forEach(m -> found.addAll(m.keySet()));
    StringBuilder head = new StringBuilder("cltbench confusion (row: text's variety, column: identified)\n");
    head.append(String.format(Locale.ROOT, "%-9s", ""));
    for (String f : found) {
      head.append(String.format(Locale.ROOT, "%6s", f));
    }
    out.println(head);
    for (Map.Entry<String, Map<String, Integer>> e : c.confusion.entrySet()) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-9s", e.getKey()));
      for (String f : found) {
        int n = e.getValue().getOrDefault(f, 0);
        row.append(String.format(Locale.ROOT, "%6s", n == 0 ? "." : Integer.toString(n)));
      }
      out.println(row);
    }
  }

  /** Every system on every part and length of the corpus. */
  public static Result run(HeldOutCorpus corpus, Map<String, Function<String, String>> systems) {
    return run(corpus, systems, List.of(Part.values()));
  }

  /** Every system on the given parts of the corpus. */
  public static Result run(HeldOutCorpus corpus, Map<String, Function<String, String>> systems,
      List<Part> parts) {
    Map<Part, Map<Length, Map<String, Counts>>> counts = new EnumMap<>(Part.class);
    for (Part part : parts) {
      Map<Length, Map<String, Counts>> byLength = new EnumMap<>(Length.class);
      for (Length length : Length.values()) {
        List<Text> texts = corpus.texts(part, length);
        Map<String, Counts> bySystem = new LinkedHashMap<>();
        for (Map.Entry<String, Function<String, String>> s : systems.entrySet()) {
          bySystem.put(s.getKey(), count(texts, s.getValue()));
        }
        byLength.put(length, bySystem);
      }
      counts.put(part, byLength);
    }
    return new Result(counts);
  }

  static Counts count(List<Text> texts, Function<String, String> system) {
    Map<String, Map<String, Integer>> confusion = new TreeMap<>();
    for (Text t : texts) {
      confusion.computeIfAbsent(t.variety(), k -> new TreeMap<>()).merge(system.apply(t.text()), 1,
          Integer::sum);
    }
    return new Counts(confusion);
  }

  /** The texts one system gets wrong (for looking at errors on the development part). */
  public static List<String> errors(List<Text> texts, Function<String, String> system) {
    List<String> out = new ArrayList<>();
    for (Text t : texts) {
      String got = system.apply(t.text());
      if (!got.equals(t.language())) {
        out.add(t.variety() + "->" + got + "\t" + t.id() + "\t" + t.text());
      }
    }
    return out;
  }
}
