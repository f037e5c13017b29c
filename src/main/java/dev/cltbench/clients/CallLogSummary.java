package dev.cltbench.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * What a run's {@link CallLog} says so far, read by the launcher while the job runs and once after:
 * every call any worker sent, in any attempt of the job, and every tuple that ended. Reads only what
 * was appended since the last {@link #refresh}; a line still being written is left for the next one.
 */
public final class CallLogSummary {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One call as its log lines tell it. A call with attempts but no end was lost with its worker. */
  private static final class Exec {
    String model;
    int sent;
    boolean ended;
    boolean failed;
    long in;
    long out;
    long reasoning;
    long billedIn;
    long billedOut;
    long micros;
    /** What its last attempt reserved (0 in logs written before attempts said). */
    long worstMicros;
  }

  private final String directory;
  private final Map<String, Long> offsets = new HashMap<>();
  private final Map<String, byte[]> partial = new HashMap<>();
  private final Map<String, Exec> execs = new HashMap<>();
  private final Map<String, Boolean> tuples = new HashMap<>();

  public CallLogSummary(String directory) {
    this.directory = directory;
  }

  /** Reads what the workers appended since the last call; a log not yet made is empty. */
  public synchronized CallLogSummary refresh() throws IOException {
    MatchResult m = FileSystems.match(directory + "/*.jsonl", org.apache.beam.sdk.io.fs.EmptyMatchTreatment.ALLOW);
    if (m.status() != MatchResult.Status.OK) {
      return this;
    }
    for (MatchResult.Metadata f : m.metadata()) {
      String name = f.resourceId().toString();
      long from = offsets.getOrDefault(name, 0L);
      if (f.sizeBytes() <= from) {
        continue;
      }
      byte[] bytes;
      try (ReadableByteChannel ch = FileSystems.open(f.resourceId())) {
        if (ch instanceof SeekableByteChannel s) {
          s.position(from);
        } else if (from > 0) {
          InputStream skip = Channels.newInputStream(ch);
          skip.skipNBytes(from);
        }
        bytes = Channels.newInputStream(ch).readAllBytes();
      } catch (FileNotFoundException e) {
        continue;
      }
      offsets.put(name, from + bytes.length);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.writeBytes(partial.getOrDefault(name, new byte[0]));
      all.writeBytes(bytes);
      byte[] text = all.toByteArray();
      int start = 0;
      for (int i = 0; i < text.length; i++) {
        if (text[i] == '\n') {
          line(new String(text, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      partial.put(name, java.util.Arrays.copyOfRange(text, start, text.length));
    }
    return this;
  }

  private void line(String json) throws IOException {
    if (json.isBlank()) {
      return;
    }
    JsonNode n = MAPPER.readTree(json);
    switch (n.path("e").asText()) {
      case CallLog.ATTEMPT -> {
        Exec e = execs.computeIfAbsent(n.path("x").asText(), k -> new Exec());
        e.model = n.path("m").asText();
        e.sent++;
        e.worstMicros = n.path("w").asLong();
      }
      case CallLog.CALL -> {
        Exec e = execs.computeIfAbsent(n.path("x").asText(), k -> new Exec());
        e.model = n.path("m").asText();
        e.ended = true;
        e.sent = Math.max(e.sent, n.path("n").asInt());
        e.failed = n.path("f").asBoolean();
        e.in = n.path("in").asLong();
        e.out = n.path("out").asLong();
        e.reasoning = n.path("r").asLong();
        e.billedIn = n.path("bi").asLong();
        e.billedOut = n.path("bo").asLong();
        e.micros = n.path("usd").asLong();
      }
      // Graded in any attempt of the job counts as graded: a cancelled attempt's late failure of a
      // tuple the restarted attempt graded (logs are read file by file, not in time order) is not one.
      case CallLog.TUPLE -> tuples.merge(n.path("k").asText(), n.path("g").asBoolean(), Boolean::logicalOr);
      default -> {
        // a line of a later version: ignored
      }
    }
  }

  /** Tuples that ended graded (each counted once, however many attempts of the job ended it). */
  public synchronized long graded() {
    return tuples.values().stream().filter(g -> g).count();
  }

  public synchronized long failed() {
    return tuples.values().stream().filter(g -> !g).count();
  }

  /** Calls sent and not ended: in flight, or lost with a worker. */
  public synchronized long inFlight() {
    return execs.values().stream().filter(e -> !e.ended).count();
  }

  /**
   * Micro-dollars the calls sent and not ended may cost at most (their last attempts' reservations):
   * calls in flight, or lost with a worker and perhaps billed.
   */
  public synchronized long unendedWorstMicros() {
    return execs.values().stream().filter(e -> !e.ended).mapToLong(e -> e.worstMicros).sum();
  }

  /** Micro-dollars the calls' replies reported, at the pipeline file's prices, in every attempt of the job. */
  public synchronized long spentMicros() {
    return execs.values().stream().mapToLong(e -> e.micros).sum();
  }

  /**
   * Per model, the counts of every call sent: calls, failed calls (a call lost with its worker has no
   * reply and counts as failed), attempts, input, output and reasoning tokens, billed input and output
   * tokens, micro-dollars, micro-dollars of failed calls; the order of {@code
   * transforms.CallsMade.FIELDS}.
   */
  public synchronized Map<String, long[]> perModel() {
    Map<String, long[]> out = new TreeMap<>();
    for (Exec e : execs.values()) {
      if (e.sent == 0) {
        continue;
      }
      boolean failed = !e.ended || e.failed;
      long[] v = out.computeIfAbsent(e.model, k -> new long[10]);
      long[] add = {1, failed ? 1 : 0, e.sent, e.in, e.out, e.reasoning, e.billedIn, e.billedOut, e.micros,
          failed ? e.micros : 0};
      for (int i = 0; i < add.length; i++) {
        v[i] += add[i];
      }
    }
    return out;
  }

  /** The log's files (to remove once the run has summarised them). */
  public List<String> files() throws IOException {
    MatchResult m = FileSystems.match(directory + "/*.jsonl", org.apache.beam.sdk.io.fs.EmptyMatchTreatment.ALLOW);
    return m.status() != MatchResult.Status.OK ? List.of()
        : m.metadata().stream().map(f -> f.resourceId().toString()).toList();
  }
}
