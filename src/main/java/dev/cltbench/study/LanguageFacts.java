package dev.cltbench.study;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What automatic language identification and the study's text metrics found in an evaluated text.
 * Codes are ISO 639-3 ({@code und} when undetermined). Definitions of the metrics are in
 * {@code dev.cltbench.langid.TextMetrics}.
 */
public record LanguageFacts(
    String expected,
    String detected,
    double confidence,
    String decidedBy,
    double cyrillicShare,
    double codeSwitchShare,
    int englishLeakWords,
    Boolean allStepsShown) {

  public boolean wrongLanguage() {
    return !"und".equals(detected) && !expected.equals(detected);
  }

  static void encodeNullable(LanguageFacts f, OutputStream out) throws IOException {
    if (f == null) {
      out.write(0);
      return;
    }
    out.write(1);
    Wire.symbol(f.expected, out);
    Wire.symbol(f.detected, out);
    Wire.doubleValue(f.confidence, out);
    Wire.symbol(f.decidedBy, out);
    Wire.doubleValue(f.cyrillicShare, out);
    Wire.doubleValue(f.codeSwitchShare, out);
    Wire.integer(f.englishLeakWords, out);
    out.write(f.allStepsShown == null ? 2 : f.allStepsShown ? 1 : 0);
  }

  static LanguageFacts decodeNullable(InputStream in) throws IOException {
    int present = in.read();
    if (present == 0) {
      return null;
    }
    if (present != 1) {
      throw new IOException("corrupt LanguageFacts encoding");
    }
    String expected = Wire.symbol(in);
    String detected = Wire.symbol(in);
    double confidence = Wire.doubleValue(in);
    String decidedBy = Wire.symbol(in);
    double cyrillic = Wire.doubleValue(in);
    double codeSwitch = Wire.doubleValue(in);
    int leaks = Wire.integer(in);
    int steps = in.read();
    return new LanguageFacts(expected, detected, confidence, decidedBy, cyrillic, codeSwitch, leaks,
        steps == 2 ? null : steps == 1);
  }
}
