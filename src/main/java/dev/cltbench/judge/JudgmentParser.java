package dev.cltbench.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.study.Judgment;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Score;
import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict parse of a judge's reply: exactly one JSON object (a single ```json fence around it is
 * tolerated, nothing else), every rubric criterion present as an integer within its range, no unknown
 * fields but {@code notes}. Anything else is a failed judgment with the reason, never a score.
 */
public final class JudgmentParser implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PipelineDefinition.Rubric rubric;

  public JudgmentParser(PipelineDefinition.Rubric rubric) {
    this.rubric = rubric;
  }

  public Judgment parse(String judge, String reply) {
    String text = reply == null ? "" : reply.strip();
    if (text.startsWith("```")) {
      int firstNewline = text.indexOf('\n');
      if (firstNewline < 0 || !text.endsWith("```") || text.length() < 6) {
        return Judgment.failed(judge, "unterminated code fence");
      }
      String lang = text.substring(3, firstNewline).strip();
      if (!lang.isEmpty() && !lang.equalsIgnoreCase("json")) {
        return Judgment.failed(judge, "code fence is not JSON: " + lang);
      }
      text = text.substring(firstNewline + 1, text.length() - 3).strip();
    }
    JsonNode root;
    try {
      var parser = MAPPER.getFactory().createParser(text);
      root = MAPPER.readTree(parser);
      if (root == null || parser.nextToken() != null) {
        return Judgment.failed(judge, "reply is not exactly one JSON object");
      }
    } catch (IOException e) {
      return Judgment.failed(judge, "reply is not JSON: " + firstLine(e.getMessage()));
    }
    if (!root.isObject()) {
      return Judgment.failed(judge, "reply is not a JSON object");
    }
    Set<String> allowed = new TreeSet<>();
    allowed.add("notes");
    for (PipelineDefinition.Criterion c : rubric.criteria()) {
      allowed.add(c.name());
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        return Judgment.failed(judge, "unexpected field " + f);
      }
    }
    Map<String, Integer> scores = new LinkedHashMap<>();
    for (PipelineDefinition.Criterion c : rubric.criteria()) {
      String name = c.name();
      JsonNode v = root.get(name);
      if (v == null || !v.isIntegralNumber()) {
        return Judgment.failed(judge, name + " is missing or not an integer");
      }
      int s = v.asInt();
      if (s < c.min() || s > c.max()) {
        return Judgment.failed(judge, name + " " + s + " is out of range " + c.min() + ".." + c.max());
      }
      scores.put(name, s);
    }
    JsonNode notes = root.get("notes");
    if (notes != null && !notes.isTextual() && !notes.isNull()) {
      return Judgment.failed(judge, "notes is not a string");
    }
    return new Judgment(judge, new Score(scores),
        notes == null || notes.isNull() ? "" : notes.asText(), null);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
