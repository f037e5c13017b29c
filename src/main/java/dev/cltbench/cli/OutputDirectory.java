package dev.cltbench.cli;

import dev.cltbench.output.LocalOutput;
import dev.cltbench.output.OutputMarker;
import dev.cltbench.output.OutputRules;
import dev.cltbench.output.UnsafeOutputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes an output directory atomically and safely: the pipeline writes into a hidden staging
 * directory beside the target, and only a successful run moves it into place. What may be replaced is
 * decided by {@link OutputRules} before any work: only an earlier cltbench output (it carries
 * {@link OutputMarker#FILE_NAME} and holds only the files that lists), never an input, the current
 * directory, the home directory or a root. A lock keeps a second run out of the same output.
 */
public final class OutputDirectory {
  private final String given;
  private final String command;
  private final Path target;
  private final Path staging;
  private final LocalOutput.Lock lock;

  private OutputDirectory(String given, String command, Path target, Path staging, LocalOutput.Lock lock) {
    this.given = given;
    this.command = command;
    this.target = target;
    this.staging = staging;
    this.lock = lock;
  }

  /** An input of the command, for {@link #prepare}: null or empty paths and other file systems are skipped. */
  public static List<OutputRules.Input> inputs(String... whatAndPath) {
    List<OutputRules.Input> out = new ArrayList<>();
    for (int i = 0; i + 1 < whatAndPath.length; i += 2) {
      String p = whatAndPath[i + 1];
      if (p != null && !p.isBlank() && !p.contains("://")) {
        out.add(new OutputRules.Input(whatAndPath[i], LocalOutput.resolve(Path.of(p))));
      }
    }
    return out;
  }

  /**
   * Checks {@code output} against the rules without touching anything (the commands call it first,
   * before any work), and returns the resolved target.
   */
  public static Path check(String output, List<OutputRules.Input> inputs) {
    if (output == null || output.isBlank()) {
      throw new UnsafeOutputException("--output is empty (an unset variable?); give the directory to write");
    }
    if (output.contains("://")) {
      throw new UnsafeOutputException("--output must be a local directory for now: " + output);
    }
    Path target = LocalOutput.resolve(Path.of(output));
    String home = System.getProperty("user.home");
    OutputRules.checkPlacement(output, target, inputs, LocalOutput.resolve(Path.of("")),
        home == null || home.isBlank() ? null : LocalOutput.resolve(Path.of(home)));
    try {
      OutputRules.checkReplaceable(output, LocalOutput.inspect(target));
      Path undeletable = LocalOutput.firstUndeletable(target);
      if (undeletable != null) {
        throw new UnsafeOutputException("--output=" + output + ": cannot replace the earlier output: no "
            + "permission to remove files in " + undeletable + "; nothing was written");
      }
    } catch (IOException e) {
      throw new UnsafeOutputException("--output=" + output + ": cannot read what is there ("
          + e.getMessage() + "); nothing was written", e);
    }
    return target;
  }

  /** Checks the output, locks it and creates its staging directory. */
  public static OutputDirectory prepare(String output, String command, List<OutputRules.Input> inputs) {
    Path target = check(output, inputs);
    Path parent = target.getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UnsafeOutputException("--output=" + output + ": cannot create the directory " + parent
          + " (" + reason(e) + "); nothing was written", e);
    }
    if (!Files.isWritable(parent)) {
      throw new UnsafeOutputException("--output=" + output + ": no permission to write in " + parent
          + " (needed for the staging directory and the lock); nothing was written");
    }
    LocalOutput.Lock lock;
    try {
      lock = LocalOutput.Lock.acquire(target, output);
    } catch (IOException e) {
      throw new UnsafeOutputException("--output=" + output + ": cannot create the lock file in " + parent
          + " (" + reason(e) + "); nothing was written", e);
    }
    try {
      removeStaleStaging(target);
      Path staging = parent.resolve("." + target.getFileName() + ".staging-" + UUID.randomUUID());
      Files.createDirectories(staging);
      // Marks the staging directory as ours, so a later run may remove it if this one is killed.
      Files.writeString(staging.resolve(OutputMarker.FILE_NAME), marker(command, List.of()).toJson(),
          StandardCharsets.UTF_8);
      return new OutputDirectory(output, command, target, staging, lock);
    } catch (IOException | RuntimeException e) {
      lock.close();
      if (e instanceof UnsafeOutputException u) {
        throw u;
      }
      throw new UnsafeOutputException("--output=" + output + ": cannot create the staging directory in "
          + parent + " (" + reason(e) + "); nothing was written", e);
    }
  }

  /**
   * A run killed before it committed left its staging directory; with the lock held no other run is
   * using one, so ours (they carry the marker) are removed. The cache, not staging, lets a run resume.
   */
  private static void removeStaleStaging(Path target) throws IOException {
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(target.getParent(),
        "." + target.getFileName() + ".staging-*")) {
      for (Path p : stale) {
        if (Files.isRegularFile(p.resolve(OutputMarker.FILE_NAME), LinkOption.NOFOLLOW_LINKS)) {
          deleteTree(p);
        }
      }
    }
  }

  private static OutputMarker marker(String command, List<String> files) {
    return new OutputMarker(command, OutputMarker.currentVersion(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), files);
  }

  public Path staging() {
    return staging;
  }

  public Path target() {
    return target;
  }

  /** Concatenates the part files of {@code partsDir} (in name order) into {@code file}, then drops them. */
  public void concatenateParts(String partsDir, String file) throws IOException {
    Path parts = staging.resolve(partsDir);
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(parts)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(parts)) {
        ds.forEach(files::add);
      }
    }
    files.sort(Comparator.comparing(p -> p.getFileName().toString()));
    try (OutputStream out = Files.newOutputStream(staging.resolve(file))) {
      for (Path p : files) {
        try (InputStream in = Files.newInputStream(p)) {
          in.transferTo(out);
        }
      }
    }
    deleteTree(parts);
  }

  /**
   * Moves the staging directory into place, replacing an earlier cltbench output. What stands at the
   * target is checked again (it may have changed during the run); if the second move fails the
   * earlier output is moved back, so nothing is left half-moved.
   */
  public void commit() throws IOException {
    try {
      Files.writeString(staging.resolve(OutputMarker.FILE_NAME),
          marker(command, LocalOutput.files(staging)).toJson(), StandardCharsets.UTF_8);
      OutputRules.checkReplaceable(given, LocalOutput.inspect(target));
      Path old = null;
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
        try {
          Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          throw new UnsafeOutputException("--output=" + given + ": cannot move the earlier output aside ("
              + reason(e) + "); it is untouched and nothing was written", e);
        }
      }
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (old != null) {
          Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        }
        throw new UnsafeOutputException("--output=" + given + ": cannot move the new output into place ("
            + reason(e) + "); the earlier output is untouched and nothing was written", e);
      }
      if (old != null) {
        try {
          deleteTree(old);
        } catch (IOException e) {
          throw new UnsafeOutputException("--output=" + given + " was written, but the earlier output "
              + "could not be fully removed from " + old + " (" + reason(e) + ")", e);
        }
      }
    } finally {
      lock.close();
    }
  }

  /** Drops the staging directory after a failure, and releases the output. */
  public void abandon() {
    try {
      deleteTree(staging);
    } catch (IOException e) {
      System.err.println("warning: could not remove " + staging + ": " + e.getMessage());
    } finally {
      lock.close();
    }
  }

  static String reason(Exception e) {
    if (e instanceof java.nio.file.AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> all = new ArrayList<>(walk.toList());
      all.sort(Comparator.reverseOrder());
      for (Path p : all) {
        Files.delete(p);
      }
    }
  }
}
