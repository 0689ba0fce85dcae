package io.kevo.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The usage help of every {@code kevo} command, wrapped at spaces only. picocli wraps with the
 * JDK's line {@link java.text.BreakIterator}, which also breaks after {@code .} and {@code :}, so
 * that {@code ./kevo-data}, {@code kevo.KevoService} or {@code 127.0.0.1:50051} could be cut in two
 * at the end of a line; here a word longer than the room left goes whole to the next line. The
 * synopsis, description, parameter and option lists, command list and footer are rendered by this
 * class (picocli still does the headings and interpolates the texts); the width is picocli's
 * ({@code usageHelpAutoWidth}: the terminal's, else 80). Stateless and thread-safe.
 */
final class WrappedHelp {
  /** Where descriptions start at most: longer option names get a line of their own. */
  private static final int MAX_NAMES_WIDTH = 30;

  private WrappedHelp() {}

  /** Installs the renderers on {@code cli} and every subcommand, with auto width. */
  static void install(CommandLine cli) {
    cli.getCommandSpec().usageMessage().autoWidth(true);
    Map<String, CommandLine.IHelpSectionRenderer> sections = cli.getHelpSectionMap();
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS, WrappedHelp::synopsis);
    sections.put(
        CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION, WrappedHelp::description);
    sections.put(
        CommandLine.Model.UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, WrappedHelp::parameters);
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, WrappedHelp::options);
    sections.put(
        CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, WrappedHelp::commands);
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, WrappedHelp::footer);
    cli.setHelpSectionMap(sections);
    for (CommandLine sub : cli.getSubcommands().values()) {
      install(sub);
    }
  }

  /**
   * One less than the terminal's: a line that fills the last column makes some terminals skip one.
   */
  private static int width(Help help) {
    return help.commandSpec().usageMessage().width() - 1;
  }

  /** {@code kevo server [-hV] [--data=DIR] ...}, continued under the first option. */
  private static String synopsis(Help help) {
    CommandSpec spec = help.commandSpec();
    List<String> items = new ArrayList<>();
    StringBuilder cluster = new StringBuilder();
    List<OptionSpec> others = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (o.hidden()) {
        continue;
      }
      if (o.arity().max() == 0 && o.shortestName().length() == 2) {
        cluster.append(o.shortestName().charAt(1));
      } else {
        others.add(o);
      }
    }
    if (cluster.length() > 0) {
      items.add("[-" + cluster + "]");
    }
    others.sort((a, b) -> strip(a.longestName()).compareTo(strip(b.longestName())));
    for (OptionSpec o : others) {
      String item = o.longestName() + (o.arity().max() > 0 ? "=" + o.paramLabel() : "");
      items.add(o.required() ? item : "[" + item + "]");
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (!p.hidden()) {
        items.add(label(p));
      }
    }
    if (!spec.subcommands().isEmpty()) {
      items.add("[COMMAND]");
    }
    String name = spec.qualifiedName();
    int indent = help.synopsisHeadingLength() + name.length() + 1;
    List<String> lines = wrap(String.join(" ", items), width(help) - indent);
    StringBuilder sb = new StringBuilder(name);
    for (int i = 0; i < lines.size(); i++) {
      sb.append(i == 0 ? " " : "\n" + " ".repeat(indent)).append(lines.get(i));
    }
    return sb.append('\n').toString();
  }

  private static String description(Help help) {
    return paragraphs(help.commandSpec().usageMessage().description(), width(help));
  }

  private static String footer(Help help) {
    return paragraphs(help.commandSpec().usageMessage().footer(), width(help));
  }

  private static String parameters(Help help) {
    List<String[]> rows = new ArrayList<>();
    for (PositionalParamSpec p : help.commandSpec().positionalParameters()) {
      if (!p.hidden()) {
        rows.add(new String[] {"      " + label(p), String.join("\n", rendered(p))});
      }
    }
    return table(rows, namesWidth(help.commandSpec()), width(help));
  }

  private static String options(Help help) {
    List<String[]> rows = new ArrayList<>();
    List<OptionSpec> visible = new ArrayList<>();
    for (OptionSpec o : help.commandSpec().options()) {
      if (!o.hidden()) {
        visible.add(o);
      }
    }
    visible.sort((a, b) -> strip(a.longestName()).compareTo(strip(b.longestName())));
    for (OptionSpec o : visible) {
      rows.add(new String[] {names(o), String.join("\n", rendered(o))});
    }
    return table(rows, namesWidth(help.commandSpec()), width(help));
  }

  /** One row per subcommand: its name and the first paragraph of its description, whole. */
  private static String commands(Help help) {
    List<String[]> rows = new ArrayList<>();
    int widest = 0;
    for (Map.Entry<String, Help> e : help.subcommands().entrySet()) {
      String[] description = e.getValue().commandSpec().usageMessage().description();
      rows.add(new String[] {"  " + e.getKey(), description.length > 0 ? description[0] : ""});
      widest = Math.max(widest, e.getKey().length() + 2);
    }
    return table(rows, widest, width(help));
  }

  /** {@code HOST:PORT}, or {@code [HOST:PORT]} if it may be left out (it has a default). */
  private static String label(PositionalParamSpec p) {
    boolean required = p.arity().min() > 0 && p.defaultValue() == null;
    return required ? p.paramLabel() : "[" + p.paramLabel() + "]";
  }

  /**
   * The names cell: the short name first, e.g. {@code -h, --help}, else indented as if it had one.
   */
  private static String names(OptionSpec o) {
    String[] names = o.names().clone();
    java.util.Arrays.sort(names, (a, b) -> Integer.compare(a.length(), b.length()));
    String label = o.arity().max() > 0 ? "=" + o.paramLabel() : "";
    if (names.length > 1 && names[0].length() == 2) {
      String rest = String.join(", ", java.util.Arrays.asList(names).subList(1, names.length));
      return "  " + names[0] + ", " + rest + label;
    }
    return "      " + String.join(", ", names) + label;
  }

  /** The widest names cell that fits in {@link #MAX_NAMES_WIDTH}. */
  private static int namesWidth(CommandSpec spec) {
    int widest = 0;
    for (OptionSpec o : spec.options()) {
      int n = names(o).length();
      if (n <= MAX_NAMES_WIDTH - 2) {
        widest = Math.max(widest, n);
      }
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      widest = Math.max(widest, Math.min(MAX_NAMES_WIDTH - 2, p.paramLabel().length() + 8));
    }
    return widest;
  }

  /** The description with {@code ${DEFAULT-VALUE}} and the like filled in. */
  private static String[] rendered(ArgSpec arg) {
    return arg.renderedDescription();
  }

  /**
   * Rows of names and text: the text starts two columns after the widest names cell ({@code
   * namesWidth}) and its wrapped lines two further; names wider than that take a line of their own.
   * A newline in the text starts a new paragraph at the column.
   */
  private static String table(List<String[]> rows, int namesWidth, int width) {
    int column = namesWidth + 2;
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      String names = row[0];
      boolean first = true;
      StringBuilder line = new StringBuilder(names);
      if (names.length() > namesWidth) {
        sb.append(names).append('\n');
        line.setLength(0);
      }
      for (String paragraph : row[1].split("\n", -1)) {
        boolean paragraphStart = true;
        int indent = column;
        for (String piece : wrap(paragraph, width - column - 2, width - column)) {
          if (!first) {
            sb.append(line.toString().stripTrailing()).append('\n');
            line.setLength(0);
          }
          indent = paragraphStart ? column : column + 2;
          line.append(" ".repeat(Math.max(1, indent - line.length()))).append(piece);
          paragraphStart = false;
          first = false;
        }
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  private static String paragraphs(String[] texts, int width) {
    StringBuilder sb = new StringBuilder();
    for (String text : texts) {
      for (String paragraph : text.split("\n", -1)) {
        List<String> lines = wrap(paragraph, width);
        if (lines.isEmpty()) {
          sb.append('\n');
        }
        for (String l : lines) {
          sb.append(l).append('\n');
        }
      }
    }
    return sb.toString();
  }

  /** {@code text} in lines of at most {@code width} characters, broken at spaces only. */
  static List<String> wrap(String text, int width) {
    return wrap(text, width, width);
  }

  /**
   * {@code text} broken at spaces only: the first line at most {@code firstWidth} characters, the
   * others {@code width}. A word longer than a line stands alone on one, whole.
   */
  static List<String> wrap(String text, int width, int firstWidth) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.strip().split(" +")) {
      if (word.isEmpty()) {
        continue;
      }
      int room = lines.isEmpty() ? firstWidth : width;
      if (line.length() > 0 && line.length() + 1 + word.length() > room) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  private static String strip(String name) {
    return name.replaceFirst("^-+", "");
  }
}
