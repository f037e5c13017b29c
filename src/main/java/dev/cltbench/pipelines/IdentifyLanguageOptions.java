package dev.cltbench.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of {@code cltbench identify-language}. */
public interface IdentifyLanguageOptions extends PipelineOptions {
  @Description("File of texts; '-' or unset: standard input.")
  String getInput();

  void setInput(String value);

  @Description("How texts are given: lines (one text per line, id = line number), tsv (id<TAB>text),"
      + " jsonl (one JSON object per line, see --textField and --idField).")
  @Default.String("lines")
  String getFormat();

  void setFormat(String value);

  @Description("JSONL: the field holding the text.")
  @Default.String("text")
  String getTextField();

  void setTextField(String value);

  @Description("JSONL: the field holding the id; unset or absent: the line number.")
  String getIdField();

  void setIdField(String value);

  @Description("Comma-separated ISO 639-3 codes to choose among: a subset of the nine (eng,kaz,kir,"
      + "mon,rus,tat,bak,uzb,tur) narrows, other codes of OpenNLP's 103-language model widen."
      + " Unset: the nine, as the pipeline does.")
  String getCandidates();

  void setCandidates(String value);

  @Description("Instead of identifying input, print the identifier's figures on the held-out corpus"
      + " (development and test parts) beside OpenNLP alone, and the published judge agreement.")
  @Default.Boolean(false)
  boolean getHeldout();

  void setHeldout(boolean value);

  @Description("Held-out corpus file (with --heldout). Default: the repository's test corpus.")
  String getCorpus();

  void setCorpus(String value);
}
