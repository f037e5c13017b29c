package dev.cltbench.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.langid.HeldOutCorpus;
import dev.cltbench.langid.HeldOutValidation;
import dev.cltbench.langid.LanguageGuess;
import dev.cltbench.langid.LanguageIdentifier;
import dev.cltbench.langid.LanguageValidation;
import dev.cltbench.study.PublishedStudy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code cltbench identify-language}: the pipeline's language identifier ({@link
 * LanguageIdentifier#identify}) on texts from a file or standard input, one verdict per text; with
 * {@code --heldout}, its figures on the held-out corpus beside OpenNLP alone.
 */
public final class IdentifyLanguageJob {
  private IdentifyLanguageJob() {}

  /**
   * Identifies the language of the texts the options name (or gives the held-out figures).
   *
   * @return the exit status
   */
  public static int run(IdentifyLanguageOptions options, PrintStream out, PrintStream err) throws IOException {
    LanguageIdentifier id = LanguageIdentifier.shared();
    if (options.getHeldout()) {
      Path corpus = Path.of(options.getCorpus() == null ? HeldOutCorpus.DEFAULT.toString() : options.getCorpus());
      if (!Files.isRegularFile(corpus)) {
        throw new IllegalArgumentException(corpus + ": no held-out corpus (run from the repository root,"
            + " or give --corpus)");
      }
      HeldOutValidation.run(HeldOutCorpus.read(corpus), HeldOutValidation.ablation(id)).print(out);
      Path study = Path.of(PublishedStudy.location(System::getenv));
      if (Files.isDirectory(study.resolve("grades"))) {
        LanguageValidation.PairStat p = LanguageValidation.run(study, Path.of(ReportOptions.DEFAULT_PIPELINE), id)
            .pair(LanguageIdentifier.Stage.WORDS, "kaz", "kir");
        out.printf(Locale.ROOT, "%n== published study (in-sample: Kyrgyz forms were chosen on it),"
            + " Kazakh→Kyrgyz against the judge: precision %.3f recall %.3f (%d judge flags)%n",
            p.precision(), p.recall(), p.judge());
      }
      return 0;
    }
    List<String> candidates = options.getCandidates() == null ? null
        : Arrays.stream(options.getCandidates().split(",")).map(String::strip).filter(s -> !s.isEmpty())
            .toList();
    if (candidates != null && candidates.isEmpty()) {
      throw new IllegalArgumentException("--candidates: no language given");
    }
    List<String[]> texts = read(options);
    StringBuilder result = new StringBuilder();
    for (String[] t : texts) {
      LanguageGuess g = candidates == null ? id.identify(t[1]) : id.identify(t[1], candidates);
      result.append(t[0]).append('\t').append(g.language()).append('\t')
          .append(String.format(Locale.ROOT, "%.4f", g.confidence())).append('\t').append(g.decidedBy())
          .append('\n');
    }
    out.print(result);
    out.flush();
    return 0;
  }

  /** All texts as (id, text), or an {@link IllegalArgumentException} naming file, line and field. */
  static List<String[]> read(IdentifyLanguageOptions options) throws IOException {
    String input = options.getInput() == null ? "-" : options.getInput();
    String name = input.equals("-") ? "<stdin>" : input;
    String format = options.getFormat().toLowerCase(Locale.ROOT);
    if (!List.of("lines", "tsv", "jsonl").contains(format)) {
      throw new IllegalArgumentException("--format=" + options.getFormat() + ": expected lines, tsv or jsonl");
    }
    if (!input.equals("-") && !Files.isRegularFile(Path.of(input))) {
      throw new IllegalArgumentException(input + ": no such file");
    }
    ObjectMapper json = new ObjectMapper();
    List<String[]> out = new ArrayList<>();
    try (BufferedReader r = input.equals("-")
        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
        : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8)) {
      int n = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        n++;
        String where = name + " line " + n;
        switch (format) {
          case "lines" -> out.add(new String[] {Integer.toString(n), line});
          case "tsv" -> {
            int tab = line.indexOf('\t');
            if (tab < 0) {
              throw new IllegalArgumentException(where + ": expected id<TAB>text");
            }
            out.add(new String[] {line.substring(0, tab), line.substring(tab + 1)});
          }
          default -> {
            if (line.isBlank()) {
              continue;
            }
            JsonNode node;
            try {
              node = json.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
              throw new IllegalArgumentException(where + ": not JSON (" + e.getOriginalMessage() + ")");
            }
            JsonNode text = node == null || !node.isObject() ? null : node.get(options.getTextField());
            if (text == null || !text.isTextual()) {
              throw new IllegalArgumentException(where + ": field '" + options.getTextField()
                  + "' missing or not a string");
            }
            JsonNode ident = options.getIdField() == null ? null : node.get(options.getIdField());
            if (options.getIdField() != null && (ident == null || ident.isContainerNode())) {
              throw new IllegalArgumentException(where + ": field '" + options.getIdField()
                  + "' missing or not a scalar");
            }
            out.add(new String[] {ident == null ? Integer.toString(n) : ident.asText(), text.asText()});
          }
        }
      }
    }
    return out;
  }
}
