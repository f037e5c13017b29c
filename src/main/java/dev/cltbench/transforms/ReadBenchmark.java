package dev.cltbench.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import java.io.IOException;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * A benchmark's questions read inside the pipeline, in the format and with the field mapping of the
 * pipeline file ({@code benchmark_fields}): JSONL line by line through {@link TextIO}, so a large
 * benchmark is split across workers; CSV (whose quoted fields may span lines) and the JSON array file
 * by file through {@link FileIO}. Every record is checked as the launcher's reader checks it.
 */
public final class ReadBenchmark extends PTransform<PBegin, PCollection<Questions.Question>> {
  private final String file;
  private final PipelineDefinition definition;

  public ReadBenchmark(String file, PipelineDefinition definition) {
    super("ReadBenchmark");
    this.file = file;
    this.definition = definition;
  }

  @Override
  public PCollection<Questions.Question> expand(PBegin begin) {
    PipelineDefinition.BenchmarkFields fields = definition.benchmarkFieldsOrDefault();
    if (fields.formatOrDefault().equals("jsonl")) {
      return begin
          .apply("ReadBenchmarkLines", TextIO.read().from(file))
          .apply("ParseQuestionLines", ParDo.of(new LineFn(file, definition)))
          .setCoder(Questions.questionCoder());
    }
    return begin
        .apply("MatchBenchmark", FileIO.match().filepattern(file).withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("ReadBenchmarkFile", FileIO.readMatches())
        .apply("ParseQuestionFile", ParDo.of(new FileFn(file, definition)))
        .setCoder(Questions.questionCoder());
  }

  static final class LineFn extends DoFn<String, Questions.Question> {
    private final String file;
    private final PipelineDefinition definition;

    LineFn(String file, PipelineDefinition definition) {
      this.file = file;
      this.definition = definition;
    }

    @ProcessElement
    public void process(@Element String line, OutputReceiver<Questions.Question> out) {
      if (line.isBlank()) {
        return;
      }
      // TextIO gives no line numbers: the record is named by its id (the launcher's check names the line).
      JsonNode node = Questions.parseLine(line.startsWith("\uFEFF") ? line.substring(1) : line, file, 0);
      out.output(Questions.question(node, "a line", file, definition.languages(),
          definition.benchmarkFieldsOrDefault()));
    }
  }

  /** A CSV or JSON array file, parsed whole by the launcher's reader (it checks what that one checks). */
  static final class FileFn extends DoFn<FileIO.ReadableFile, Questions.Question> {
    private final String file;
    private final PipelineDefinition definition;

    FileFn(String file, PipelineDefinition definition) {
      this.file = file;
      this.definition = definition;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile readable, OutputReceiver<Questions.Question> out)
        throws IOException {
      Questions.read(readable.getMetadata().resourceId().toString(), definition).all().forEach(out::output);
    }
  }
}
