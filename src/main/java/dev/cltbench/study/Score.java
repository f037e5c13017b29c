package dev.cltbench.study;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;

/**
 * A grade: one integer per criterion of the rubric, in the rubric's order (the pipeline file's). The
 * criteria are data, so a rubric of two or four criteria is scored, summed and tabled like the
 * study's three; nothing downstream names a criterion.
 */
public record Score(Map<String, Integer> values) implements Serializable {

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public Score {
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("a score needs at least one criterion");
    }
    LinkedHashMap<String, Integer> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(java.util.Objects.requireNonNull(k), java.util.Objects.requireNonNull(v)));
    values = Collections.unmodifiableMap(copy);
  }

  /** {@code names[i]} scored {@code scores[i]}. */
  public static Score of(List<String> names, int... scores) {
    if (names.size() != scores.length) {
      throw new IllegalArgumentException(names + " has " + names.size() + " criteria, got " + scores.length + " scores");
    }
    LinkedHashMap<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < scores.length; i++) {
      if (m.put(names.get(i), scores[i]) != null) {
        throw new IllegalArgumentException("criterion " + names.get(i) + " given twice");
      }
    }
    return new Score(m);
  }

  @JsonValue
  @Override
  public Map<String, Integer> values() {
    return values;
  }

  public int get(String criterion) {
    Integer v = values.get(criterion);
    if (v == null) {
      throw new IllegalArgumentException("no criterion " + criterion + " in " + values.keySet());
    }
    return v;
  }

  /** The criteria, in the rubric's order. */
  public List<String> criteria() {
    return new ArrayList<>(values.keySet());
  }

  /** The scores, in the rubric's order. */
  public int[] scores() {
    int[] s = new int[values.size()];
    int i = 0;
    for (int v : values.values()) {
      s[i++] = v;
    }
    return s;
  }

  public int total() {
    int t = 0;
    for (int v : values.values()) {
      t += v;
    }
    return t;
  }

  public static Coder<Score> coder() {
    return ScoreCoder.INSTANCE;
  }

  static void encode(Score s, OutputStream out) throws IOException {
    Wire.integer(s.values.size(), out);
    for (Map.Entry<String, Integer> e : s.values.entrySet()) {
      Wire.string(e.getKey(), out);
      Wire.integer(e.getValue(), out);
    }
  }

  static Score decode(InputStream in) throws IOException {
    int n = Wire.integer(in);
    LinkedHashMap<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String k = Wire.symbol(in);
      m.put(k, Wire.integer(in));
    }
    return new Score(m);
  }

  private static final class ScoreCoder extends AtomicCoder<Score> {
    static final ScoreCoder INSTANCE = new ScoreCoder();

    @Override
    public void encode(Score s, OutputStream out) throws IOException {
      Score.encode(s, out);
    }

    @Override
    public Score decode(InputStream in) throws IOException {
      return Score.decode(in);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
