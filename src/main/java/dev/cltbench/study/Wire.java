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
