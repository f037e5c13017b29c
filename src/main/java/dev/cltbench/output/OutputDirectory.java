package dev.cltbench.output;

import dev.cltbench.study.StudyCodec;
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
 * directory beside the target, and only a successful run moves it into place. On the local
 * filesystem that is two atomic moves; on another Beam filesystem (a bucket: {@code --output=gs://...})
 * the staging prefix is beside the target on that filesystem and is published by copy, with the
 * complete marker written last as the commit (see {@link #commitRemote}). What may be replaced is
 * decided by {@link OutputRules} before any work: only an earlier cltbench output (it carries
 * {@link OutputMarker#FILE_NAME} and holds only the files that lists), never an input, the current
 * directory, the home directory or a root. A lock keeps a second run out of the same output.
 */
public final class OutputDirectory {
  private final String given;
  private final String command;
  /** Local outputs: the resolved paths; null for an output on another filesystem. */
  private final Path target;
  private Path staging;
  /** The target and staging directory as Beam filesystem paths (no trailing slash). */
  private final String targetPath;
  private String stagingPath;
  private final AutoCloseable lock;

  private OutputDirectory(String given, String command, Path target, Path staging, String targetPath,
      String stagingPath, AutoCloseable lock) {
    this.given = given;
    this.command = command;
    this.target = target;
    this.staging = staging;
    this.targetPath = targetPath;
    this.stagingPath = stagingPath;
    this.lock = lock;
  }

  /** Whether {@code path} is on a Beam filesystem other than the local one. */
  static boolean remote(String path) {
    return path != null && path.contains("://");
  }

  /** The inputs of the command, for {@link #prepare}: null or empty paths are skipped; others keep their scheme. */
  public static List<OutputRules.Input> inputs(String... whatAndPath) {
    List<OutputRules.Input> out = new ArrayList<>();
    for (int i = 0; i + 1 < whatAndPath.length; i += 2) {
      String p = whatAndPath[i + 1];
      if (p != null && !p.isBlank()) {
        out.add(remote(p) ? new OutputRules.Input(whatAndPath[i], null, p)
            : new OutputRules.Input(whatAndPath[i], LocalOutput.resolve(Path.of(p))));
      }
    }
    return out;
  }

  /**
   * Checks {@code output} against the rules without touching anything (the commands call it first,
   * before any work), and returns the resolved target.
   */
  public static String check(String output, List<OutputRules.Input> inputs) {
    if (output == null || output.isBlank()) {
      throw new UnsafeOutputException("--output is empty (an unset variable?); give the directory to write");
    }
    if (remote(output)) {
      return checkRemote(output, inputs);
    }
    return checkLocal(output, inputs).toString();
  }

  /**
   * The rules on another filesystem: not a bucket's root, not any input given on that filesystem
   * (nor inside or around one), and only an earlier cltbench output is replaced.
   */
  private static String checkRemote(String output, List<OutputRules.Input> inputs) {
    String target = FileSystemsOutput.normalize(output);
    if (FileSystemsOutput.parent(target) == null) {
      throw new UnsafeOutputException("--output=" + output + " is a bucket's root; nothing was written");
    }
    for (OutputRules.Input in : inputs) {
      if (in.uri() == null) {
        continue;
      }
      String p = FileSystemsOutput.normalize(in.uri());
      if (p.equals(target)) {
        throw new UnsafeOutputException("--output=" + output + " is the " + in.what() + " this command reads; nothing was written");
      }
      if (p.startsWith(target + "/")) {
        throw new UnsafeOutputException("--output=" + output + " contains the " + in.what() + " this command reads ("
            + p + "); nothing was written");
      }
      if (target.startsWith(p + "/")) {
        throw new UnsafeOutputException("--output=" + output + " lies inside the " + in.what()
            + " this command reads (" + p + "); nothing was written");
      }
    }
    try {
      OutputRules.checkReplaceable(output, FileSystemsOutput.inspect(target));
    } catch (IOException e) {
      throw new UnsafeOutputException("--output=" + output + ": cannot read what is there ("
          + e.getMessage() + "); nothing was written", e);
    }
    return target;
  }

  private static Path checkLocal(String output, List<OutputRules.Input> inputs) {
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
    if (remote(output)) {
      return prepareRemote(output, command, inputs);
    }
    Path target = checkLocal(output, inputs);
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
      return new OutputDirectory(output, command, target, staging, target.toString(), staging.toString(), lock);
    } catch (IOException | RuntimeException e) {
      close(lock);
      if (e instanceof UnsafeOutputException u) {
        throw u;
      }
      throw new UnsafeOutputException("--output=" + output + ": cannot create the staging directory in "
          + parent + " (" + reason(e) + "); nothing was written", e);
    }
  }

  /**
   * As {@link #prepare} on another filesystem: the lock file, then a staging prefix beside the target
   * on the same filesystem (workers write there), marked as ours; stale staging of killed runs that
   * carries our marker is removed first.
   */
  private static OutputDirectory prepareRemote(String output, String command, List<OutputRules.Input> inputs) {
    String target = checkRemote(output, inputs);
    FileSystemsOutput.Lock lock;
    try {
      lock = FileSystemsOutput.Lock.acquire(target, output);
    } catch (IOException e) {
      throw new UnsafeOutputException("--output=" + output + ": cannot create the lock file "
          + FileSystemsOutput.Lock.file(target) + " (" + reason(e) + "); nothing was written", e);
    }
    try {
      String parent = FileSystemsOutput.parent(target);
      String prefix = parent + "." + FileSystemsOutput.name(target) + ".staging-";
      for (String stale : StudyCodec.match(prefix + "*/" + OutputMarker.FILE_NAME)) {
        String dir = stale.substring(0, stale.length() - OutputMarker.FILE_NAME.length() - 1);
        FileSystemsOutput.delete(dir, FileSystemsOutput.allFiles(dir));
      }
      String staging = prefix + UUID.randomUUID();
      FileSystemsOutput.write(staging + "/" + OutputMarker.FILE_NAME, marker(command, List.of()).toJson());
      return new OutputDirectory(output, command, null, null, target, staging, lock);
    } catch (IOException | RuntimeException e) {
      lock.close();
      if (e instanceof UnsafeOutputException u) {
        throw u;
      }
      throw new UnsafeOutputException("--output=" + output + ": cannot create the staging directory beside "
          + target + " (" + reason(e) + "); nothing was written", e);
    }
  }

  private static void close(AutoCloseable lock) {
    try {
      lock.close();
    } catch (Exception e) {
      System.err.println("warning: could not release the output's lock: " + e.getMessage());
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

  /** The staging directory as a Beam filesystem path: the pipeline and the report write here. */
  public String staging() {
    return stagingPath;
  }

  /** The output as a Beam filesystem path. */
  public String target() {
    return targetPath;
  }

  /** Concatenates the part files of {@code partsDir} (in name order) into {@code file}, then drops them. */
  public void concatenateParts(String partsDir, String file) throws IOException {
    if (target == null) {
      List<String> parts = StudyCodec.match(stagingPath + "/" + partsDir + "/*");
      try (OutputStream out = StudyCodec.create(stagingPath, file)) {
        for (String p : parts) {
          try (InputStream in = StudyCodec.open(p)) {
            in.transferTo(out);
          }
        }
      }
      List<String> relative = new ArrayList<>();
      parts.forEach(p -> relative.add(p.substring(stagingPath.length() + 1)));
      FileSystemsOutput.delete(stagingPath, relative);
      return;
    }
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
    commit(null, true);
  }

  /**
   * Commits what is staged now as the output, its marker saying that {@code missing} (e.g. {@link
   * OutputMarker#REPORT}) is not there, and keeps the lock: a run's paid-for answers are in place
   * before the steps that could fail after them. Then stages the rest in a new staging directory that
   * starts as a copy of the committed output except {@code notCarried}; {@link #commit} replaces the
   * partial output with it, {@link #abandon} leaves the partial output as it is. Either way the output
   * holds only files its marker lists, so a later run or report may replace it.
   */
  public void commitPartial(String missing, List<String> notCarried) throws IOException {
    commit(missing, false);
    try {
      if (remote(targetPath)) {
        stagingPath = FileSystemsOutput.parent(targetPath) + "." + FileSystemsOutput.name(targetPath)
            + ".staging-" + UUID.randomUUID();
        FileSystemsOutput.write(stagingPath + "/" + OutputMarker.FILE_NAME, marker(command, List.of()).toJson());
      } else {
        staging = target.resolveSibling("." + target.getFileName() + ".staging-" + UUID.randomUUID());
        Files.createDirectories(staging);
        Files.writeString(staging.resolve(OutputMarker.FILE_NAME), marker(command, List.of()).toJson(),
            StandardCharsets.UTF_8);
        stagingPath = staging.toString();
      }
      List<String> carried = new ArrayList<>(FileSystemsOutput.files(targetPath));
      carried.removeAll(notCarried);
      FileSystemsOutput.copy(targetPath, stagingPath, carried);
    } catch (IOException | RuntimeException e) {
      abandon();
      throw e;
    }
  }

  private void commit(String missing, boolean release) throws IOException {
    if (target == null) {
      commitRemote(missing, release);
      return;
    }
    try {
      OutputMarker marker = marker(command, LocalOutput.files(staging));
      Files.writeString(staging.resolve(OutputMarker.FILE_NAME),
          (missing == null ? marker : marker.lacking(missing)).toJson(), StandardCharsets.UTF_8);
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
      staging = null;
      stagingPath = null;
      if (old != null) {
        try {
          deleteTree(old);
        } catch (IOException e) {
          throw new UnsafeOutputException("--output=" + given + " was written, but the earlier output "
              + "could not be fully removed from " + old + " (" + reason(e) + ")", e);
        }
      }
    } finally {
      if (release || staging != null) {
        close(lock);
      }
    }
  }

  /**
   * Publishes the staging prefix onto the target where there is no atomic rename. Every moment of it
   * leaves the target replaceable by a later run and holding only files its marker lists: first a
   * publishing marker listing the earlier files and the new ones, then the new files copied, then the
   * earlier files the new output does not have deleted (each is in the earlier marker: checked again
   * here), and last the complete marker, the commit. A reader that finds a marker with
   * {@code "complete": false} sees an output being replaced.
   */
  private void commitRemote(String missing, boolean release) throws IOException {
    boolean committed = false;
    try {
      List<String> files = FileSystemsOutput.files(stagingPath);
      OutputMarker done = missing == null ? marker(command, files) : marker(command, files).lacking(missing);
      OutputRules.Existing existing = FileSystemsOutput.inspect(targetPath);
      OutputRules.checkReplaceable(given, existing);
      String markerFile = targetPath + "/" + OutputMarker.FILE_NAME;
      FileSystemsOutput.write(markerFile, done.publishing(existing.files()).toJson());
      try {
        FileSystemsOutput.copy(stagingPath, targetPath, files);
        List<String> stale = new ArrayList<>(existing.files());
        stale.removeAll(files);
        FileSystemsOutput.delete(targetPath, stale);
      } catch (IOException e) {
        throw new UnsafeOutputException("--output=" + given + ": publishing stopped half-way (" + reason(e)
            + "); its marker says complete: false and lists every file there, so running again replaces it", e);
      }
      FileSystemsOutput.write(markerFile, done.toJson());
      committed = true;
      FileSystemsOutput.delete(stagingPath, FileSystemsOutput.allFiles(stagingPath));
      stagingPath = null;
    } finally {
      if (release || !committed) {
        close(lock);
      }
    }
  }

  /** Drops the staging directory after a failure, and releases the output. */
  public void abandon() {
    try {
      if (stagingPath == null) {
        // Nothing staged: a partial commit is already in place and stays.
      } else if (target == null) {
        // Only what is under our own staging prefix, which this run created.
        FileSystemsOutput.delete(stagingPath, FileSystemsOutput.allFiles(stagingPath));
      } else {
        deleteTree(staging);
      }
    } catch (IOException e) {
      System.err.println("warning: could not remove " + stagingPath + ": " + e.getMessage());
    } finally {
      close(lock);
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
