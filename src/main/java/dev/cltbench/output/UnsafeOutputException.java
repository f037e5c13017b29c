package dev.cltbench.output;

/**
 * An {@code --output} that cltbench will not write: it would replace or delete something cltbench
 * did not create, or something the run reads. The command line turns it into exit status 2.
 */
public final class UnsafeOutputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnsafeOutputException(String message) {
    super(message);
  }

  public UnsafeOutputException(String message, Throwable cause) {
    super(message, cause);
  }
}
