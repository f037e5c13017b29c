package dev.cltbench.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The side of {@link OutputRules} for an output on a Beam filesystem other than the local one (a
 * bucket): no directories, no atomic rename, no exclusive create. A directory is the files under its
 * prefix; publishing is copy, then the commit marker last; the lock is a file holding a token.
 */
public final class FileSystemsOutput {
  private FileSystemsOutput() {}

  /** {@code dir} without trailing slashes: the form targets are compared in. */
  public static String normalize(String dir) {
    String d = dir;
    while (d.endsWith("/") && !d.endsWith("://")) {
      d = d.substring(0, d.length() - 1);
    }
    return d;
  }

  /** The directory holding {@code target}, with a trailing slash, or null at a bucket's root. */
  public static String parent(String target) {
    int scheme = target.indexOf("://") + 3;
    int slash = target.lastIndexOf('/');
    return slash < scheme ? null : target.substring(0, slash + 1);
  }

  public static String name(String target) {
    return target.substring(target.lastIndexOf('/') + 1);
  }

  /** Every file under {@code dir}, relative and '/'-separated, sorted, the marker itself included. */
  public static List<String> allFiles(String dir) throws IOException {
    String prefix = dir + "/";
    MatchResult m = FileSystems.match(prefix + "**", EmptyMatchTreatment.ALLOW);
    List<String> out = new ArrayList<>();
    if (m.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata md : m.metadata()) {
        String p = md.resourceId().toString();
        if (!md.resourceId().isDirectory() && p.startsWith(prefix)) {
          out.add(p.substring(prefix.length()));
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** The files a directory holds apart from the marker. */
  public static List<String> files(String dir) throws IOException {
    List<String> out = new ArrayList<>(allFiles(dir));
    out.remove(OutputMarker.FILE_NAME);
    return out;
  }

  /** What stands at {@code target}, for {@link OutputRules#checkReplaceable}. */
  public static OutputRules.Existing inspect(String target) throws IOException {
    if (exists(target)) {
      return new OutputRules.Existing(OutputRules.Existing.Kind.FILE, List.of(), null);
    }
    List<String> all = allFiles(target);
    if (all.isEmpty()) {
      return OutputRules.Existing.nothing();
    }
    List<String> files = new ArrayList<>(all);
    OutputMarker marker = null;
    if (files.remove(OutputMarker.FILE_NAME)) {
      marker = OutputMarker.parse(read(target + "/" + OutputMarker.FILE_NAME));
    }
    return new OutputRules.Existing(OutputRules.Existing.Kind.DIRECTORY, files, marker);
  }

  public static boolean exists(String file) throws IOException {
    return dev.cltbench.study.StudyCodec.isFile(file);
  }

  public static String read(String file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(file, false)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public static void write(String file, String content) throws IOException {
    try (OutputStream out = Channels.newOutputStream(
        FileSystems.create(FileSystems.matchNewResource(file, false), MimeTypes.TEXT))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Deletes the listed files below {@code dir} (and only those); missing ones are no error. */
  public static void delete(String dir, List<String> relative) throws IOException {
    List<ResourceId> ids = new ArrayList<>();
    for (String r : relative) {
      ids.add(FileSystems.matchNewResource(dir + "/" + r, false));
    }
    if (!ids.isEmpty()) {
      FileSystems.delete(ids, StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  /** Copies the listed files from below {@code from} to the same names below {@code to}. */
  public static void copy(String from, String to, List<String> relative) throws IOException {
    List<ResourceId> src = new ArrayList<>();
    List<ResourceId> dst = new ArrayList<>();
    for (String r : relative) {
      src.add(FileSystems.matchNewResource(from + "/" + r, false));
      dst.add(FileSystems.matchNewResource(to + "/" + r, false));
    }
    if (!src.isEmpty()) {
      FileSystems.copy(src, dst);
    }
  }

  /**
   * Creates {@code file} holding {@code content} unless it exists; true when this caller made it. On
   * the local filesystem the create is atomic ({@code CREATE_NEW}). A bucket has no exclusive create,
   * so the content is written and read back: of two callers racing, the one whose content is not
   * there loses (content must be unique to the caller, e.g. hold a random token). The output lock and
   * the batch claims of the clients both rest on this one rule.
   */
  public static boolean createExclusive(String file, String content) throws IOException {
    ResourceId id = FileSystems.matchNewResource(file, false);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    if ("file".equals(id.getScheme())) {
      java.nio.file.Path path = java.nio.file.Paths.get(file.startsWith("file:") ? java.net.URI.create(file).getPath() : file);
      java.nio.file.Files.createDirectories(path.toAbsolutePath().getParent());
      java.nio.file.Path temp = path.resolveSibling("." + path.getFileName() + "." + UUID.randomUUID() + ".tmp");
      java.nio.file.Files.write(temp, bytes);
      try {
        // A hard link is created atomically with its content: nobody reads a half-written file.
        java.nio.file.Files.createLink(path, temp);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException e) {
        try {
          java.nio.file.Files.write(path, bytes, java.nio.file.StandardOpenOption.CREATE_NEW);
          return true;
        } catch (java.nio.file.FileAlreadyExistsException e2) {
          return false;
        }
      } finally {
        java.nio.file.Files.deleteIfExists(temp);
      }
    }
    if (exists(file)) {
      return false;
    }
    write(file, content);
    return read(file).equals(content);
  }

  /**
   * A lock on an output: a file beside it holding this run's token. A bucket has no exclusive
   * create, so the token is read back after writing: of two runs racing, the one whose token is not
   * there gives up. A run killed holding it leaves the file; the message says to remove it.
   */
  public static final class Lock implements AutoCloseable {
    private final String file;
    private final String token;

    private Lock(String file, String token) {
      this.file = file;
      this.token = token;
    }

    public static String file(String target) {
      return parent(target) + "." + name(target) + ".cltbench-lock";
    }

    public static Lock acquire(String target, String given) throws IOException {
      String file = file(target);
      String token = UUID.randomUUID().toString();
      if (!createExclusive(file, token + "\n")) {
        throw held(given, file);
      }
      return new Lock(file, token);
    }

    private static UnsafeOutputException held(String given, String file) {
      return new UnsafeOutputException("--output=" + given + " is being written by another cltbench run"
          + " (it holds " + file + "; if no run is, remove that file); nothing was written");
    }

    @Override
    public void close() {
      try {
        // Only our own lock is removed: another run's token means it is theirs now.
        if (exists(file) && read(file).equals(token + "\n")) {
          FileSystems.delete(List.of(FileSystems.matchNewResource(file, false)),
              StandardMoveOptions.IGNORE_MISSING_FILES);
        }
      } catch (IOException e) {
        System.err.println("warning: could not remove the lock " + file + ": " + e.getMessage());
      }
    }
  }
}
