package dev.cltbench.study;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Collection;
import java.util.List;

/**
 * A mapping error of a JSON definition file in the file's own terms: {@code pipelines/x.json:
 * models[0]: unknown field "modle_id" (did you mean "model_id"?)}, never Jackson's class names.
 */
public final class JsonFieldErrors {
  private JsonFieldErrors() {}

  public static String describe(String file, JsonMappingException e) {
    List<JsonMappingException.Reference> path = e.getPath();
    if (e instanceof UnrecognizedPropertyException u) {
      String where = path(path.subList(0, Math.max(0, path.size() - 1)));
      String nearest = nearest(u.getPropertyName(), u.getKnownPropertyIds());
      return file + ": " + (where.isEmpty() ? "" : where + ": ") + "unknown field \"" + u.getPropertyName() + "\""
          + (nearest == null ? "" : " (did you mean \"" + nearest + "\"?)");
    }
    String where = path(path);
    String problem;
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      problem = "expected " + kind(m.getTargetType());
    } else {
      String original = e.getOriginalMessage() == null ? "invalid value" : e.getOriginalMessage();
      problem = original.replaceAll("`[\\w.$]+\\.(\\w+)`", "$1").replaceAll("\\s*\\(class [^)]*\\)", "")
          .replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
    String line = e.getLocation() != null && e.getLocation().getLineNr() > 0
        ? " (line " + e.getLocation().getLineNr() + ")" : "";
    return file + ": " + (where.isEmpty() ? "" : where + ": ") + problem + line;
  }

  static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String kind(Class<?> type) {
    if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class
        || type == double.class || type == float.class) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    return "an object";
  }

  /** The known field closest to {@code name} by edit distance, if close enough to be a typo. */
  static String nearest(String name, Collection<Object> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Object k : known) {
      String s = String.valueOf(k);
      int d = org.apache.commons.text.similarity.LevenshteinDistance.getDefaultInstance()
          .apply(name.toLowerCase(java.util.Locale.ROOT), s.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance || d == bestDistance && best != null && s.compareTo(best) < 0) {
        best = s;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(2, name.length() / 3) ? best : null;
  }
}
