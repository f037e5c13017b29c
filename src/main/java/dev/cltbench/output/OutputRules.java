package dev.cltbench.output;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What an {@code --output} may be, as pure checks over paths and over a description of what is there
 * now. No file system is touched here, so a stager on any file system ({@link LocalOutput}, and
 * {@link FileSystemsOutput} for other Beam filesystems) applies the same rules: it resolves the paths
 * and lists the existing target, then asks these.
 */
public final class OutputRules {
  private OutputRules() {}

  /**
   * A path the command reads: the output may be neither it, nor inside it, nor around it. A local
   * input has {@code path}; one on another Beam filesystem has {@code uri} (and a null path).
   */
  public record Input(String what, Path path, String uri) {
    public Input(String what, Path path) {
      this(what, path, null);
    }
  }

  /**
   * Where the output goes, checked against what the command reads and where the user is. All paths
   * absolute and normalized, symbolic links resolved.
   *
   * @param given the {@code --output} as typed (for the messages)
   */
  public static void checkPlacement(String given, Path target, List<Input> inputs, Path cwd, Path home) {
    if (target.getParent() == null) {
      throw refuse(given, "is a filesystem root");
    }
    if (home != null && target.equals(home)) {
      throw refuse(given, "is your home directory");
    }
    if (home != null && home.startsWith(target)) {
      throw refuse(given, "contains your home directory " + home);
    }
    if (cwd != null && cwd.startsWith(target)) {
      throw refuse(given, target.equals(cwd) ? "is the current directory"
          : "contains the current directory " + cwd);
    }
    for (Input in : inputs) {
      Path p = in.path();
      if (p == null) {
        continue; // not on the local filesystem: it cannot be the local target
      }
      if (p.equals(target)) {
        throw refuse(given, "is the " + in.what() + " this command reads");
      }
      if (p.startsWith(target)) {
        throw refuse(given, "contains the " + in.what() + " this command reads (" + p + ")");
      }
      if (target.startsWith(p)) {
        throw refuse(given, "lies inside the " + in.what() + " this command reads (" + p + ")");
      }
    }
  }

  /** What stands at the target now. */
  public record Existing(Kind kind, List<String> files, OutputMarker marker) {
    public enum Kind { NOTHING, FILE, LINK, DIRECTORY }

    public static Existing nothing() {
      return new Existing(Kind.NOTHING, List.of(), null);
    }
  }

  /**
   * Whether what stands at the target may be replaced: nothing, an empty directory, or an earlier
   * cltbench output holding only the files its marker lists.
   *
   * @param existing {@code files} are the regular files below the target (relative, '/'-separated,
   *     the marker itself excluded); {@code marker} the parsed marker or null
   */
  public static void checkReplaceable(String given, Existing existing) {
    switch (existing.kind()) {
      case NOTHING:
        return;
      case FILE:
        throw refuse(given, "is a file, not a directory");
      case LINK:
        throw refuse(given, "is a symbolic link; give the directory it points to, or another path");
      default:
        break;
    }
    if (existing.marker() == null) {
      if (existing.files().isEmpty()) {
        return;
      }
      throw refuse(given, "exists and is not a cltbench output (no " + OutputMarker.FILE_NAME
          + "; it holds " + existing.files().get(0) + (existing.files().size() > 1
              ? " and " + (existing.files().size() - 1) + " more" : "")
          + "): move it away or choose another --output");
    }
    Set<String> ours = Set.copyOf(existing.marker().files());
    for (String f : existing.files()) {
      if (!ours.contains(f)) {
        throw refuse(given, "is a cltbench output but also holds " + f
            + ", which cltbench did not write: move it out or choose another --output");
      }
    }
  }

  static UnsafeOutputException refuse(String given, String why) {
    return new UnsafeOutputException("--output=" + given + " " + why + "; nothing was written");
  }
}
