package dev.cltbench.study;

/**
 * Bad input: names the file, the record (where there is one) and the field, so a user can find and fix
 * it. The command line turns it into a non-zero exit with no output written.
 */
public final class StudyInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StudyInputException(String file, String record, String field, String problem) {
    super(format(file, record, field, problem));
  }

  /** A message already naming the file and where in it. */
  public StudyInputException(String message) {
    super(message);
  }

  private static String format(String file, String record, String field, String problem) {
    StringBuilder sb = new StringBuilder(file);
    if (record != null) {
      sb.append(", record ").append(record);
    }
    if (field != null) {
      sb.append(", field ").append(field);
    }
    return sb.append(": ").append(problem).toString();
  }
}
