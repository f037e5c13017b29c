package dev.cltbench.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.study.PipelineDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic made-up answers, shaped like the study's so every step of a run has something real to
 * work on: answers in the question's language (Kazakh, Mongolian or English words), self-transfer
 * answers with the study's step markers, pseudo-translations for translation prompts, and valid JSON
 * grades for judge prompts (varying with the judge's model id). The same request always gets the same
 * answer.
 */
public final class SyntheticResponder implements Responder {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String[] ENGLISH = ("the answer is that of and to in it this question because "
      + "important people time world history water city knowledge main reason result many good large "
      + "small country life day year data method different modern science language which was are").split(" ");
  private static final String[] KAZAKH = ("және бұл үшін өте қазақ тілі жауап сұрақ мәселе көп жақсы "
      + "ғылым адам уақыт жер су қала білім әлем тарих мемлекет халық өмір күн жыл бар үлкен кіші "
      + "негізгі себебі сондықтан болып табылады маңызды деректер нәтиже қазіргі түрлі әдіс").split(" ");
  private static final String[] MONGOLIAN = ("ба энэ нь байна юм монгол хэл хариулт асуулт их сайн "
      + "шинжлэх ухаан хүн цаг газар ус хот мэдлэг дэлхий түүх улс ард амьдрал өдөр жил бий том бага "
      + "гол учир тиймээс болно чухал өгөгдөл үр дүн өнөөгийн төрөл арга").split(" ");
  private static final Pattern KAZAKH_LETTERS = Pattern.compile("[әғқңұһіӘҒҚҢҰҺІ]");
  private static final Pattern CYRILLIC = Pattern.compile("\\p{IsCyrillic}");

  private final Pattern translate;
  private final Set<String> selfTransferPrompts = new HashSet<>();
  private final List<PipelineDefinition.Criterion> criteria;

  /** Recognises the default translation prompt and numbered-step system prompts. */
  public SyntheticResponder() {
    this(null);
  }

  /** Also recognises the definition's own translation prompt, self-transfer prompts and rubric. */
  public SyntheticResponder(PipelineDefinition def) {
    String template = def == null || def.prompts() == null || def.prompts().translate() == null
        ? PipelineDefinition.Prompts.DEFAULT_TRANSLATE : def.prompts().translate();
    String[] pieces = template.split("\\{source\\}|\\{target\\}", -1);
    StringBuilder re = new StringBuilder();
    boolean sourceFirst = template.indexOf("{source}") <= template.indexOf("{target}");
    for (int i = 0; i < pieces.length; i++) {
      re.append(Pattern.quote(pieces[i]));
      if (i + 1 < pieces.length) {
        re.append(i == 0 == sourceFirst ? "(?<source>.+?)" : "(?<target>.+?)");
      }
    }
    this.translate = Pattern.compile(re.toString(), Pattern.DOTALL);
    if (def != null) {
      for (PipelineDefinition.Condition c : def.conditions()) {
        if (c.extractsFinalAnswer() && c.systemPrompt() != null) {
          selfTransferPrompts.add(c.systemPrompt());
        }
      }
    }
    this.criteria = def == null || def.rubric() == null ? null : def.rubric().criteria();
  }

  enum Lang { ENGLISH, KAZAKH, MONGOLIAN }

  static Lang languageOf(String text) {
    if (KAZAKH_LETTERS.matcher(text).find()) {
      return Lang.KAZAKH;
    }
    return CYRILLIC.matcher(text).find() ? Lang.MONGOLIAN : Lang.ENGLISH;
  }

  private static Lang languageNamed(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.contains("kazakh") || n.contains("қазақ")) {
      return Lang.KAZAKH;
    }
    if (n.contains("mongol") || n.contains("монгол")) {
      return Lang.MONGOLIAN;
    }
    return Lang.ENGLISH;
  }

  @Override
  public Reply respond(Request r) {
    String system = r.system() == null ? "" : r.system();
    SplittableRandom rnd = new SplittableRandom(seed(r.modelId() + "\u0000" + system + "\u0000" + r.user()));
    if (r.user().contains("<question>") && r.user().contains("<answer>")) {
      return new Reply(grade(rnd), 0, 0, 0);
    }
    Matcher t = translate.matcher(system);
    if (t.matches()) {
      return new Reply(translate(r.user(), languageNamed(t.group("target"))), 0, 0, 0);
    }
    Lang lang = languageOf(r.user());
    int choices = choiceCount(r.user());
    if (choices >= 2) {
      // A multiple-choice question (lettered lines A., B., ...): a letter, in one of three shapes.
      String letter = String.valueOf((char) ('A' + rnd.nextInt(choices)));
      String[] shapes = {letter, "(" + letter + ")", "Answer: " + letter};
      return new Reply(shapes[rnd.nextInt(shapes.length)], 0, 0, 0);
    }
    if (selfTransferPrompts.contains(system) || (selfTransferPrompts.isEmpty() && numberedSteps(system))) {
      String word = switch (lang) {
        case KAZAKH -> "қадам";
        case MONGOLIAN -> "алхам";
        case ENGLISH -> "step";
      };
      String english = translate(r.user(), Lang.ENGLISH);
      return new Reply("1-" + word + "\n" + english + "\n\n2-" + word + "\n" + prose(rnd, Lang.ENGLISH)
          + "\n\n3-" + word + "\n" + prose(rnd, lang), 0, 0, 0);
    }
    return new Reply(prose(rnd, lang), 0, 0, 0);
  }

  /** How many lettered choice lines ({@code A. }, {@code B. }, ... in order) the text ends with. */
  static int choiceCount(String user) {
    int n = 0;
    while (user.contains("\n" + (char) ('A' + n) + ". ")) {
      n++;
    }
    return n;
  }

  private static boolean numberedSteps(String system) {
    return Pattern.compile("(?m)^\\s*1[.)]").matcher(system).find()
        && Pattern.compile("(?m)^\\s*2[.)]").matcher(system).find()
        && Pattern.compile("(?m)^\\s*3[.)]").matcher(system).find();
  }

  private String grade(SplittableRandom rnd) {
    ObjectNode o = MAPPER.createObjectNode();
    if (criteria == null) {
      for (String c : List.of("accuracy", "fluency", "completeness")) {
        o.put(c, rnd.nextInt(3));
      }
    } else {
      for (PipelineDefinition.Criterion c : criteria) {
        o.put(c.name(), c.min() + rnd.nextInt(c.max() - c.min() + 1));
      }
    }
    o.put("notes", "emulated grade");
    return o.toString();
  }

  private static String[] words(Lang l) {
    return switch (l) {
      case KAZAKH -> KAZAKH;
      case MONGOLIAN -> MONGOLIAN;
      case ENGLISH -> ENGLISH;
    };
  }

  /** Two to four sentences of six to twelve words. */
  private static String prose(SplittableRandom rnd, Lang lang) {
    String[] w = words(lang);
    int sentences = 2 + rnd.nextInt(3);
    StringBuilder sb = new StringBuilder();
    for (int s = 0; s < sentences; s++) {
      int n = 6 + rnd.nextInt(7);
      for (int i = 0; i < n; i++) {
        String word = w[rnd.nextInt(w.length)];
        if (i == 0) {
          word = word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
        }
        sb.append(word).append(i + 1 < n ? " " : ". ");
      }
    }
    return sb.toString().strip();
  }

  /** Word for word into the target's vocabulary, keeping lines and word count. */
  static String translate(String text, Lang target) {
    String[] w = words(target);
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      StringBuilder sb = new StringBuilder();
      for (String token : line.split(" ", -1)) {
        if (!sb.isEmpty()) {
          sb.append(' ');
        }
        if (!token.isEmpty()) {
          sb.append(w[(int) Math.floorMod(seed(token), (long) w.length)]);
        }
      }
      lines.add(sb.toString());
    }
    return String.join("\n", lines);
  }

  private static long seed(String s) {
    byte[] h = FaultPlan.sha256(s);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (h[i] & 0xff);
    }
    return v;
  }
}
