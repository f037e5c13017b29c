package dev.cltbench.study;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;

/**
 * One group of the summary tables: its scope ({@code condition}, {@code family}, {@code model},
 * {@code category}), the group within the scope ({@code all} for the condition scope) and the
 * condition; with a rubric criterion where a row is one criterion's (the page finds the criterion
 * intervals by it), else {@code null} (the whole score).
 */
public record GroupKey(String scope, String group, String condition, String criterion) {
  /** The group's whole score (no criterion). */
  public static GroupKey of(String scope, String group, String condition) {
    return new GroupKey(scope, group, condition, null);
  }

  /** Deterministic, so a GroupByKey may key by it. */
  public static Coder<GroupKey> coder() {
    return GroupKeyCoder.INSTANCE;
  }

  private static final class GroupKeyCoder extends AtomicCoder<GroupKey> {
    static final GroupKeyCoder INSTANCE = new GroupKeyCoder();

    @Override
    public void encode(GroupKey k, OutputStream out) throws IOException {
      Wire.symbol(k.scope, out);
      Wire.symbol(k.group, out);
      Wire.symbol(k.condition, out);
      Wire.nullableString(k.criterion, out);
    }

    @Override
    public GroupKey decode(InputStream in) throws IOException {
      return new GroupKey(Wire.symbol(in), Wire.symbol(in), Wire.symbol(in), Wire.nullableString(in));
    }

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
