package dev.cltbench.report;

import java.util.ArrayList;
import java.util.List;

/** A {@link Table} as a GitHub-flavoured Markdown table under a {@code ##} heading with its title. */
public final class MarkdownTables {
  /** How an empty (null) cell reads. */
  public static final String EMPTY = "—";

  private MarkdownTables() {}

  /**
   * The heading, a blank line, the table (numeric columns right-aligned, numbers rounded by
   * {@link NumberFormats}), LF line ends, ending with one newline.
   */
  public static String render(Table table) {
    StringBuilder sb = new StringBuilder();
    sb.append("## ").append(inline(table.title())).append("\n\n");
    List<String> header = new ArrayList<>();
    List<String> rule = new ArrayList<>();
    for (String column : table.columns()) {
      header.add(escapeCell(column));
      rule.add(NumberFormats.isNumericColumn(table, column) ? "--:" : ":--");
    }
    line(sb, header);
    line(sb, rule);
    for (List<Object> row : table.rows()) {
      List<String> cells = new ArrayList<>(row.size());
      for (int i = 0; i < row.size(); i++) {
        String text = NumberFormats.format(table.columns().get(i), row.get(i));
        cells.add(text == null ? EMPTY : escapeCell(text));
      }
      line(sb, cells);
    }
    // Cells whose statistic cannot be computed are empty; say why under the table.
    for (String note : TableSchemas.emptyCellNotes(table)) {
      sb.append('\n').append(inline(note)).append('\n');
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells) {
    sb.append('|');
    for (String c : cells) {
      sb.append(' ').append(c).append(" |");
    }
    sb.append('\n');
  }

  /** Heading text: one line, Markdown specials escaped. */
  private static String inline(String text) {
    return escapeCell(text);
  }

  /**
   * Escapes what GitHub Markdown would otherwise read as markup inside a table cell: backslash, pipe,
   * backtick, {@code *}, brackets, angle brackets, {@code &}, and {@code _} unless it sits between two
   * letters or digits (an intraword underscore never starts emphasis in GFM, so {@code gpt_5.2} stays
   * readable in the raw file). Line breaks become spaces.
   */
  public static String escapeCell(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\': case '|': case '`': case '*': case '[': case ']': case '<': case '>': case '&':
          sb.append('\\').append(c);
          break;
        case '_': {
          boolean intraword = i > 0 && i + 1 < text.length()
              && Character.isLetterOrDigit(text.charAt(i - 1))
              && Character.isLetterOrDigit(text.charAt(i + 1));
          sb.append(intraword ? "_" : "\\_");
          break;
        }
        case '\r':
          break;
        case '\n':
          sb.append(' ');
          break;
        default:
          sb.append(c);
      }
    }
    return sb.toString();
  }
}
