package dev.cltbench.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;

/**
 * A test filesystem {@code tmpfs://} over a temporary folder with an object store's semantics: no
 * directories (a "directory" is a name prefix, never matched itself), parents made on write, and
 * rename as copy then delete, file by file: not atomic, and directories cannot be renamed. Code that
 * works here does not lean on the local filesystem's atomic moves.
 */
public final class TmpfsFileSystem extends FileSystem<TmpfsResourceId> {
  public static final String SCHEME = "tmpfs";

  /** Bucket name -> the folder its objects are stored in. */
  private static final Map<String, Path> BUCKETS = new ConcurrentHashMap<>();

  /** A copy to this path (without the scheme) fails, as a bucket's copy may half-way; null: none. */
  private static volatile String failCopyTo;

  public static void failCopyTo(String path) {
    failCopyTo = path;
  }

  /** tmpfs://{@code bucket}/a/b is stored as {@code folder}/a/b from now on. */
  public static void mount(String bucket, Path folder) {
    BUCKETS.put(bucket, folder);
  }

  static Path local(TmpfsResourceId id) {
    return local(id.path());
  }

  private static Path local(String path) {
    int slash = path.indexOf('/');
    String bucket = slash < 0 ? path : path.substring(0, slash);
    Path folder = BUCKETS.get(bucket);
    if (folder == null) {
      throw new IllegalArgumentException("no tmpfs bucket " + bucket + " (TmpfsFileSystem.mount it first)");
    }
    return slash < 0 ? folder : folder.resolve(path.substring(slash + 1));
  }

  private static String bucket(String path) {
    int slash = path.indexOf('/');
    return slash < 0 ? path : path.substring(0, slash);
  }

  @Override
  protected String getScheme() {
    return SCHEME;
  }

  @Override
  protected TmpfsResourceId matchNewResource(String spec, boolean isDirectory) {
    return TmpfsResourceId.of(spec, isDirectory);
  }

  @Override
  protected List<MatchResult> match(List<String> specs) throws IOException {
    List<MatchResult> out = new ArrayList<>();
    for (String spec : specs) {
      out.add(matchOne(spec));
    }
    return out;
  }

  private MatchResult matchOne(String spec) throws IOException {
    TmpfsResourceId id = TmpfsResourceId.of(spec, false);
    String path = id.path();
    int glob = firstGlob(path);
    if (glob < 0) {
      Path f = local(id);
      if (Files.isRegularFile(f)) {
        return MatchResult.create(MatchResult.Status.OK, List.of(metadata(id, f)));
      }
      return MatchResult.create(MatchResult.Status.NOT_FOUND, new FileNotFoundException(spec));
    }
    String prefix = path.substring(0, path.lastIndexOf('/', glob) + 1);
    Pattern regex = Pattern.compile(globToRegex(path));
    List<MatchResult.Metadata> found = new ArrayList<>();
    Path base = local(prefix);
    Path folder = local(bucket(path));
    if (Files.isDirectory(base)) {
      try (Stream<Path> walk = Files.walk(base)) {
        for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
          String rel = bucket(path) + "/" + folder.relativize(f).toString().replace('\\', '/');
          if (regex.matcher(rel).matches()) {
            found.add(metadata(TmpfsResourceId.of(SCHEME + "://" + rel, false), f));
          }
        }
      }
    }
    return MatchResult.create(MatchResult.Status.OK, found);
  }

  private static MatchResult.Metadata metadata(TmpfsResourceId id, Path f) throws IOException {
    return MatchResult.Metadata.builder().setResourceId(id).setIsReadSeekEfficient(true)
        .setSizeBytes(Files.size(f)).setLastModifiedMillis(Files.getLastModifiedTime(f).toMillis()).build();
  }

  private static int firstGlob(String path) {
    for (int i = 0; i < path.length(); i++) {
      if ("*?[{".indexOf(path.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  static String globToRegex(String glob) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        sb.append(".*");
        i++;
      } else if (c == '*') {
        sb.append("[^/]*");
      } else if (c == '?') {
        sb.append("[^/]");
      } else if (c == '{') {
        sb.append("(?:");
      } else if (c == '}') {
        sb.append(')');
      } else if (c == ',') {
        sb.append('|');
      } else {
        sb.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return sb.toString();
  }

  @Override
  protected WritableByteChannel create(TmpfsResourceId id, CreateOptions options) throws IOException {
    if (id.isDirectory()) {
      throw new IOException("tmpfs cannot create a directory: " + id);
    }
    Path f = local(id);
    Files.createDirectories(f.getParent());
    return FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  @Override
  protected ReadableByteChannel open(TmpfsResourceId id) throws IOException {
    Path f = local(id);
    if (!Files.isRegularFile(f)) {
      throw new FileNotFoundException(id.toString());
    }
    return FileChannel.open(f, StandardOpenOption.READ);
  }

  @Override
  protected void copy(List<TmpfsResourceId> from, List<TmpfsResourceId> to) throws IOException {
    for (int i = 0; i < from.size(); i++) {
      Path src = local(from.get(i));
      if (!Files.isRegularFile(src)) {
        throw new NoSuchFileException(from.get(i).toString());
      }
      if (to.get(i).path().equals(failCopyTo)) {
        throw new IOException("injected failure copying to " + to.get(i));
      }
      Path dst = local(to.get(i));
      Files.createDirectories(dst.getParent());
      Files.write(dst, Files.readAllBytes(src));
    }
  }

  /** Copy, then delete: never atomic, as on a bucket. */
  @Override
  protected void rename(List<TmpfsResourceId> from, List<TmpfsResourceId> to, MoveOptions... options)
      throws IOException {
    Set<MoveOptions> opts = Set.of(options);
    for (int i = 0; i < from.size(); i++) {
      if (from.get(i).isDirectory()) {
        throw new IOException("tmpfs has no directories to rename: " + from.get(i));
      }
      Path src = local(from.get(i));
      if (!Files.isRegularFile(src)) {
        if (opts.contains(MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES)) {
          continue;
        }
        throw new NoSuchFileException(from.get(i).toString());
      }
      if (opts.contains(MoveOptions.StandardMoveOptions.SKIP_IF_DESTINATION_EXISTS)
          && Files.isRegularFile(local(to.get(i)))) {
        continue;
      }
      copy(List.of(from.get(i)), List.of(to.get(i)));
      Files.delete(src);
    }
  }

  @Override
  protected void delete(Collection<TmpfsResourceId> ids) throws IOException {
    for (TmpfsResourceId id : ids) {
      Path f = local(id);
      if (!Files.isRegularFile(f)) {
        throw new NoSuchFileException(id.toString());
      }
      Files.delete(f);
      // As on a bucket, a prefix with no object left under it is gone.
      Path folder = local(bucket(id.path()));
      for (Path d = f.getParent(); d != null && d.startsWith(folder) && !d.equals(folder) && isEmptyDirectory(d);
          d = d.getParent()) {
        Files.delete(d);
      }
    }
  }

  private static boolean isEmptyDirectory(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.findAny().isEmpty();
    }
  }
}
