package dev.cltbench.report;

import java.util.List;

/**
 * A {@link Table} as a LaTeX {@code table} float holding a booktabs {@code tabular} (needs the
 * booktabs package; Cyrillic cells need a T2A font encoding or XeLaTeX/LuaLaTeX).
 */
public final class LatexTables {
  /** How an empty (null) cell reads. */
  public static final String EMPTY = "---";

  private LatexTables() {}

  /** The float with caption (the title) and label {@code tab:<name>}; LF line ends. */
  public static String render(Table table) {
    StringBuilder sb = new StringBuilder();
    sb.append("\\begin{table}[htbp]\n");
    sb.append("  \\centering\n");
    sb.append("  \\caption{").append(escape(table.title())).append("}\n");
    sb.append("  \\label{").append(label(table.name())).append("}\n");
    sb.append("  \\begin{tabular}{");
    for (String column : table.columns()) {
      sb.append(NumberFormats.isNumericColumn(table, column) ? 'r' : 'l');
    }
    sb.append("}\n");
    sb.append("    \\toprule\n");
    sb.append("    ");
    for (int i = 0; i < table.columns().size(); i++) {
      sb.append(i > 0 ? " & " : "").append(ColumnLabels.latex(table.columns().get(i)));
    }
    sb.append(" \\\\\n");
    sb.append("    \\midrule\n");
    for (List<Object> row : table.rows()) {
      sb.append("    ");
      for (int i = 0; i < row.size(); i++) {
        Object cell = row.get(i);
        String text = NumberFormats.format(table.columns().get(i), cell);
        String tex;
        if (text == null) {
          tex = EMPTY;
        } else if ((cell instanceof Double || cell instanceof Long) && text.startsWith("-")) {
          // A text-mode hyphen is too short for a minus sign.
          tex = "$-$" + escape(text.substring(1));
        } else {
          tex = escape(text);
        }
        sb.append(i > 0 ? " & " : "").append(tex);
      }
      sb.append(" \\\\\n");
    }
    sb.append("    \\bottomrule\n");
    sb.append("  \\end{tabular}\n");
    sb.append("\\end{table}\n");
    return sb.toString();
  }

  /** {@code tab:} and the name with anything but letters, digits, {@code - : .} replaced by '-'. */
  public static String label(String name) {
    StringBuilder sb = new StringBuilder("tab:");
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == ':' || c == '.';
      sb.append(ok ? c : '-');
    }
    return sb.toString();
  }

  /**
   * Escapes LaTeX specials for text mode: {@code \ { } _ % & # $ ~ ^}, and {@code < > |} (which print
   * as other glyphs in the default OT1 encoding). Line breaks become spaces.
   */
  public static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\': sb.append("\\textbackslash{}"); break;
        case '{': sb.append("\\{"); break;
        case '}': sb.append("\\}"); break;
        case '_': sb.append("\\_"); break;
        case '%': sb.append("\\%"); break;
        case '&': sb.append("\\&"); break;
        case '#': sb.append("\\#"); break;
        case '$': sb.append("\\$"); break;
        case '~': sb.append("\\textasciitilde{}"); break;
        case '^': sb.append("\\textasciicircum{}"); break;
        case '<': sb.append("\\textless{}"); break;
        case '>': sb.append("\\textgreater{}"); break;
        case '|': sb.append("\\textbar{}"); break;
        case '\r': break;
        case '\n': sb.append(' '); break;
        default: sb.append(c);
      }
    }
    return sb.toString();
  }
}
