package io.kevo.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Markdown table as every benchmark report prints it on the console: fixed-width columns padded
 * with one space, left or right aligned, a header of one or more lines, then the alignment row.
 * Columns are given as {@code WIDTH<header} (left) or {@code WIDTH>header} (right); {@code |} in
 * the header starts its next line. Not thread-safe: built and printed by one thread.
 */
public final class Table {
  private final int[] widths;
  private final boolean[] right;
  private final String[][] headers;
  private final List<String> rows = new ArrayList<>();

  public Table(String... columns) {
    widths = new int[columns.length];
    right = new boolean[columns.length];
    headers = new String[columns.length][];
    for (int i = 0; i < columns.length; i++) {
      String c = columns[i];
      int at = Math.max(c.indexOf('<'), c.indexOf('>'));
      widths[i] = Integer.parseInt(c.substring(0, at));
      right[i] = c.charAt(at) == '>';
      headers[i] = c.substring(at + 1).split("\\|", -1);
    }
  }

  /** Adds a row, one cell per column, each printed with {@code toString()}. */
  public Table row(Object... cells) {
    rows.add(line(cells));
    return this;
  }

  /**
   * Adds a row whose first cells are given and the rest is one free text (a failure), e.g. {@code |
   * a | kevo | FAILED: why |}.
   */
  public Table free(String text, Object... first) {
    StringBuilder b = new StringBuilder("|");
    for (int i = 0; i < first.length; i++) {
      b.append(' ').append(pad(first[i], i)).append(" |");
    }
    rows.add(b.append(' ').append(text.replace('|', '/')).append(" |").toString());
    return this;
  }

  private String line(Object[] cells) {
    StringBuilder b = new StringBuilder("|");
    for (int i = 0; i < widths.length; i++) {
      b.append(' ').append(pad(i < cells.length ? cells[i] : "", i)).append(" |");
    }
    return b.toString();
  }

  private String pad(Object cell, int column) {
    return String.format(
        Locale.ROOT, "%" + (right[column] ? "" : "-") + widths[column] + "s", cell);
  }

  /** The header lines, the alignment row and the rows, each line ending with a line separator. */
  @Override
  public String toString() {
    String nl = System.lineSeparator();
    StringBuilder out = new StringBuilder();
    int lines = 0;
    for (String[] h : headers) {
      lines = Math.max(lines, h.length);
    }
    for (int l = 0; l < lines; l++) {
      Object[] cells = new Object[widths.length];
      for (int i = 0; i < widths.length; i++) {
        cells[i] = l < headers[i].length ? headers[i][l] : "";
      }
      out.append(line(cells)).append(nl);
    }
    out.append('|');
    for (int i = 0; i < widths.length; i++) {
      out.append("-".repeat(widths[i] + (right[i] ? 1 : 2))).append(right[i] ? ":|" : "|");
    }
    out.append(nl);
    rows.forEach(r -> out.append(r).append(nl));
    return out.toString();
  }
}
