package dev.cltbench.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** SHA-256 of every file below a directory (and every directory's name), to prove nothing was lost. */
final class FileHashes {
  private FileHashes() {}

  static Map<String, String> of(Path root, String... skipTopLevel) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    if (Files.isRegularFile(root)) {
      out.put("", sha256(root));
      return out;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path rel = root.relativize(p);
        if (rel.getNameCount() > 0 && java.util.List.of(skipTopLevel).contains(rel.getName(0).toString())) {
          continue;
        }
        out.put(rel.toString(), Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : sha256(p));
      }
    }
    return out;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
