package dev.cltbench.study;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Function;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where the published study lives on this machine and where it comes from: every command's
 * {@code --study} default and the one line a command prints when the directory is not there.
 */
public final class PublishedStudy {
  private PublishedStudy() {}

  /** The environment variable that moves the study's default location. */
  public static final String ENV = "CLTBENCH_STUDY";

  /** Beside the project, as the README's set-up puts it. */
  public static final String DEFAULT = "../shared/left-behind-clt";

  public static final String REPOSITORY = "abdulsal3m/left-behind-clt";

  /** The commit whose benchmark/, results/, grades/ and scripts/ the tests were written against. */
  public static final String COMMIT = "59a17bb26e5f29d593e79f63ce7047458aaf4d58";

  /** {@value #ENV} when set and not blank, else {@value #DEFAULT}. */
  public static String location(Function<String, String> env) {
    String value = env.apply(ENV);
    return value == null || value.isBlank() ? DEFAULT : value;
  }

  /**
   * The default of every command's {@code --study}: read when the option is not given. Named after the
   * variable because Beam's {@code --help} prints a default factory by its class's simple name.
   */
  public static final class CLTBENCH_STUDY implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      return location(System::getenv);
    }
  }

  /** Where the published study comes from and how to put it in place, for a one-line message. */
  public static String whereToGet() {
    return "github.com/" + REPOSITORY + " at commit " + COMMIT.substring(0, 7) + ": scripts/get-study.sh puts it"
        + " at $" + ENV + " or " + DEFAULT;
  }

  /**
   * Refuses a local study directory that does not exist, with {@link #whereToGet()}: without it every
   * command would fail later on its first missing file. Paths of other Beam filesystems are left to
   * the readers.
   */
  public static void requireDirectory(String study) {
    if (study == null || study.contains("://")) {
      return;
    }
    Path dir;
    try {
      dir = Path.of(study);
    } catch (InvalidPathException e) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new StudyInputException("no study directory at " + dir.toAbsolutePath().normalize()
          + "; the published study is " + whereToGet() + " (or give --study)");
    }
  }
}
