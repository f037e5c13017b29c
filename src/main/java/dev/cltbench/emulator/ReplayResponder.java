package dev.cltbench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.clients.ModelClients;
import dev.cltbench.study.FinalAnswerExtractor;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.StudyCodec;
import dev.cltbench.study.StudyInputException;
import java.io.IOException;
import java.io.Reader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Serves a study directory's recorded answers: a model request gets the response recorded for the same
 * (model id, system prompt, question), with its recorded latency; a judge request (JudgePrompt's
 * tagged user message) gets the recorded grade of the same (question, evaluated answer) as the JSON
 * JudgmentParser reads. Both keys are checked unique when loading: a key recorded twice with different
 * content makes the load fail rather than serve one of them at random.
 */
public final class ReplayResponder implements Responder {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern JUDGE_USER = Pattern.compile(
      "<question>(.*?)</question>\\n<reference>(.*?)</reference>\\n<answer>(.*)</answer>\\z", Pattern.DOTALL);

  private record Recorded(String text, long latencyMs) {}

  private final Map<String, Recorded> responses;
  private final Map<String, String> grades;

  private ReplayResponder(Map<String, Recorded> responses, Map<String, String> grades) {
    this.responses = responses;
    this.grades = grades;
  }

  /** Number of distinct recorded answers and grades served. */
  public int responseCount() {
    return responses.size();
  }

  public int gradeCount() {
    return grades.size();
  }

  static String responseKey(String modelId, String system, String question) {
    return modelId + "\u0000" + (system == null ? "" : system) + "\u0000" + question;
  }

  static String gradeKey(String question, String answer) {
    return question + "\u0000" + answer;
  }

  /**
   * Reads results/&lt;condition directory&gt;/*.json and grades/&lt;condition directory&gt;.csv for every
   * condition of {@code def}. Model ids are the definition's (by model name, as sent on the wire), else the file's.
   */
  public static ReplayResponder load(String studyDir, PipelineDefinition def) {
    Map<String, Recorded> responses = new HashMap<>();
    Map<String, String> grades = new HashMap<>();
    FinalAnswerExtractor extractor = def.finalAnswerExtractor();
    for (PipelineDefinition.Condition c : def.conditions()) {
      // (model name, question id) -> (question text, evaluated answer) for joining the grades
      Map<String, String[]> byModelQuestion = new HashMap<>();
      for (String f : StudyCodec.match(StudyCodec.resultsOf(studyDir, c.directory()))) {
        readResults(f, def, c, extractor, responses, byModelQuestion);
      }
      String csv = StudyCodec.grades(studyDir, c.directory());
      if (StudyCodec.exists(csv)) {
        readGrades(csv, byModelQuestion, grades);
      }
    }
    return new ReplayResponder(responses, grades);
  }

  private static void readResults(String f, PipelineDefinition def, PipelineDefinition.Condition c,
      FinalAnswerExtractor extractor, Map<String, Recorded> responses, Map<String, String[]> byModelQuestion) {
    JsonNode root = StudyCodec.readJson(f);
    String model = root.path("model").asText();
    // Keyed by the id the client puts on the wire (a route suffix included), else the file's.
    String modelId = def.model(model).map(ModelClients::wireModelId)
        .orElse(root.path("model_id").asText(model));
    JsonNode sys = root.get("system_prompt_used");
    String system = sys == null || sys.isNull() ? null : sys.asText();
    for (JsonNode r : root.path("responses")) {
      String question = r.path("question_text").asText();
      String text = r.path("response").asText();
      long latency = Math.round(r.path("response_time_seconds").asDouble(0) * 1000);
      String key = responseKey(modelId, system, question);
      Recorded previous = responses.putIfAbsent(key, new Recorded(text, latency));
      if (previous != null && !previous.text().equals(text)) {
        throw new StudyInputException(f, null, "responses",
            "two different answers recorded for model " + modelId + " and question " + r.path("question_id"));
      }
      String evaluated = c.extractsFinalAnswer() ? extractor.extract(text) : text;
      byModelQuestion.put(model + "\u0000" + r.path("question_id").asText(), new String[] {question, evaluated});
    }
  }

  private static void readGrades(String csv, Map<String, String[]> byModelQuestion, Map<String, String> grades) {
    try (Reader in = StudyCodec.reader(csv)) {
      var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in);
      // The criteria are the columns between the keys and the total, whatever the rubric.
      List<String> header = parser.getHeaderNames();
      List<String> criteria = header.subList(header.indexOf("model") + 1, header.indexOf("total"));
      for (CSVRecord row : parser) {
        String[] qa = byModelQuestion.get(row.get("model") + "\u0000" + row.get("question_id"));
        if (qa == null) {
          continue; // a grade without a recorded answer cannot be asked for
        }
        ObjectNode g = MAPPER.createObjectNode();
        for (String criterion : criteria) {
          g.put(criterion, Integer.parseInt(row.get(criterion).strip()));
        }
        g.put("notes", row.isMapped("notes") ? row.get("notes") : "");
        String reply = g.toString();
        String previous = grades.putIfAbsent(gradeKey(qa[0], qa[1]), reply);
        if (previous != null && !previous.equals(reply)) {
          throw new StudyInputException(csv, row.getRecordNumber() + 1 + "", null,
              "two different grades recorded for the same question and answer (model "
                  + row.get("model") + ", question " + row.get("question_id") + ")");
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new StudyInputException(csv, null, null, "unreadable grades: " + e.getMessage());
    }
  }

  @Override
  public Reply respond(Request r) {
    Matcher j = JUDGE_USER.matcher(r.user());
    if (j.find()) {
      String grade = grades.get(gradeKey(j.group(1), j.group(3)));
      if (grade == null) {
        throw new NoReply("no recorded grade for this question and answer");
      }
      return new Reply(grade, 0, 0, 0);
    }
    Recorded rec = responses.get(responseKey(r.modelId(), r.system(), r.user()));
    if (rec == null) {
      throw new NoReply("no recorded answer of model " + r.modelId() + " to this system prompt and question");
    }
    // A recorded answer is replayed as a complete one (each protocol's natural stop), even an empty
    // one (the published study has an empty gpt_5.2 answer, most likely a reasoning model cut at
    // max_tokens): the study recorded no finish reasons and graded every recorded answer, so a replay
    // that reproduces the study must grade them too. Guessing "truncated" from an empty text would
    // change the published tables on evidence the study does not hold.
    return new Reply(rec.text(), rec.latencyMs(), 0, 0);
  }
}
