package io.kevo.cli.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Sections of aligned rows, as {@code .stats} and {@code kevo status} print them: a title line,
 * then rows indented by two. Name-value sections align the values in one column; a section with a
 * header is a table whose first column is left-aligned and the others (numbers) right-aligned.
 * Build one, then {@link #render()}. Not thread-safe while being built.
 */
public final class Report {
  private final List<Section> sections = new ArrayList<>();

  /** Starts a section of name-value rows. */
  public Report section(String title) {
    sections.add(new Section(title, null, new ArrayList<>()));
    return this;
  }

  /** Starts a table with these column headers (the first usually empty). */
  public Report table(String title, String... header) {
    sections.add(new Section(title, header, new ArrayList<>()));
    return this;
  }

  /**
   * Starts a table whose first {@code leftColumns} columns are text, aligned left; the others are
   * figures, aligned right as in {@link #table}.
   */
  public Report table(int leftColumns, String title, String... header) {
    sections.add(new Section(title, header, new ArrayList<>(), leftColumns));
    return this;
  }

  /** Adds a row to the current section. */
  public Report row(String... cells) {
    if (sections.isEmpty()) {
      throw new IllegalStateException("no section to add a row to");
    }
    sections.get(sections.size() - 1).rows().add(cells);
    return this;
  }

  /** The sections so far, in order. */
  public List<Section> sections() {
    return List.copyOf(sections);
  }

  /**
   * Every section, separated by a blank line; the values of all name-value sections start in one
   * column.
   */
  public String render() {
    int names = 0;
    for (Section s : sections) {
      if (s.header() == null) {
        for (String[] r : s.rows()) {
          names = Math.max(names, r[0].length());
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    for (Section s : sections) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(s.header() == null ? s.render(names) : s.render());
    }
    return sb.toString();
  }

  /**
   * One section.
   *
   * @param header column headers, or null for name-value rows
   * @param rows the cells of each row, as many as the header has (two without one)
   * @param leftColumns how many leading columns of a table are aligned left (the rest right)
   */
  public record Section(String title, String[] header, List<String[]> rows, int leftColumns) {
    /** A section whose first column alone is aligned left. */
    public Section(String title, String[] header, List<String[]> rows) {
      this(title, header, rows, 1);
    }

    /** The title line and the aligned rows, each ending with a newline. */
    public String render() {
      return render(0);
    }

    /** As {@link #render()}, the first column at least {@code minNameWidth} wide. */
    String render(int minNameWidth) {
      List<String[]> all = new ArrayList<>();
      if (header != null) {
        all.add(header);
      }
      all.addAll(rows);
      StringBuilder sb = new StringBuilder(title).append('\n');
      if (all.isEmpty()) {
        return sb.toString();
      }
      int columns = 0;
      for (String[] r : all) {
        columns = Math.max(columns, r.length);
      }
      int[] width = new int[columns];
      width[0] = minNameWidth;
      for (String[] r : all) {
        for (int c = 0; c < r.length; c++) {
          width[c] = Math.max(width[c], r[c].length());
        }
      }
      for (String[] r : all) {
        StringBuilder line = new StringBuilder("  ");
        for (int c = 0; c < r.length; c++) {
          boolean right = header != null && c >= leftColumns;
          String pad = " ".repeat(width[c] - r[c].length());
          line.append(c == 0 ? "" : "  ").append(right ? pad + r[c] : r[c] + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
      }
      return sb.toString();
    }
  }
}
