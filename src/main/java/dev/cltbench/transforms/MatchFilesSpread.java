package dev.cltbench.transforms;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The files a pattern matches (none is an error), opened, spread over the runner's shards
 * ({@link Shards}) by size: each file goes to the shard with the fewest bytes so far. FileIO's own
 * spreading gives every file a random key of its own, and the DirectRunner a bundle per file through
 * every later step; here a shard's files are read one after another by one worker.
 */
public final class MatchFilesSpread extends PTransform<PBegin, PCollection<FileIO.ReadableFile>> {
  private final String pattern;

  public MatchFilesSpread(String name, String pattern) {
    super(name);
    this.pattern = pattern;
  }

  @Override
  public PCollection<FileIO.ReadableFile> expand(PBegin input) {
    int shards = Shards.of(input.getPipeline().getOptions());
    return input
        .apply("Pattern", Create.of(pattern))
        .apply("Match", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW)
            .withOutputParallelization(false))
        .apply("SpreadBySize", ParDo.of(new SpreadBySizeFn(shards)))
        .setCoder(KvCoder.of(VarIntCoder.of(), MetadataCoder.of()))
        .apply("GroupByShard", GroupByKey.create())
        .apply("Files", Values.create())
        .apply("EachFile", Flatten.iterables())
        .apply("Open", FileIO.readMatches());
  }

  /** Greedy by size over the files of a bundle (a pattern's matches arrive in one). */
  static final class SpreadBySizeFn extends DoFn<MatchResult.Metadata, KV<Integer, MatchResult.Metadata>> {
    private final int shards;
    private transient long[] bytes;

    SpreadBySizeFn(int shards) {
      this.shards = shards;
    }

    @StartBundle
    public void start() {
      bytes = new long[shards];
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, OutputReceiver<KV<Integer, MatchResult.Metadata>> out) {
      out.output(KV.of(assign(file.sizeBytes()), file));
    }

    /** The shard with the fewest bytes so far, which takes {@code size} more. */
    int assign(long size) {
      int least = 0;
      for (int s = 1; s < shards; s++) {
        if (bytes[s] < bytes[least]) {
          least = s;
        }
      }
      // Empty files count as one byte so that they spread too.
      bytes[least] += Math.max(1, size);
      return least;
    }
  }
}
