package dev.cltbench.transforms;

import dev.cltbench.study.PipelineDefinition;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The study's own order of conditions, families, models and categories (as listed in the pipeline
 * definition and the benchmark), turned into sort keys so that every table lists rows the same way on
 * every runner.
 */
public final class StudyOrder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> conditions = new ArrayList<>();
  private final List<String> families = new ArrayList<>();
  private final List<String> models = new ArrayList<>();
  private final List<String> categories;

  public StudyOrder(PipelineDefinition def, List<String> categories) {
    def.conditions().forEach(c -> conditions.add(c.id()));
    def.families().forEach(f -> families.add(f.name()));
    def.models().forEach(m -> models.add(m.name()));
    this.categories = new ArrayList<>(categories);
  }

  public String condition(String id) {
    return pad(conditions.indexOf(id)) + id;
  }

  public String family(String name) {
    return pad(families.indexOf(name)) + name;
  }

  public String model(String name) {
    return pad(models.indexOf(name)) + name;
  }

  public String category(String name) {
    return pad(categories.indexOf(name)) + name;
  }

  /** Sort key of a group in a dimension (condition, family, model, category, overall). */
  public String group(String dimension, String group) {
    return switch (dimension) {
      case "family" -> "1" + family(group);
      case "model" -> "2" + model(group);
      case "category" -> "3" + category(group);
      default -> "0" + group;
    };
  }

  /** {@code String.format("%04d:", i)}, -1 as 9999, without the formatter: every response's part key
   * and sort key is made with it. */
  static String pad(int i) {
    // Unknown names (index -1) sort last, by name.
    String digits = Integer.toString(i < 0 ? 9999 : i);
    return "0000".substring(Math.min(4, digits.length())) + digits + ":";
  }
}
