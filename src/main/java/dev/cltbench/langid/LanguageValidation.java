package dev.cltbench.langid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.study.FinalAnswerExtractor;
import dev.cltbench.study.PipelineDefinition;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Compares the identifier's wrong-language verdicts with the published judge's ({@link JudgeLanguageFlag})
 * on every evaluated text of a study (the whole response for direct conditions; for self-transfer ones
 * the study's extracted final answer narrowed to the part the judge graded, {@link JudgedPart}), for each
 * stage of the identifier (ablation).
 *
 * <p>Per language pair expected→found: among texts whose expected language is "expected", the judge's
 * positives are those it flagged as "found", the detector's those it identified as "found"; precision
 * and recall as usual. Recognition: among the answers of the strong models that the judge accepted as
 * in the target language (fluency ≥ 1), the share identified as the expected language. Strong models are
 * defined from the data: mean judge fluency over the non-English conditions of at least
 * {@link #STRONG_FLUENCY}.
 *
 * <p>Usage: {@code LanguageValidation <study dir> [pipeline file, default pipelines/left-behind.json]}.
 */
public final class LanguageValidation {
  public static final double STRONG_FLUENCY = 1.5;

  /** One evaluated text with the judge's verdict and the identifier's, per stage. */
  public record Item(String condition, String model, int questionId, String expected, int fluency,
      String note, String judgeFound, String text, Map<LanguageIdentifier.Stage, LanguageGuess> guesses,
      TextMetrics metrics) {
    public String detected(LanguageIdentifier.Stage stage) {
      return guesses.get(stage).language();
    }
  }

  public record PairStat(String expected, String found, int judge, int detector, int both) {
    public double precision() {
      return detector == 0 ? Double.NaN : (double) both / detector;
    }

    public double recall() {
      return judge == 0 ? Double.NaN : (double) both / judge;
    }
  }

  public record Recognition(String model, String language, int texts, int recognised) {
    public double rate() {
      return texts == 0 ? Double.NaN : (double) recognised / texts;
    }
  }

  /**
   * The cascade of {@link LanguageIdentifier#identify} against the full identifier ({@link
   * LanguageIdentifier.Stage#WORDS} with OpenNLP on every text): how often their verdicts agree, and how
   * many texts the cascade decides without OpenNLP, over whole evaluated texts and over their sentences
   * of 20+ letters (the code-switching metric's units).
   */
  public record Cascade(int texts, int textsAgree, int textsWithoutOpenNlp, int sentences,
      int sentencesAgree, int sentencesWithoutOpenNlp) {}

  public record Result(List<Item> items, Map<String, Double> meanFluency, List<String> strongModels,
      long identifyNanos, int identifyTexts, Cascade cascade) {

    /** Precision/recall per expected→found pair (pairs either side flagged at least once). */
    public List<PairStat> pairs(LanguageIdentifier.Stage stage) {
      TreeSet<String> keys = new TreeSet<>();
      for (Item i : items) {
        if (i.judgeFound != null) {
          keys.add(i.expected + "→" + i.judgeFound);
        }
        String d = i.detected(stage);
        if (!d.equals(i.expected) && !d.equals(LanguageGuess.UNDETERMINED)) {
          keys.add(i.expected + "→" + d);
        }
      }
      List<PairStat> out = new ArrayList<>();
      for (String k : keys) {
        out.add(pair(stage, k.split("→")[0], k.split("→")[1]));
      }
      return out;
    }

    public PairStat pair(LanguageIdentifier.Stage stage, String expected, String found) {
      int judge = 0;
      int detector = 0;
      int both = 0;
      for (Item i : items) {
        if (!i.expected.equals(expected)) {
          continue;
        }
        boolean j = found.equals(i.judgeFound);
        boolean d = found.equals(i.detected(stage));
        judge += j ? 1 : 0;
        detector += d ? 1 : 0;
        both += j && d ? 1 : 0;
      }
      return new PairStat(expected, found, judge, detector, both);
    }

    /** Recognition of the expected language in the strong models' accepted answers, per model. */
    public List<Recognition> recognition(LanguageIdentifier.Stage stage) {
      Map<String, int[]> counts = new TreeMap<>();
      for (Item i : acceptedStrong()) {
        int[] c = counts.computeIfAbsent(i.model + "\t" + i.expected, k -> new int[2]);
        c[0]++;
        c[1] += i.detected(stage).equals(i.expected) ? 1 : 0;
      }
      List<Recognition> out = new ArrayList<>();
      counts.forEach((k, c) -> out.add(new Recognition(k.split("\t")[0], k.split("\t")[1], c[0], c[1])));
      return out;
    }

    /** Recognition over all strong models, per expected language. */
    public Map<String, Recognition> recognitionByLanguage(LanguageIdentifier.Stage stage) {
      Map<String, int[]> counts = new TreeMap<>();
      for (Item i : acceptedStrong()) {
        int[] c = counts.computeIfAbsent(i.expected, k -> new int[2]);
        c[0]++;
        c[1] += i.detected(stage).equals(i.expected) ? 1 : 0;
      }
      Map<String, Recognition> out = new TreeMap<>();
      counts.forEach((k, c) -> out.put(k, new Recognition("strong", k, c[0], c[1])));
      return out;
    }

    public List<Item> acceptedStrong() {
      return items.stream().filter(i -> strongModels.contains(i.model) && i.fluency >= 1).toList();
    }

    public void print(PrintStream out) {
      out.printf("Strong models (mean judge fluency over non-English conditions >= %.1f):%n", STRONG_FLUENCY);
      meanFluency.forEach((m, f) -> out.printf("  %-18s %.2f %s%n", m, f, strongModels.contains(m) ? "strong" : ""));
      out.printf("Identification time (identify(text), model loaded, one thread): %d texts in %.0f ms%n",
          identifyTexts, identifyNanos / 1e6);
      for (LanguageIdentifier.Stage stage : LanguageIdentifier.Stage.values()) {
        out.printf("%n== stage %s (includes the earlier stages)%s%n", stage,
            stage == LanguageIdentifier.Stage.WORDS ? ": the identifier as used" : "");
        out.println("  pair        judge detector both precision recall");
        for (PairStat p : pairs(stage)) {
          out.printf("  %s→%s  %5d %8d %4d %9.3f %6.3f%n", p.expected, p.found, p.judge, p.detector, p.both,
              p.precision(), p.recall());
        }
        recognitionByLanguage(stage).forEach((lang, r) -> out.printf(
            "  recognised %s (strong models, judge-accepted): %d/%d = %.4f%n", lang, r.recognised(), r.texts(), r.rate()));
      }
      out.printf("%nCascade (identify as used: the models except where letters and words make a text of "
          + "%d+ letters %.3f one language) against stage WORDS with the models on every text:%n",
          LanguageIdentifier.CASCADE_LETTERS, LanguageIdentifier.DECISIVE);
      out.printf("  texts:     %d/%d verdicts equal, %d decided without OpenNLP%n", cascade.textsAgree(),
          cascade.texts(), cascade.textsWithoutOpenNlp());
      out.printf("  sentences: %d/%d verdicts equal, %d decided without OpenNLP%n", cascade.sentencesAgree(),
          cascade.sentences(), cascade.sentencesWithoutOpenNlp());
      out.printf("%nMetrics per condition and model (means; steps = share with all steps shown):%n");
      Map<String, double[]> m = new TreeMap<>();
      for (Item i : items) {
        double[] a = m.computeIfAbsent(i.condition + " " + i.model, k -> new double[6]);
        a[0]++;
        a[1] += i.metrics.cyrillicShare();
        a[2] += i.metrics.codeSwitchShare();
        a[3] += i.metrics.englishLeakWords();
        if (i.metrics.allStepsShown() != null) {
          a[4]++;
          a[5] += i.metrics.allStepsShown() ? 1 : 0;
        }
      }
      m.forEach((k, a) -> out.printf("  %-22s cyrillic %.3f  switch %.3f  leak words %.1f  steps %s%n", k,
          a[1] / a[0], a[2] / a[0], a[3] / a[0], a[4] == 0 ? "-" : String.format("%.2f", a[5] / a[4])));
      LanguageIdentifier.Stage last = LanguageIdentifier.Stage.WORDS;
      out.printf("%nPer model (stage %s):%n", last);
      for (Recognition r : recognition(last)) {
        out.printf("  %-18s %s %d/%d = %.4f%n", r.model(), r.language(), r.recognised(), r.texts(), r.rate());
      }
      out.printf("%nDisagreements with the judge (stage %s):%n", last);
      for (Item i : items) {
        String d = i.detected(last);
        boolean judgeWrong = i.judgeFound != null;
        boolean detWrong = !d.equals(i.expected) && !d.equals(LanguageGuess.UNDETERMINED);
        boolean strongMiss = strongModels.contains(i.model) && i.fluency >= 1 && !d.equals(i.expected);
        if ((judgeWrong || detWrong) && !d.equals(i.judgeFound == null ? i.expected : i.judgeFound)
            || strongMiss) {
          LanguageGuess g = i.guesses.get(last);
          out.printf("--- %s %s q%d expected %s judge %s detected %s (%.2f, runner-up %s %.2f, by %s)%n",
              i.condition, i.model, i.questionId, i.expected, i.judgeFound, d, g.confidence(), g.runnerUp(),
              g.runnerUpConfidence(), g.decidedBy());
          out.println("    note: " + i.note);
          String t = i.text.replaceAll("\\s+", " ");
          out.println("    text: " + (t.length() > 300 ? t.substring(0, 300) + "…" : t));
        }
      }
    }
  }

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: LanguageValidation <study dir> [pipeline file]");
      System.exit(2);
    }
    Path pipeline = Path.of(args.length > 1 ? args[1] : "pipelines/left-behind.json");
    run(args[0], pipeline, LanguageIdentifier.create()).print(System.out);
  }

  public static Result run(Path studyDir, Path pipelineFile, LanguageIdentifier id) {
    return run(studyDir.toString(), pipelineFile, id);
  }

  /** As above for a study on any Beam filesystem. */
  public static Result run(String studyDir, Path pipelineFile, LanguageIdentifier id) {
    PipelineDefinition def = PipelineDefinition.read(pipelineFile);
    FinalAnswerExtractor extractor = def.finalAnswerExtractor();
    ObjectMapper json = new ObjectMapper();
    List<Item> items = new ArrayList<>();
    Map<String, double[]> fluency = new TreeMap<>();
    long nanos = 0;
    try {
      for (PipelineDefinition.Condition c : def.conditions()) {
        String expected = def.language(c.language()).orElseThrow().iso6393();
        Map<String, CSVRecord> grades = new HashMap<>();
        try (Reader r = dev.cltbench.study.StudyCodec.reader(
            dev.cltbench.study.StudyCodec.grades(studyDir, c.directory()))) {
          for (CSVRecord g : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
            grades.put(g.get("model") + "\t" + g.get("question_id"), g);
          }
        }
        for (PipelineDefinition.ModelSpec m : def.models()) {
          JsonNode root = dev.cltbench.study.StudyCodec.readJson(
              dev.cltbench.study.StudyCodec.results(studyDir, c.directory(), m.name()));
          for (JsonNode resp : root.get("responses")) {
            int q = resp.get("question_id").asInt();
            String response = resp.get("response").asText("");
            String text = c.extractsFinalAnswer()
                ? JudgedPart.of(extractor.extract(response), def.transferMarkers()) : response;
            CSVRecord g = grades.get(m.name() + "\t" + q);
            int flu = Integer.parseInt(g.get("fluency"));
            String note = g.get("notes");
            if (!"eng".equals(expected)) {
              double[] f = fluency.computeIfAbsent(m.name(), k -> new double[2]);
              f[0] += flu;
              f[1]++;
            }
            Map<LanguageIdentifier.Stage, LanguageGuess> guesses = new EnumMap<>(LanguageIdentifier.Stage.class);
            for (LanguageIdentifier.Stage s : LanguageIdentifier.Stage.values()) {
              guesses.put(s, id.identify(text, s));
            }
            TextMetrics metrics = TextMetrics.of(
                c.extractsFinalAnswer() ? extractor.extract(response) : response, expected, response,
                c.extractsFinalAnswer() ? def.transferMarkers() : null, id);
            items.add(new Item(c.id(), m.name(), q, expected, flu, note,
                JudgeLanguageFlag.found(flu, note, expected), text, guesses, metrics));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Timing of the identifier as used (identify(text)), after the pass above warmed the JIT up.
    long t0 = System.nanoTime();
    for (Item i : items) {
      id.identify(i.text());
    }
    nanos = System.nanoTime() - t0;
    int[] c = new int[6];
    for (Item i : items) {
      c[0]++;
      c[1] += id.identify(i.text()).language().equals(i.detected(LanguageIdentifier.Stage.WORDS)) ? 1 : 0;
      c[2] += id.decidesWithoutOpenNlp(i.text()) ? 1 : 0;
      for (String sentence : Segments.sentences(i.text())) {
        if (Segments.letters(sentence) >= LanguageIdentifier.MIN_SEGMENT_LETTERS) {
          c[3]++;
          c[4] += id.identify(sentence).language()
              .equals(id.identify(sentence, LanguageIdentifier.Stage.WORDS).language()) ? 1 : 0;
          c[5] += id.decidesWithoutOpenNlp(sentence) ? 1 : 0;
        }
      }
    }
    Cascade cascade = new Cascade(c[0], c[1], c[2], c[3], c[4], c[5]);
    Map<String, Double> mean = new TreeMap<>();
    List<String> strong = new ArrayList<>();
    fluency.forEach((m, f) -> {
      mean.put(m, f[0] / f[1]);
      if (f[0] / f[1] >= STRONG_FLUENCY) {
        strong.add(m);
      }
    });
    return new Result(items, mean, strong, nanos, items.size(), cascade);
  }
}
