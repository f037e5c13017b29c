package dev.cltbench.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes an output directory atomically: the pipeline writes into a hidden staging directory beside
 * the target, and only a successful run moves it into place (replacing an earlier output). A failed
 * run leaves the earlier output untouched and no partial files.
 */
public final class OutputDirectory {
  private final Path target;
  private final Path staging;

  private OutputDirectory(Path target, Path staging) {
    this.target = target;
    this.staging = staging;
  }

  public static OutputDirectory prepare(String output) {
    if (output.contains("://")) {
      throw new IllegalArgumentException("--output must be a local directory for now: " + output);
    }
    Path target = Path.of(output).toAbsolutePath().normalize();
    Path parent = target.getParent();
    try {
      Files.createDirectories(parent);
      // A run killed before it committed left its staging directory: the next run into the same output
      // removes it (the cache, not the staging directory, is what lets a run resume).
      try (DirectoryStream<Path> stale = Files.newDirectoryStream(parent, "." + target.getFileName() + ".staging-*")) {
        for (Path p : stale) {
          deleteTree(p);
        }
      }
      Path staging = parent.resolve("." + target.getFileName() + ".staging-" + UUID.randomUUID());
      Files.createDirectories(staging);
      return new OutputDirectory(target, staging);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the output directory beside " + target, e);
    }
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

  /** Moves the staging directory into place, replacing an earlier output. */
  public void commit() throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    if (old != null) {
      deleteTree(old);
    }
  }

  /** Drops the staging directory after a failure. */
  public void abandon() {
    try {
      deleteTree(staging);
    } catch (IOException e) {
      System.err.println("warning: could not remove " + staging + ": " + e.getMessage());
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
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
