package dev.cltbench.synth;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.study.StudyCodec;
import dev.cltbench.study.StudyLayout;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * A study directory shaped exactly like the published one (benchmark/questions.json,
 * results/&lt;condition dir&gt;/&lt;model&gt;.json, grades/&lt;condition dir&gt;.csv, same schemas) but
 * {@code scale} times larger, for measuring the pipelines at sizes the real study does not have.
 *
 * <p>Synthetic question {@code r * maxId + id} is a copy of real question {@code id} (texts tagged with
 * the replica number, so each one is distinct). Each (condition, model, question) gets a real response
 * of the same condition and model together with its real grade, drawn uniformly: text lengths, response
 * times, the joint distribution of the three scores and the judge's notes are those of the real study
 * per condition x model. The real study (a few MB) is the only thing held in memory; every output file
 * is streamed. Draws come from one random stream per (condition, model) consumed in question order, so
 * the results file and the grades file of a pair see the same draws, and a seed gives identical files.
 */
public final class SyntheticStudy {
  /** A real response with its grade: one draw. */
  record Sample(JsonNode response, CSVRecord grade) {}

  /** One condition directory of the real study. */
  record Condition(String directory, Map<String, JsonNode> headers, Map<String, List<Sample>> samples,
      List<String> gradeModels) {}

  private final String study;
  private final JsonNode questions;
  private final List<String> gradeHeader;
  private final List<Condition> conditions;
  private final ObjectMapper mapper = new ObjectMapper();

  private SyntheticStudy(String study, JsonNode questions, List<String> gradeHeader,
      List<Condition> conditions) {
    this.study = study;
    this.questions = questions;
    this.gradeHeader = gradeHeader;
    this.conditions = conditions;
  }

  public static SyntheticStudy load(Path study) throws IOException {
    return load(study.toString());
  }

  /** Loads the real study's samples (per condition x model) from a local study directory. */
  public static SyntheticStudy load(String study) throws IOException {
    String questionsFile = StudyCodec.questions(study);
    if (!StudyCodec.exists(questionsFile)) {
      throw new IOException("not a study directory: " + questionsFile + " is missing");
    }
    JsonNode questions = StudyCodec.readJson(questionsFile);
    List<String> header = null;
    List<Condition> conditions = new ArrayList<>();
    // Condition directory -> its results files, both in name order.
    Map<String, List<String>> byDirectory = new TreeMap<>();
    for (String file : StudyCodec.match(StudyLayout.resultsPattern(study))) {
      String parent = file.substring(0, file.lastIndexOf('/'));
      byDirectory.computeIfAbsent(StudyCodec.fileName(parent), k -> new ArrayList<>()).add(file);
    }
    for (Map.Entry<String, List<String>> dir : byDirectory.entrySet()) {
      String directory = dir.getKey();
      Map<String, JsonNode> headers = new LinkedHashMap<>();
      Map<String, Map<Integer, JsonNode>> responses = new LinkedHashMap<>();
      for (String file : dir.getValue()) {
        String model = StudyCodec.fileName(file).replaceFirst("\\.json$", "");
        JsonNode root = StudyCodec.readJson(file);
        headers.put(model, root);
        Map<Integer, JsonNode> byQuestion = new TreeMap<>();
        root.get("responses").forEach(r -> byQuestion.put(r.get("question_id").asInt(), r));
        responses.put(model, byQuestion);
      }
      Map<String, List<Sample>> samples = new LinkedHashMap<>();
      List<String> gradeModels = new ArrayList<>();
      String grades = StudyCodec.grades(study, directory);
      if (!StudyCodec.exists(grades)) {
        throw new IOException("not a study directory: " + grades + " is missing");
      }
      try (Reader reader = StudyCodec.reader(grades)) {
        var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
            .parse(reader);
        header = parser.getHeaderNames();
        for (CSVRecord row : parser) {
          String model = row.get("model");
          JsonNode response = responses.getOrDefault(model, Map.of())
              .get(Integer.parseInt(row.get("question_id").strip()));
          if (response == null) {
            throw new IOException(grades + ":" + row.getRecordNumber() + ": no response for "
                + model + " question " + row.get("question_id"));
          }
          if (!gradeModels.contains(model)) {
            gradeModels.add(model);
          }
          samples.computeIfAbsent(model, k -> new ArrayList<>()).add(new Sample(response, row));
        }
      }
      if (!samples.keySet().equals(headers.keySet())) {
        throw new IOException(grades + " grades models " + samples.keySet() + " but results/"
            + directory + " has " + headers.keySet());
      }
      conditions.add(new Condition(directory, headers, samples, gradeModels));
    }
    if (conditions.isEmpty() || header == null) {
      throw new IOException(study + " has no results/<condition>/<model>.json with grades");
    }
    return new SyntheticStudy(study, questions, header, conditions);
  }

  /** Writes the synthetic study into {@code out} (created); returns the number of responses. */
  public long write(Path out, int scale, long seed) throws IOException {
    return write(out.toString(), scale, seed);
  }

  /** As above, into {@code out} on any Beam filesystem. */
  public long write(String out, int scale, long seed) throws IOException {
    if (scale < 1) {
      throw new IllegalArgumentException("--scale must be at least 1, got " + scale);
    }
    int maxId = 0;
    for (JsonNode q : questions) {
      maxId = Math.max(maxId, q.get("id").asInt());
    }
    writeBenchmark(out, scale, maxId);
    long written = 0;
    for (Condition c : conditions) {
      for (String model : c.headers().keySet()) {
        written += writeResults(StudyCodec.create(out, "results/" + c.directory() + "/" + model + ".json"),
            c, model, scale, maxId, seed);
      }
      writeGrades(StudyCodec.create(out, "grades/" + c.directory() + ".csv"), c, scale, maxId, seed);
    }
    return written;
  }

