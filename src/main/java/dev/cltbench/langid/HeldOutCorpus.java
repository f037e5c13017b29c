package dev.cltbench.langid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * The held-out labelled corpus (texts the identifier was never tuned on, see the README and {@code
 * scripts/langid-corpus.py}), split and cut into the three lengths it is measured at.
 *
 * <p>The split is by unit (an article of the Universal Declaration, a MediaWiki message key): the CRC32
 * of the unit id, even for {@link Part#DEV}, odd for {@link Part#TEST}. A unit id names the same
 * passage in every language, so translations of one passage are all on one side: no constant chosen on
 * the development part has seen a translation of a test passage.
 */
public final class HeldOutCorpus {
  /** Where the corpus lies in the repository (a test resource: the build does not ship it). */
  public static final Path DEFAULT = Path.of("src/test/resources/dev/cltbench/langid/heldout/corpus.tsv");

  public enum Part { DEV, TEST }

  public enum Length {
    /** A whole unit of at least {@link #MIN_PARAGRAPH_CHARS} characters and two sentences. */
    PARAGRAPH,
    /** A sentence of at least {@link #MIN_SENTENCE_LETTERS} letters. */
    SENTENCE,
    /** 40-60 characters of whole words cut from a sentence. */
    SNIPPET
  }

  static final int MIN_PARAGRAPH_CHARS = 100;
  static final int MIN_SENTENCE_LETTERS = 20;
  static final int SNIPPET_MIN = 40;
  static final int SNIPPET_MAX = 60;

  /** One labelled text: {@code variety} is the language code, with the script for Uzbek
   * ({@code uzb-Latn}, {@code uzb-Cyrl}); {@code language} the code the identifier should say. */
  public record Text(String id, String variety, String language, Part part, Length length, String text) {}

  private final List<Text> texts;

  private HeldOutCorpus(List<Text> texts) {
    this.texts = texts;
  }

  public List<Text> texts() {
    return texts;
  }

  public List<Text> texts(Part part, Length length) {
    return texts.stream().filter(t -> t.part == part && t.length == length).toList();
  }

  static Part partOf(String unit) {
    CRC32 crc = new CRC32();
    crc.update(unit.getBytes(StandardCharsets.UTF_8));
    return crc.getValue() % 2 == 0 ? Part.DEV : Part.TEST;
  }

  /** Reads {@code corpus.tsv} ({@code unit<TAB>variety<TAB>text} with a header line). */
  public static HeldOutCorpus read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read held-out corpus " + file, e);
    }
    if (lines.isEmpty() || !lines.get(0).equals("unit\tvariety\ttext")) {
      throw new IllegalArgumentException(file + ": not a held-out corpus (header unit<TAB>variety<TAB>text)");
    }
    List<Text> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split("\t", -1);
      if (f.length != 3 || f[2].isBlank()) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected unit, variety, text");
      }
      String unit = f[0];
      String variety = f[1];
      String language = variety.startsWith("uzb") ? "uzb" : variety;
      Part part = partOf(unit);
      List<String> sentences = sentences(f[2], variety);
      if (f[2].length() >= MIN_PARAGRAPH_CHARS && sentences.size() >= 2) {
        out.add(new Text(unit, variety, language, part, Length.PARAGRAPH, f[2]));
      }
      for (int s = 0; s < sentences.size(); s++) {
        String sentence = sentences.get(s);
        if (Segments.letters(sentence) >= MIN_SENTENCE_LETTERS) {
          out.add(new Text(unit + "#s" + s, variety, language, part, Length.SENTENCE, sentence));
        }
        List<String> snippets = snippets(sentence);
        for (int k = 0; k < snippets.size(); k++) {
          out.add(new Text(unit + "#s" + s + "." + k, variety, language, part, Length.SNIPPET,
              snippets.get(k)));
        }
      }
    }
    return new HeldOutCorpus(List.copyOf(out));
  }

  /** Sentences by the JDK's sentence boundaries (a maintained splitter, independent of the
   * identifier's own {@link Segments}). */
  static List<String> sentences(String text, String variety) {
    BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
    it.setText(text);
    List<String> out = new ArrayList<>();
    for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
      String s = text.substring(start, end).strip();
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** Consecutive pieces of whole words, each 40-60 characters long (words added while the piece
   * stays within 60; a piece shorter than 40 is dropped). */
  static List<String> snippets(String sentence) {
    String[] words = sentence.split("\\s+");
    List<String> out = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    for (String w : words) {
      if (piece.length() > 0 && piece.length() + 1 + w.length() > SNIPPET_MAX) {
        if (piece.length() >= SNIPPET_MIN && piece.length() <= SNIPPET_MAX) {
          out.add(piece.toString());
        }
        piece.setLength(0);
      }
      if (piece.length() > 0) {
        piece.append(' ');
      }
      piece.append(w);
    }
    if (piece.length() >= SNIPPET_MIN && piece.length() <= SNIPPET_MAX) {
      out.add(piece.toString());
    }
    return out;
  }
}
