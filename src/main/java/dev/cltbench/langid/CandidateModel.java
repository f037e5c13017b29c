package dev.cltbench.langid;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import opennlp.tools.langdetect.LanguageDetectorModel;
import opennlp.tools.ml.maxent.GISModel;
import opennlp.tools.ml.model.AbstractModel;
import opennlp.tools.ml.model.Context;

/**
 * OpenNLP's language-detection model cut down to the candidate languages, made at build time (the
 * {@code process-classes} phase of the pom runs {@link #main}).
 *
 * <p>Why: the published model scores 103 languages; parsing it took 0.4-1 s of each run and most of
 * each prediction's work went to languages the identifier then discards. It is a maximum entropy
 * model: a language's probability is {@code exp(sum of its n-grams' weights) / Z}, the same {@code Z}
 * for all; so dropping the other languages' weights (and n-grams only they use) leaves the candidates'
 * probabilities, renormalised among themselves, as they were (up to rounding, about 1e-14; a test
 * compares the two models on the study's texts). The cut model is a tenth of the size and parses in
 * tens of milliseconds. OpenNLP has no API for this; it is written here on its public model classes.
 */
public final class CandidateModel {
  private CandidateModel() {}

  /** The published model (opennlp-models-langdetect), and the cut one this class writes. */
  static final String FULL_RESOURCE = "langdetect-183.bin";
  static final String RESOURCE = "dev/cltbench/langid/langdetect-candidates.bin";

  /** Loads the cut model from the class path (the build puts it there). */
  static LanguageDetectorModel load() {
    return read(RESOURCE, "the build writes it (mvn package); run outside Maven, run that first");
  }

  /** Loads the published 103-language model. */
  static LanguageDetectorModel loadFull() {
    return read(FULL_RESOURCE, "from opennlp-models-langdetect");
  }

  private static LanguageDetectorModel read(String resource, String hint) {
    try (InputStream in = CandidateModel.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the class path (" + hint + ")");
      }
      return new LanguageDetectorModel(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read language model " + resource + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code full} restricted to {@code languages}: their weights only, and only n-grams that carry one.
   * Outcomes keep the full model's order, n-grams are written sorted, so the output depends on the
   * inputs alone.
   */
  static LanguageDetectorModel restrict(LanguageDetectorModel full, List<String> languages) {
    AbstractModel model = (AbstractModel) full.getMaxentModel();
    Object[] data = model.getDataStructures();
    @SuppressWarnings("unchecked")
    Map<String, Context> byNgram = (Map<String, Context>) data[1];
    String[] outcomes = (String[]) data[2];
    int[] newIndex = new int[outcomes.length];
    Arrays.fill(newIndex, -1);
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < outcomes.length; i++) {
      if (languages.contains(outcomes[i])) {
        newIndex[i] = kept.size();
        kept.add(outcomes[i]);
      }
    }
    if (kept.size() != languages.size()) {
      List<String> missing = new ArrayList<>(languages);
      missing.removeAll(kept);
      throw new IllegalArgumentException("language model lacks " + missing);
    }
    List<String> ngrams = new ArrayList<>();
    List<Context> weights = new ArrayList<>();
    for (Map.Entry<String, Context> e : new TreeMap<>(byNgram).entrySet()) {
      int[] os = e.getValue().getOutcomes();
      double[] ws = e.getValue().getParameters();
      int n = 0;
      for (int o : os) {
        n += newIndex[o] >= 0 ? 1 : 0;
      }
      if (n == 0) {
        continue;
      }
      int[] keptOutcomes = new int[n];
      double[] keptWeights = new double[n];
      for (int j = 0, k = 0; j < os.length; j++) {
        if (newIndex[os[j]] >= 0) {
          keptOutcomes[k] = newIndex[os[j]];
          keptWeights[k++] = ws[j];
        }
      }
      ngrams.add(e.getKey());
      weights.add(new Context(keptOutcomes, keptWeights));
    }
    GISModel cut = new GISModel(weights.toArray(Context[]::new), ngrams.toArray(String[]::new),
        kept.toArray(String[]::new));
    return new LanguageDetectorModel(cut, Map.of(), full.getFactory());
  }

  /** Writes the cut model to {@code args[0]}: run by the build. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: CandidateModel OUTPUT-DIRECTORY");
    }
    Path out = Path.of(args[0]).resolve(RESOURCE);
    Files.createDirectories(out.getParent());
    LanguageDetectorModel cut = restrict(loadFull(), LanguageCues.CANDIDATES);
    try (OutputStream os = Files.newOutputStream(out)) {
      cut.serialize(os);
    }
  }
}
