package dev.cltbench.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;

/**
 * The published study's directory layout ({@code results/<condition dir>/<model>.json},
 * {@code grades/<condition dir>.csv}, {@code benchmark/questions.json}), checked before any pipeline
 * starts so that a missing or unexpected file is reported at once, by name. Works on any Beam
 * filesystem path.
 */
public final class StudyLayout {
  private StudyLayout() {}

  public static String resultsPattern(String study) {
    return join(study, "results/*/*.json");
  }

  /** The results file of one (condition directory, model) cell. */
  public static String resultsFile(String study, String conditionDirectory, String model) {
    return join(study, "results/" + conditionDirectory + "/" + model + ".json");
  }

  public static String gradesPattern(String study) {
    return join(study, "grades/*.csv");
  }

  public static String questionsFile(String study) {
    return join(study, "benchmark/questions.json");
  }

  static String join(String dir, String rest) {
    return dir.endsWith("/") ? dir + rest : dir + "/" + rest;
  }

  /** Throws a StudyInputException listing every missing or unknown file. */
  public static void verify(String study, PipelineDefinition def) {
    verify(study, def, StudySubset.all(), false);
  }

  /**
   * As {@link #verify(String, PipelineDefinition)}; with {@code allowMissingResults} a missing
   * results file is a missing cell (see {@link Completeness}), not an error.
   */
  public static void verify(String study, PipelineDefinition def, boolean allowMissingResults) {
    verify(study, def, StudySubset.all(), allowMissingResults);
  }

  /**
   * As above for the files {@code subset} selects: files of models or conditions it leaves out are
   * ignored, whether or not {@code def} (the whole study) knows them.
   */
  public static void verify(String study, PipelineDefinition def, StudySubset subset) {
    verify(study, def, subset, false);
  }

  /** How many layout problems one error line names; the rest are counted. */
  private static final int SHOWN_PROBLEMS = 8;

  public static void verify(String study, PipelineDefinition def, StudySubset subset, boolean allowMissingResults) {
    Set<String> results = names(resultsPattern(study), 2);
    Set<String> grades = names(gradesPattern(study), 1);
    if (results.isEmpty() && grades.isEmpty()) {
      // A wrong path, not a study with every one of its files missing: say that, in one short line.
      throw new StudyInputException(study, null, null,
          "no results/<condition>/<model>.json and no grades/<condition>.csv here: not a study directory"
              + " (or it does not exist)");
    }
    List<String> problems = new ArrayList<>();
    Set<String> expectedResults = new TreeSet<>();
    Set<String> expectedGrades = new TreeSet<>();
    Set<String> ignoredDirectories = new TreeSet<>();
    for (PipelineDefinition.Condition c : def.conditions()) {
      if (!subset.includesCondition(c.id())) {
        ignoredDirectories.add(c.directory());
        continue;
      }
      expectedGrades.add(c.directory() + ".csv");
      for (PipelineDefinition.ModelSpec m : def.models()) {
        if (subset.includesModel(m.name())) {
          expectedResults.add(c.directory() + "/" + m.name() + ".json");
        }
      }
    }
    Set<String> knownDirectories = new TreeSet<>(def.conditionIdsByDirectory().keySet());
    results.removeIf(r -> {
      String dir = r.substring(0, r.indexOf('/'));
      String model = r.substring(r.indexOf('/') + 1).replaceFirst("\\.json$", "");
      return ignoredDirectories.contains(dir)
          || subset.conditions() != null && !knownDirectories.contains(dir)
          || subset.models() != null && !subset.includesModel(model);
    });
    grades.removeIf(g -> {
      String dir = g.replaceFirst("\\.csv$", "");
      return ignoredDirectories.contains(dir) || subset.conditions() != null && !knownDirectories.contains(dir);
    });
    for (String e : expectedResults) {
      if (!results.contains(e) && !allowMissingResults) {
        problems.add("missing results/" + e);
      }
    }
    for (String r : results) {
      if (!expectedResults.contains(r)) {
        problems.add("unexpected results/" + r + " (unknown condition directory or model)");
      }
    }
    for (String e : expectedGrades) {
      if (!grades.contains(e)) {
        problems.add("missing grades/" + e);
      }
    }
    for (String g : grades) {
      if (!expectedGrades.contains(g)) {
        problems.add("unexpected grades/" + g + " (unknown condition directory)");
      }
    }
    if (!problems.isEmpty()) {
      throw new StudyInputException(study, null, null,
          "study layout does not match the pipeline definition " + def.name() + ": "
              + String.join("; ", problems.subList(0, Math.min(problems.size(), SHOWN_PROBLEMS)))
              + (problems.size() > SHOWN_PROBLEMS ? "; and " + (problems.size() - SHOWN_PROBLEMS) + " more" : ""));
    }
  }

  /** The last {@code depth} path segments of every file matching the pattern. */
  private static Set<String> names(String pattern, int depth) {
    Set<String> out = new TreeSet<>();
    try {
      MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
      if (match.status() != MatchResult.Status.OK) {
        throw new StudyInputException(pattern, null, null, "cannot list: " + match.status());
      }
      for (Metadata m : match.metadata()) {
        String path = m.resourceId().toString();
        String[] parts = path.split("/");
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, parts.length - depth); i < parts.length; i++) {
          if (sb.length() > 0) {
            sb.append('/');
          }
          sb.append(parts[i]);
        }
        out.add(sb.toString());
      }
    } catch (IOException e) {
      throw new StudyInputException(pattern, null, null, "cannot list: " + e.getMessage());
    }
    return out;
  }
}
