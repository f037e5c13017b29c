package dev.cltbench.cli;

import dev.cltbench.langid.LanguageIdentifier;
import dev.cltbench.langid.LanguageValidation;
import dev.cltbench.study.PublishedStudy;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code cltbench validate-language}: the language identifier's wrong-language verdicts against the
 * published judge's (fluency 0 and a note naming the other language), precision and recall per
 * language pair, recognition of the strong models' answers, and what each part of the identifier adds.
 */
final class ValidateLanguageCommand implements Main.Command {
  @Override
  public String summary() {
    return "language identification vs the published judge's wrong-language flags (precision, recall)";
  }

  @Override
  public void help(PrintStream out) {
    out.println("usage: ./cltbench validate-language [--study=DIR] [--pipeline=FILE]");
    out.println();
    out.println("  --study     recorded study with grades/ (default $CLTBENCH_STUDY, else ../shared/left-behind-clt)");
    out.println("  --pipeline  its pipeline definition (default pipelines/left-behind.json)");
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    String study = PublishedStudy.location(System::getenv);
    String pipeline = "pipelines/left-behind.json";
    for (String a : args) {
      if (a.startsWith("--study=")) {
        study = a.substring("--study=".length());
      } else if (a.startsWith("--pipeline=")) {
        pipeline = a.substring("--pipeline=".length());
      } else {
        throw new IllegalArgumentException("unknown option " + a + " (see --help)");
      }
    }
    // Schemes other than the local one are registered from the options' registrars.
    org.apache.beam.sdk.io.FileSystems.setDefaultPipelineOptions(
        org.apache.beam.sdk.options.PipelineOptionsFactory.create());
    PublishedStudy.requireDirectory(study);
    if (dev.cltbench.study.StudyCodec.match(dev.cltbench.study.StudyLayout.gradesPattern(study)).isEmpty()) {
      throw new IllegalArgumentException(study + ": not a study directory (no grades/)");
    }
    LanguageValidation.run(study, Path.of(pipeline), LanguageIdentifier.create()).print(out);
    return 0;
  }
}
