package dev.cltbench.output;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The local file system's side of {@link OutputRules}: resolving paths, seeing what is there, locking. */
public final class LocalOutput {
  private LocalOutput() {}

  /**
   * {@code p} absolute, normalized and with symbolic links resolved as far as it exists, so that a
   * link cannot hide that the output is an input or the home directory.
   */
  public static Path resolve(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    List<Path> rest = new ArrayList<>();
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      rest.add(0, existing.getFileName());
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    Path real;
    try {
      // The target itself may be a link: keep it as a link (it is refused), resolve its parents.
      real = existing.equals(abs) && Files.isSymbolicLink(abs) && abs.getParent() != null
          ? abs.getParent().toRealPath().resolve(abs.getFileName())
          : existing.toRealPath();
    } catch (IOException e) {
      real = existing;
    }
    for (Path r : rest) {
      real = real.resolve(r.toString());
    }
    return real;
  }

  /** What stands at {@code target}, for {@link OutputRules#checkReplaceable}. */
  public static OutputRules.Existing inspect(Path target) throws IOException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return OutputRules.Existing.nothing();
    }
    if (Files.isSymbolicLink(target)) {
      return new OutputRules.Existing(OutputRules.Existing.Kind.LINK, List.of(), null);
    }
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      return new OutputRules.Existing(OutputRules.Existing.Kind.FILE, List.of(), null);
    }
    List<String> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(target)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          files.add(target.relativize(p).toString().replace('\\', '/'));
        }
      }
    }
    files.remove(OutputMarker.FILE_NAME);
    files.sort(null);
    Path markerFile = target.resolve(OutputMarker.FILE_NAME);
    OutputMarker marker = Files.isRegularFile(markerFile, LinkOption.NOFOLLOW_LINKS)
        ? OutputMarker.parse(Files.readString(markerFile, StandardCharsets.UTF_8)) : null;
    return new OutputRules.Existing(OutputRules.Existing.Kind.DIRECTORY, files, marker);
  }

  /**
   * The first directory of {@code tree} (itself included) whose entries this process may not remove,
   * or null: checked before any work so that replacing an earlier output cannot stop half-way.
   */
  public static Path firstUndeletable(Path tree) throws IOException {
    if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try (Stream<Path> walk = Files.walk(tree)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
            && !(Files.isWritable(p) && Files.isExecutable(p))) {
          return p;
        }
      }
    }
    return null;
  }

  /** Paths of a tree's regular files, relative and '/'-separated, sorted. */
  public static List<String> files(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          out.add(root.relativize(p).toString().replace('\\', '/'));
        }
      }
    }
    out.remove(OutputMarker.FILE_NAME);
    out.sort(null);
    return out;
  }

  /**
   * An exclusive lock on an output, held for the whole run: a second run into the same output is
   * refused instead of removing the first one's staging directory. The lock file sits beside the
   * output and is removed on release.
   */
  public static final class Lock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private Lock(Path file, FileChannel channel, FileLock lock) {
      this.file = file;
      this.channel = channel;
      this.lock = lock;
    }

    /** The lock, or an {@link UnsafeOutputException} when another run holds it. */
    public static Lock acquire(Path target, String given) throws IOException {
      Path file = target.resolveSibling("." + target.getFileName() + ".cltbench-lock");
      for (int attempt = 0; attempt < 3; attempt++) {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          channel.close();
          throw new UnsafeOutputException("--output=" + given + " is being written by another cltbench run"
              + " (it holds " + file + "); wait for it or choose another --output; nothing was written");
        }
        // The holder before us removes the file on release: if it did so between our open and our
        // lock, our lock is on a removed file, so try again.
        if (Files.exists(file)) {
          return new Lock(file, channel, lock);
        }
        lock.release();
        channel.close();
      }
      throw new UnsafeOutputException("--output=" + given + ": could not lock " + file);
    }

    @Override
    public void close() {
      try {
        Files.deleteIfExists(file);
        lock.release();
        channel.close();
      } catch (IOException e) {
        System.err.println("warning: could not remove the lock " + file + ": " + e.getMessage());
      }
    }
  }
}
