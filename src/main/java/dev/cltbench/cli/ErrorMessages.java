package dev.cltbench.cli;

import dev.cltbench.output.UnsafeOutputException;
import dev.cltbench.study.ConfigurationException;
import dev.cltbench.study.StudyInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Every failure of a command as one line a user can act on: the input error or refusal behind it
 * however deeply a runner wrapped it, a file problem with its path, else the root cause. Stack traces
 * only with {@code --verbose}.
 */
final class ErrorMessages {
  private ErrorMessages() {}

  static String oneLine(Throwable t, boolean verbose) {
    return oneLine(t, verbose, java.util.List.of());
  }

  /** As above; {@code args} (the command's) name the option whose value Beam could not read. */
  static String oneLine(Throwable t, boolean verbose, java.util.List<String> args) {
    for (Throwable c = t; c != null; c = next(c)) {
      String badValue = c instanceof IllegalArgumentException ? badValue(c.getMessage(), args) : null;
      if (badValue != null) {
        return badValue;
      }
    }
    for (Throwable c = t; c != null; c = next(c)) {
      if (c instanceof StudyInputException || c instanceof UnsafeOutputException
          || c instanceof ConfigurationException) {
        return flat(c.getMessage());
      }
    }
    for (Throwable c = t; c != null; c = next(c)) {
      if (c instanceof AccessDeniedException a) {
        return "permission denied: " + a.getFile() + (a.getOtherFile() != null ? " -> " + a.getOtherFile() : "")
            + (a.getReason() != null ? " (" + a.getReason() + ")" : "");
      }
      if (c instanceof NoSuchFileException n) {
        return "not found: " + n.getFile();
      }
      if (c instanceof FileSystemException f) {
        return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "file system error");
      }
    }
    for (Throwable c = t; c != null; c = next(c)) {
      if (c instanceof IllegalArgumentException && c.getMessage() != null) {
        String unknown = unknownOption(c.getMessage());
        return unknown != null ? unknown : flat(c.getMessage());
      }
    }
    Throwable root = t;
    while (next(root) != null) {
      root = next(root);
    }
    String what = root.getMessage() == null ? root.getClass().getSimpleName()
        : root.getClass().getSimpleName() + ": " + root.getMessage();
    return flat(what) + (verbose ? "" : " (unexpected; --verbose shows where)");
  }

  private static final java.util.regex.Pattern MISSING_PROPERTY = java.util.regex.Pattern.compile(
      "Class interface (\\S+) missing a property named '([^']*)'\\.(?: Did you mean '([^']*)'\\?)?.*",
      java.util.regex.Pattern.DOTALL);

  /**
   * Beam's "Class interface dev.cltbench...RunOptions missing a property named 'x'" as a user's line.
   * Beam suggests from every registered options class (a typo may be told to use a Google Cloud zone):
   * the suggestion is kept only when the command's own options have it.
   */
  static String unknownOption(String message) {
    java.util.regex.Matcher m = MISSING_PROPERTY.matcher(message.strip());
    if (!m.matches()) {
      return null;
    }
    String line = "unknown option --" + m.group(2);
    String suggestion = m.group(3);
    if (suggestion != null && hasProperty(m.group(1), suggestion)) {
      line += " (did you mean --" + suggestion + "?)";
    }
    return line + "; see --help";
  }

  private static final java.util.regex.Pattern BAD_VALUE = java.util.regex.Pattern.compile(
      "Cannot deserialize value of type `(?:java\\.lang\\.)?([\\w.]+)` from String \"(.*?)\".*",
      java.util.regex.Pattern.DOTALL);

  /**
   * Beam's (Jackson's) "Cannot deserialize value of type `java.lang.Integer` from String "abc"" names
   * neither the option nor what it takes: the command's arguments give the option.
   */
  static String badValue(String message, java.util.List<String> args) {
    if (message == null) {
      return null;
    }
    java.util.regex.Matcher m = BAD_VALUE.matcher(message.strip());
    if (!m.matches()) {
      return null;
    }
    String type = switch (m.group(1)) {
      case "Integer", "Long", "int", "long" -> "a whole number";
      case "Double", "Float", "double", "float" -> "a number";
      case "Boolean", "boolean" -> "true or false";
      default -> "a value of type " + m.group(1);
    };
    String option = args.stream().filter(a -> a.startsWith("--") && a.endsWith("=" + m.group(2)))
        .map(a -> a.substring(0, a.indexOf('='))).findFirst().orElse("an option");
    return option + ": '" + m.group(2) + "' is not " + type;
  }

  private static boolean hasProperty(String optionsClass, String property) {
    try {
      for (java.lang.reflect.Method method : Class.forName(optionsClass).getMethods()) {
        String n = method.getName();
        String name = n.startsWith("get") ? n.substring(3) : n.startsWith("is") ? n.substring(2) : null;
        if (name != null && method.getParameterCount() == 0 && name.equalsIgnoreCase(property)) {
          return true;
        }
      }
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
    return false;
  }

  private static Throwable next(Throwable c) {
    return c.getCause() == c ? null : c.getCause();
  }

  /** Beam's and Jackson's messages span lines; the error is one. */
  static String flat(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
