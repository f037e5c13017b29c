package dev.cltbench.study;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Field encoders shared by the study's explicit Beam coders (deterministic, length-prefixed). */
public final class Wire {
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final NullableCoder<String> NULLABLE_STRING = NullableCoder.of(STRING);
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();
  private static final NullableCoder<Double> NULLABLE_DOUBLE = NullableCoder.of(DOUBLE);

  private Wire() {}

  public static void string(String s, OutputStream out) throws IOException {
    STRING.encode(s, out);
  }

  public static String string(InputStream in) throws IOException {
    return STRING.decode(in);
  }

  /** A string of a small vocabulary (a condition, model, category, language): written as {@link #string}. */
  public static void symbol(String s, OutputStream out) throws IOException {
    STRING.encode(s, out);
  }

  /**
   * A string of a small vocabulary, read as the one instance of its value: the DirectRunner decodes a
   * copy of every element it groups, and a dozen such fields per response were millions of equal
   * strings at 100 times the published study. Values past the vocabulary's bound are not shared.
   */
  public static String symbol(InputStream in) throws IOException {
    String s = STRING.decode(in);
    String shared = SYMBOLS.get(s);
    if (shared != null) {
      return shared;
    }
    if (SYMBOLS.size() < MAX_SYMBOLS) {
      shared = SYMBOLS.putIfAbsent(s, s);
    }
    return shared == null ? s : shared;
  }

  private static final int MAX_SYMBOLS = 100_000;
  private static final java.util.concurrent.ConcurrentHashMap<String, String> SYMBOLS =
      new java.util.concurrent.ConcurrentHashMap<>();

  public static void nullableString(String s, OutputStream out) throws IOException {
    NULLABLE_STRING.encode(s, out);
  }

  public static String nullableString(InputStream in) throws IOException {
    return NULLABLE_STRING.decode(in);
  }

  public static void integer(int i, OutputStream out) throws IOException {
    INT.encode(i, out);
  }

  public static int integer(InputStream in) throws IOException {
    return INT.decode(in);
  }

  public static void longValue(long l, OutputStream out) throws IOException {
    LONG.encode(l, out);
  }

  public static long longValue(InputStream in) throws IOException {
    return LONG.decode(in);
  }

  public static void doubleValue(double d, OutputStream out) throws IOException {
    DOUBLE.encode(d, out);
  }

  public static double doubleValue(InputStream in) throws IOException {
    return DOUBLE.decode(in);
  }

  public static void nullableDouble(Double d, OutputStream out) throws IOException {
    NULLABLE_DOUBLE.encode(d, out);
  }

  public static Double nullableDouble(InputStream in) throws IOException {
    return NULLABLE_DOUBLE.decode(in);
  }
}