  private void writeBenchmark(String out, int scale, int maxId) throws IOException {
    // The free-text question lists and answer sheet are for people; they describe the base questions.
    for (String p : StudyCodec.match(StudyCodec.join(study, "benchmark/*.txt"))) {
      StudyCodec.copy(p, out, "benchmark/" + StudyCodec.fileName(p));
    }
    try (OutputStream os = StudyCodec.create(out, "benchmark/questions.json");
        JsonGenerator g = mapper.getFactory().createGenerator(os, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartArray();
      for (int r = 0; r < scale; r++) {
        for (JsonNode q : questions) {
          g.writeStartObject();
          for (Iterator<Map.Entry<String, JsonNode>> it = q.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            switch (f.getKey()) {
              case "id" -> g.writeNumberField("id", syntheticId(r, q.get("id").asInt(), maxId));
              case "category", "reference_answer" -> g.writeObjectField(f.getKey(), f.getValue());
              default -> g.writeObjectField(f.getKey(), f.getValue().isTextual()
                  ? mapper.getNodeFactory().textNode(tag(f.getValue().asText(), r)) : f.getValue());
            }
          }
          g.writeEndObject();
        }
      }
      g.writeEndArray();
    }
  }

  private long writeResults(OutputStream file, Condition c, String model, int scale, int maxId, long seed)
      throws IOException {
    JsonNode header = c.headers().get(model);
    String questionField = c.samples().get(model).isEmpty() ? null : questionField(header);
    Draws draws = new Draws(seed, c.directory(), model, c.samples().get(model));
    long n = 0;
    try (OutputStream os = file;
        JsonGenerator g = mapper.getFactory().createGenerator(os, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (!f.getKey().equals("responses")) {
          g.writeObjectField(f.getKey(), f.getValue());
          continue;
        }
        g.writeArrayFieldStart("responses");
        for (int r = 0; r < scale; r++) {
          for (JsonNode q : questions) {
            Sample s = draws.next();
            g.writeStartObject();
            g.writeNumberField("question_id", syntheticId(r, q.get("id").asInt(), maxId));
            g.writeStringField("category", q.get("category").asText());
            g.writeStringField("question_text", tag(q.get(questionField).asText(), r));
            g.writeObjectField("response", s.response().get("response"));
            g.writeObjectField("reference_answer", q.get("reference_answer"));
            g.writeObjectField("response_time_seconds", s.response().get("response_time_seconds"));
            g.writeEndObject();
            n++;
          }
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    return n;
  }

  private void writeGrades(OutputStream file, Condition c, int scale, int maxId, long seed) throws IOException {
    Map<String, Draws> draws = new LinkedHashMap<>();
    for (String model : c.gradeModels()) {
      draws.put(model, new Draws(seed, c.directory(), model, c.samples().get(model)));
    }
    try (BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(file, StandardCharsets.UTF_8));
        CSVPrinter p = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build().print(w)) {
      p.printRecord(gradeHeader);
      List<String> row = new ArrayList<>(gradeHeader.size());
      for (int r = 0; r < scale; r++) {
        for (JsonNode q : questions) {
          for (Map.Entry<String, Draws> d : draws.entrySet()) {
            CSVRecord g = d.getValue().next().grade();
            row.clear();
            for (String column : gradeHeader) {
              row.add(switch (column) {
                case "question_id" -> Integer.toString(syntheticId(r, q.get("id").asInt(), maxId));
                case "category" -> q.get("category").asText();
                default -> g.get(column);
              });
            }
            p.printRecord(row);
          }
        }
      }
    }
  }

  /** The question field a results file's responses are in: the one its first response matches. */
  private String questionField(JsonNode header) throws IOException {
    JsonNode first = header.get("responses").get(0);
    for (JsonNode q : questions) {
      if (q.get("id").asInt() == first.get("question_id").asInt()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = q.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> f = it.next();
          if (f.getValue().isTextual() && f.getValue().asText().equals(first.get("question_text").asText())) {
            return f.getKey();
          }
        }
      }
    }
    throw new IOException("no question field of questions.json matches the question_text of "
        + header.get("model").asText() + " / " + header.get("condition").asText());
  }

  static int syntheticId(int replica, int id, int maxId) {
    return Math.addExact(Math.multiplyExact(replica, maxId), id);
  }

  /** Replica 0 keeps the real texts; later replicas are tagged so every question text is distinct. */
  static String tag(String text, int replica) {
    return replica == 0 ? text : text + " [" + (replica + 1) + "]";
  }

  /** The draws of one (condition, model), reproducible from the seed alone. */
  static final class Draws {
    private final SplittableRandom random;
    private final List<Sample> samples;

    Draws(long seed, String condition, String model, List<Sample> samples) {
      long h = seed;
      // Not a key but the seed's input: these exact characters make every synthetic study what it is.
      for (char ch : (condition + "\u001f" + model).toCharArray()) {
        h = h * 1_000_003L + ch;
      }
      this.random = new SplittableRandom(h);
      this.samples = samples;
    }

    Sample next() {
      return samples.get(random.nextInt(samples.size()));
    }
  }
}
