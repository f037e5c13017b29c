package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The conditions, models, families and categories tables computed without the program: SQL in an
 * in-process DuckDB over a study's {@code grades/*.csv} (DuckDB's own CSV reader), with the model
 * families and condition directories given by the test (from the study's README or the generator), and
 * compared with the report's CSV files.
 *
 * <p>Repeats of a tuple (epochs) are one unit: each criterion, the time and the words are first averaged
 * per (condition, model, question), then over units, as the report defines its tables. A transfer
 * condition's {@code delta_clt_pp} is its score minus its direct counterpart's over the same group.
 */
final class IndependentAggregates implements AutoCloseable {
  /** The rubric's criteria, in the published pipeline's order, each 0..2. */
  static final List<String> CRITERIA = List.of("accuracy", "fluency", "completeness");
  static final double CRITERION_MAX = 2;

  private final Connection db;
  private final Map<String, String> controls;

  /**
   * @param grades the study's grades directory
   * @param directories condition directory -> condition id
   * @param families model -> family
   * @param controls transfer condition id -> its direct condition's id
   */
  IndependentAggregates(Path grades, Map<String, String> directories, Map<String, String> families,
      Map<String, String> controls) throws Exception {
    this.controls = controls;
    db = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = db.createStatement()) {
      s.execute("CREATE TABLE dirs (directory VARCHAR, cond VARCHAR)");
      s.execute("CREATE TABLE fams (model VARCHAR, family VARCHAR)");
    }
    insert("INSERT INTO dirs VALUES (?, ?)", directories);
    insert("INSERT INTO fams VALUES (?, ?)", families);
    boolean epochs;
    try (var files = Files.list(grades)) {
      Path first = files.filter(p -> p.toString().endsWith(".csv")).findFirst().orElseThrow();
      epochs = Files.readAllLines(first).get(0).endsWith(",epoch");
    }
    try (PreparedStatement p = db.prepareStatement(
        "CREATE TABLE g AS SELECT * FROM read_csv(?, header = true, delim = ',', quote = '\"', "
            + "escape = '\"', all_varchar = true, filename = true)")) {
      p.setString(1, grades.resolve("*.csv").toString());
      p.execute();
    }
    try (Statement s = db.createStatement()) {
      s.execute("CREATE TABLE units AS SELECT d.cond, g.model, f.family, g.category, g.question_id, "
          + "avg(CAST(accuracy AS DOUBLE)) AS accuracy, avg(CAST(fluency AS DOUBLE)) AS fluency, "
          + "avg(CAST(completeness AS DOUBLE)) AS completeness, avg(CAST(total AS DOUBLE)) AS total, "
          + "avg(CAST(response_time AS DOUBLE)) AS t, avg(CAST(response_length AS DOUBLE)) AS words, "
          + "count(*) AS answers "
          + "FROM g JOIN dirs d ON regexp_extract(g.filename, '([^/]*)\\.csv$', 1) = d.directory "
          + "JOIN fams f ON f.model = g.model "
          + "GROUP BY d.cond, g.model, f.family, g.category, g.question_id");
    }
    // Every grade row joined a known directory and model, and (with epochs) each unit counts once.
    try (Statement s = db.createStatement();
        ResultSet a = s.executeQuery("SELECT (SELECT count(*) FROM g), (SELECT sum(answers) FROM units)")) {
      a.next();
      assertEquals(a.getLong(1), a.getLong(2), "grade rows outside the known directories or models");
    }
    assertTrue(epochs || count("SELECT count(*) FROM units WHERE answers > 1") == 0, "duplicate grades");
  }

  private void insert(String sql, Map<String, String> rows) throws Exception {
    try (PreparedStatement p = db.prepareStatement(sql)) {
      for (Map.Entry<String, String> e : rows.entrySet()) {
        p.setString(1, e.getKey());
        p.setString(2, e.getValue());
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  private long count(String sql) throws Exception {
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Rows of a table grouped by {@code group} (null: the conditions table), keyed "group|condition". */
  Map<String, Map<String, Double>> table(String group) throws Exception {
    String key = group == null ? "''" : group;
    String sql = "SELECT " + key + " AS grp, cond, count(*) AS responses, "
        + "avg(total) / " + (CRITERION_MAX * CRITERIA.size()) + " * 100 AS score_pct, "
        + "avg(accuracy) / " + CRITERION_MAX + " * 100 AS accuracy_pct, "
        + "avg(fluency) / " + CRITERION_MAX + " * 100 AS fluency_pct, "
        + "avg(completeness) / " + CRITERION_MAX + " * 100 AS completeness_pct, "
        + "avg(t) AS mean_time_s, avg(words) AS mean_words FROM units GROUP BY grp, cond";
    Map<String, Map<String, Double>> rows = new TreeMap<>();
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        Map<String, Double> row = new LinkedHashMap<>();
        for (String c : List.of("responses", "score_pct", "accuracy_pct", "fluency_pct", "completeness_pct",
            "mean_time_s", "mean_words")) {
          row.put(c, r.getDouble(c));
        }
        rows.put(r.getString("grp") + "|" + r.getString("cond"), row);
      }
    }
    if (group != null && !group.equals("category")) {
      for (Map.Entry<String, Map<String, Double>> e : rows.entrySet()) {
        String[] k = e.getKey().split("\\|", -1);
        String cond = k[k.length - 1];
        String g = e.getKey().substring(0, e.getKey().length() - cond.length() - 1);
        String control = controls.get(cond);
        if (control != null && rows.containsKey(g + "|" + control)) {
          e.getValue().put("delta_clt_pp",
              e.getValue().get("score_pct") - rows.get(g + "|" + control).get("score_pct"));
        }
      }
    }
    return rows;
  }

  /**
   * Checks a report table (tables/NAME.csv in {@code out}) against the computation: the same rows
   * (group and condition), each number within 1e-9 relative, delta_clt_pp empty on rows without one.
   */
  void check(Path out, String name, String groupColumn, String sqlGroup) throws Exception {
    Map<String, Map<String, Double>> expected = table(sqlGroup);
    Map<String, Map<String, String>> actual = new TreeMap<>();
    for (Map<String, String> row : csv(out.resolve("tables/" + name + ".csv"))) {
      String key = (groupColumn == null ? "" : row.get(groupColumn)) + "|" + row.get("condition");
      assertTrue(actual.put(key, row) == null, name + ": two rows for " + key);
    }
    assertEquals(expected.keySet(), actual.keySet(), name + ": rows");
    for (String key : expected.keySet()) {
      Map<String, Double> e = expected.get(key);
      Map<String, String> a = actual.get(key);
      for (Map.Entry<String, Double> c : e.entrySet()) {
        double v = Double.parseDouble(a.get(c.getKey()));
        assertEquals(c.getValue(), v, 1e-9 * Math.max(1, Math.abs(c.getValue())),
            name + " " + key + " " + c.getKey());
      }
      if (a.containsKey("delta_clt_pp") && !e.containsKey("delta_clt_pp")) {
        assertEquals("", a.get("delta_clt_pp"), name + " " + key + ": a delta on a row with no control");
      }
    }
  }

  static List<Map<String, String>> csv(Path file) throws Exception {
    List<Map<String, String>> rows = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file)) {
      for (CSVRecord c : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
        assertTrue(c.isConsistent(), file + ":" + c.getRecordNumber() + " has " + c.size() + " cells");
        rows.add(c.toMap());
      }
    }
    return rows;
  }

  /** All four tables the issue names. */
  void checkAll(Path out) throws Exception {
    check(out, "conditions", null, null);
    check(out, "models", "model", "model");
    check(out, "families", "family", "family");
    check(out, "categories", "category", "category");
  }

  @Override
  public void close() throws Exception {
    db.close();
  }
}
