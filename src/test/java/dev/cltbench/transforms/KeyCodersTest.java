package dev.cltbench.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cltbench.study.CellKey;
import dev.cltbench.study.GroupKey;
import dev.cltbench.transforms.CompareTransferWithDirect.Comparison;
import dev.cltbench.transforms.CompareTransferWithDirect.PairBlock;
import dev.cltbench.transforms.SummarizeCosts.ModelStage;
import dev.cltbench.transforms.WriteFailures.FailureLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/**
 * The keys that GroupByKey and Combine.perKey group by: every coder decodes what it encodes, is
 * deterministic (Beam checks it before grouping; equal keys must give equal bytes on every worker)
 * and agrees with the records' equality. The sorted ones sort as the joined strings they replace.
 */
class KeyCodersTest {
  /** Field values where a careless encoding would collide or a careless order would differ. */
  static final List<String> TRICKY = List.of("", "a", "a b", "a-b", "ab", "a\u0000", "Ўзбек", "x|y");

  static <T> void isAGoodKeyCoder(Coder<T> coder, T a, T equalToA, T other) throws Exception {
    coder.verifyDeterministic();
    CoderProperties.coderSerializable(coder);
    CoderProperties.coderDecodeEncodeEqual(coder, a);
    CoderProperties.coderDecodeEncodeEqual(coder, other);
    CoderProperties.coderDeterministic(coder, a, equalToA);
    CoderProperties.coderConsistentWithEquals(coder, a, equalToA);
    CoderProperties.coderConsistentWithEquals(coder, a, other);
    CoderProperties.structuralValueConsistentWithEquals(coder, a, other);
    // As part of a composite key too: KvCoder is deterministic only over deterministic parts.
    KvCoder.of(coder, StringUtf8Coder.of()).verifyDeterministic();
  }

  @Test
  void cellKeys() throws Exception {
    isAGoodKeyCoder(CellKey.coder(), new CellKey("C1", "gpt"), new CellKey("C1", "gpt"), new CellKey("C1g", "pt"));
    isAGoodKeyCoder(CellKey.coder(), new CellKey("", "a b"), new CellKey("", "a b"), new CellKey("a", " b"));
  }

  @Test
  void groupKeysWithAndWithoutCriterion() throws Exception {
    GroupKey whole = GroupKey.of("family", "Aya", "C3");
    isAGoodKeyCoder(GroupKey.coder(), whole, GroupKey.of("family", "Aya", "C3"), new GroupKey(whole.scope(), whole.group(), whole.condition(), "accuracy"));
    // No criterion and an empty criterion are different groups, and stay so through the coder.
    isAGoodKeyCoder(GroupKey.coder(), whole, GroupKey.of("family", "Aya", "C3"), new GroupKey(whole.scope(), whole.group(), whole.condition(), ""));
    isAGoodKeyCoder(GroupKey.coder(), new GroupKey("model", "a", "b", "c"), new GroupKey("model", "a", "b", "c"),
        new GroupKey("model", "ab", "", "c"));
  }

  @Test
  void transformKeys() throws Exception {
    isAGoodKeyCoder(ModelStage.coder(), new ModelStage("m", "answer"), new ModelStage("m", "answer"),
        new ModelStage("m", "judge:j"));
    isAGoodKeyCoder(PairBlock.coder(), new PairBlock("C3", "C1", "m", 0), new PairBlock("C3", "C1", "m", 0),
        new PairBlock("C3", "C1", "m", 12));
    isAGoodKeyCoder(Comparison.coder(), new Comparison("overall", "all", "C3", "C1"),
        new Comparison("overall", "all", "C3", "C1"), new Comparison("overall", "allC3", "", "C1"));
    isAGoodKeyCoder(FailureLine.coder(), new FailureLine("k", "{}"), new FailureLine("k", "{}"),
        new FailureLine("k|j", "{}"));
  }

  @Test
  void questionKeysOfTheClusteringAreDeterministic() throws Exception {
    Coder<KV<KV<GroupKey, Integer>, Integer>> in = ClusterByQuestion.inputCoder(GroupKey.coder());
    in.verifyDeterministic();
    KV<KV<GroupKey, Integer>, Integer> v = KV.of(ClusterByQuestion.key(GroupKey.of("model", "m", "C1"), 7), 3);
    CoderProperties.coderDecodeEncodeEqual(in, v);
    CoderProperties.coderDeterministic(in, v, KV.of(ClusterByQuestion.key(GroupKey.of("model", "m", "C1"), 7), 3));
  }

  @Test
  void costSumsRoundTrip() throws Exception {
    Coder<long[]> coder = SummarizeCosts.CountsCoder.INSTANCE;
    coder.verifyDeterministic();
    for (long[] v : List.of(new long[0], new long[13],
        new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40})) {
      byte[] bytes = CoderUtils.encodeToByteArray(coder, v);
      assertArrayEquals(v, CoderUtils.decodeFromByteArray(coder, bytes));
      assertArrayEquals(bytes, CoderUtils.encodeToByteArray(coder, v.clone()));
    }
  }

  @Test
  void cellKeysSortAsTheJoinedStringsTheyReplace() {
    List<CellKey> keys = new ArrayList<>();
    for (String c : TRICKY) {
      for (String m : TRICKY) {
        if (!c.contains("\u0000") && !m.contains("\u0000")) { // ids hold no control characters
          keys.add(new CellKey(c, m));
        }
      }
    }
    List<CellKey> byRecord = new ArrayList<>(keys);
    byRecord.sort(null);
    List<CellKey> byString = new ArrayList<>(keys);
    byString.sort(Comparator.comparing(k -> k.condition() + "\u001f" + k.model()));
    assertEquals(byString, byRecord);
  }

  @Test
  void failureLinesSortAsTheJoinedStringsTheyReplace() {
    List<FailureLine> lines = new ArrayList<>();
    for (String key : List.of("C1|m|00000001", "C1|m|00000001|e2", "C1|m|00000001|judge", "C1|m|00000010",
        "C1|m a|00000001", "C1|m|00000001|judge a")) {
      for (String json : List.of("{\"a\":1}", "{\"a\":1,\"b\":2}", "{}")) {
        lines.add(new FailureLine(key, json));
      }
    }
    List<FailureLine> byRecord = new ArrayList<>(lines);
    byRecord.sort(FailureLine.ORDER);
    List<FailureLine> byString = new ArrayList<>(lines);
    byString.sort(Comparator.comparing(l -> l.sortKey() + "\u001f" + l.json()));
    assertEquals(byString, byRecord);
  }
}
