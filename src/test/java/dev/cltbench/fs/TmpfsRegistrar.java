package dev.cltbench.fs;

import java.util.List;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.options.PipelineOptions;

/** Registers {@code tmpfs://} (tests only: META-INF/services in src/test/resources). */
public final class TmpfsRegistrar implements FileSystemRegistrar {
  @Override
  public Iterable<FileSystem<?>> fromOptions(PipelineOptions options) {
    return List.of(new TmpfsFileSystem());
  }
}
