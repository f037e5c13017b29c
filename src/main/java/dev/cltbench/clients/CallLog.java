package dev.cltbench.clients;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * A run's durable record of what its workers did, one JSON line an event, in a directory every worker
 * and the launcher reach (any Beam filesystem): each HTTP attempt as it is sent, each call as it ends
 * (its attempts, tokens and cost), each tuple as it ends. A worker lost with its metrics leaves its
 * lines behind, so the launcher counts calls a restarted job made twice ({@link CallLogSummary}) and
 * shows progress and spending from any runner.
 *
 * <p>One file per JVM and run. On a local path (or a shared mount) every line is one append write, so
 * a process killed with {@code kill -9} loses none; other filesystems have no append, so lines are
 * gathered and written as a new part file every {@link #FLUSH_MILLIS} and at close (a lost worker may
 * lose its last two seconds there). Hand-written: Beam's file sinks write at bundle end, too late for
 * a worker killed mid-bundle.
 *
 * <p>No line is dropped once the log is open: a line written after {@link #close} (a call of a worker
 * that Flink cancelled for a restart, still being sent or answered after its DoFn's teardown released
 * the run's ledger) is appended all the same, and a failed write is tried again with the next line.
 * Local lines go through a {@link FileOutputStream}, not a {@code FileChannel}: a channel is closed for
 * every thread when any thread writing to it has been interrupted (Flink interrupts a task's thread to
 * cancel it), and every later line of the JVM was lost.
 */
public final class CallLog implements AutoCloseable {
  /** The directory's event lines: attempt sent, call ended, tuple ended. */
  public static final String ATTEMPT = "a";
  public static final String CALL = "c";
  public static final String TUPLE = "t";
  static final long FLUSH_MILLIS = 2000;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String directory;
  private final String name = UUID.randomUUID().toString();
  /** The local file, once the first line resolved it; null on other filesystems. */
  private Path localPath;
  /** The open local file; null before the first line, after close, or after a failed write. */
  private FileOutputStream local;
  private boolean opened;
  private boolean closed;
  private boolean warned;
  private StringBuilder pending = new StringBuilder();
  private long lastFlush = System.currentTimeMillis();
  private int parts;

  /** @param directory the run's log directory, or null for none (then every method does nothing) */
  CallLog(String directory) {
    this.directory = directory;
  }

  /**
   * An HTTP attempt of call {@code exec} is about to be sent, {@code worstMicros} reserved for it (what
   * a ledger made later counts for it should its worker be lost before the call ends).
   */
  void attempt(String exec, String model, long worstMicros) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("e", ATTEMPT);
    o.put("x", exec);
    o.put("m", model);
    o.put("w", worstMicros);
    write(o);
  }

  /**
   * Call {@code exec} (cache key {@code key}) ended after {@code attempts} HTTP attempts with what its
   * reply reported; {@code kept}: its answer is in the response cache.
   */
  void call(String exec, String model, String key, int attempts, boolean failed, Usage usage, long costMicros,
      boolean kept) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("e", CALL);
    o.put("x", exec);
    o.put("m", model);
    o.put("k", key);
    o.put("n", attempts);
    o.put("f", failed);
    o.put("in", usage.inputTokens());
    o.put("out", usage.outputTokens());
    o.put("r", usage.reasoningTokens());
    o.put("bi", usage.billedInput());
    o.put("bo", usage.billedOutput());
    o.put("usd", costMicros);
    o.put("kept", kept);
    write(o);
  }

  /** Tuple {@code key} ended, graded or failed. */
  void tuple(String key, boolean graded) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("e", TUPLE);
    o.put("k", key);
    o.put("g", graded);
    write(o);
  }

  private synchronized void write(ObjectNode line) {
    if (directory == null) {
      return;
    }
    try {
      byte[] text = (MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
      if (!opened) {
        opened = true;
        ResourceId dir = FileSystems.matchNewResource(directory, true);
        if ("file".equals(dir.getScheme())) {
          localPath = Path.of(dir.resolve(name + ".jsonl",
              org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE).toString());
          Files.createDirectories(localPath.getParent());
        }
      }
      if (localPath != null) {
        appendLocal(text);
        return;
      }
      pending.append(new String(text, StandardCharsets.UTF_8));
      // After close nobody flushes again: a late line is written at once.
      if (closed || System.currentTimeMillis() - lastFlush >= FLUSH_MILLIS) {
        flushPart();
      }
    } catch (IOException e) {
      // The log counts calls; a run must not fail for it. The line is lost (the next one is tried
      // again), and the worker's log says so: costs.csv may then count fewer calls than were made.
      if (!warned) {
        warned = true;
        System.err.println("cltbench: call log " + directory + ": cannot write (" + e
            + "); tables/costs.csv may count fewer calls than were made");
      }
    }
  }

  /**
   * One line, one append write; after close each late line opens, appends and closes the file (a
   * directory the launcher has removed is not made again: that run is over).
   */
  private void appendLocal(byte[] text) throws IOException {
    if (closed) {
      try (FileOutputStream late = new FileOutputStream(localPath.toFile(), true)) {
        late.write(text);
      }
      return;
    }
    if (local == null) {
      local = new FileOutputStream(localPath.toFile(), true);
    }
    try {
      local.write(text);
    } catch (IOException e) {
      FileOutputStream broken = local;
      local = null; // reopened for the next line
      try {
        broken.close();
      } catch (IOException ignored) {
        // already failing
      }
      throw e;
    }
  }

  private void flushPart() throws IOException {
    lastFlush = System.currentTimeMillis();
    if (pending.length() == 0) {
      return;
    }
    ResourceId part = FileSystems.matchNewResource(directory, true).resolve(name + "-" + (parts++) + ".jsonl",
        org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(part, MimeTypes.TEXT))) {
      out.write(pending.toString().getBytes(StandardCharsets.UTF_8));
    }
    pending = new StringBuilder();
  }

  /** Writes the lines gathered for a filesystem without append (a local log has none waiting). */
  public synchronized void flush() {
    try {
      if (localPath == null && directory != null) {
        flushPart();
      }
    } catch (IOException e) {
      // kept in pending for the next flush
    }
  }

  /**
   * Closes the file; a line written after this (a call still ending on a torn-down worker) is still
   * appended (see the class comment).
   */
  @Override
  public synchronized void close() {
    closed = true;
    try {
      if (local != null) {
        FileOutputStream open = local;
        local = null;
        open.close();
      } else if (directory != null && localPath == null) {
        flushPart();
      }
    } catch (IOException e) {
      // a local file's lines are written already; other filesystems keep pending for a late line
    }
  }
}
