package dev.cltbench.pipelines;

/** The exit status of a command, shared by the pipelines that decide it and the command line that returns it. */
public final class ExitCodes {
  private ExitCodes() {}

  /**
   * Exit code for every error: bad input, bad options, an output that may not be written, a
   * configuration that cannot work, a failure of the runner. One line on stderr says what.
   */
  public static final int BAD_INPUT = 2;

  /** Exit code of a run that finished and wrote everything, but with too many tuples failed. */
  public static final int TOO_MANY_FAILURES = 3;

  /**
   * Exit code of a {@code run}/{@code grade}/{@code bench} whose answers and grades were committed to
   * the output but whose report failed after them: the output keeps the study layout, marked as
   * lacking the report, and one line on stderr says how to make it.
   */
  public static final int REPORT_MISSING = 4;
}
