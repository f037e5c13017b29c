package dev.cltbench.fs;

import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/** A {@code tmpfs://} path; a directory's ends with '/'. */
final class TmpfsResourceId implements ResourceId {
  private static final long serialVersionUID = 1L;
  private static final String PREFIX = TmpfsFileSystem.SCHEME + "://";

  private final String path; // without the scheme; a directory's ends with '/'

  private TmpfsResourceId(String path) {
    this.path = path;
  }

  static TmpfsResourceId of(String spec, boolean directory) {
    if (!spec.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a tmpfs path: " + spec);
    }
    String p = spec.substring(PREFIX.length()).replaceAll("/+", "/");
    if (directory && !p.isEmpty() && !p.endsWith("/")) {
      p = p + "/";
    }
    return new TmpfsResourceId(p);
  }

  String path() {
    return path;
  }

  @Override
  public ResourceId resolve(String other, ResolveOptions options) {
    if (!isDirectory()) {
      throw new IllegalStateException("cannot resolve against a file: " + this);
    }
    boolean dir = options == StandardResolveOptions.RESOLVE_DIRECTORY;
    String p = path + other;
    if (dir && !p.endsWith("/")) {
      p = p + "/";
    }
    return new TmpfsResourceId(p);
  }

  @Override
  public ResourceId getCurrentDirectory() {
    return isDirectory() ? this : new TmpfsResourceId(path.substring(0, path.lastIndexOf('/') + 1));
  }

  @Override
  public String getScheme() {
    return TmpfsFileSystem.SCHEME;
  }

  @Override
  public String getFilename() {
    String p = isDirectory() ? path.substring(0, Math.max(0, path.length() - 1)) : path;
    return p.isEmpty() ? null : p.substring(p.lastIndexOf('/') + 1);
  }

  @Override
  public boolean isDirectory() {
    return path.isEmpty() || path.endsWith("/");
  }

  @Override
  public String toString() {
    return PREFIX + path;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TmpfsResourceId t && t.path.equals(path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }
}
