package dev.cltbench.cli;

import dev.cltbench.pipelines.IdentifyLanguageJob;
import dev.cltbench.pipelines.IdentifyLanguageOptions;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code cltbench identify-language}: the pipeline's language identifier ({@code
 * LanguageIdentifier.identify}) on texts from a file or standard input, one verdict per text; with
 * {@code --heldout}, its figures on the held-out corpus beside OpenNLP alone.
 */
final class IdentifyLanguageCommand implements Main.Command {
  @Override
  public String summary() {
    return "identify the language of texts (lines, TSV or JSONL); --heldout: held-out figures";
  }

  @Override
  public void help(PrintStream out) {
    out.println("usage: ./cltbench identify-language [--input=FILE] [--format=lines|tsv|jsonl]"
        + " [--textField=F] [--idField=F] [--candidates=eng,kaz,...]");
    out.println("       ./cltbench identify-language --heldout [--corpus=FILE]");
    out.println();
    out.println("Writes id<TAB>language<TAB>confidence<TAB>decided_by per text (ISO 639-3, 'und' when");
    out.println("too short; decided_by: opennlp, script, letters, words), after reading all input: bad");
    out.println("input names file, line and field and writes nothing (exit 2).");
    out.println();
    PipelineOptionsFactory.register(IdentifyLanguageOptions.class);
    PipelineOptionsFactory.printHelp(out, IdentifyLanguageOptions.class);
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws IOException {
    PipelineOptionsFactory.register(IdentifyLanguageOptions.class);
    IdentifyLanguageOptions options = PipelineOptionsFactory.fromArgs(args).withValidation()
        .as(IdentifyLanguageOptions.class);
    return IdentifyLanguageJob.run(options, out, err);
  }
}
