package io.kevo.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a bad command line as one line on stderr: what is wrong, the valid values where there is
 * a set, and where to read more, e.g.
 *
 * <pre>
 * error: invalid value for --sync: 'x' (valid: none, batch, immediate). Run 'kevo server --help'
 * for usage.
 * </pre>
 *
 * (one line; broken here to fit)
 *
 * <p>instead of picocli's default, the whole usage text after the message. The exit status is
 * {@link ExitCodes#FATAL}. Stateless and thread-safe.
 */
final class OneLineErrors implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(line(ex));
    err.flush();
    return ExitCodes.FATAL;
  }

  /** The one line shown for {@code ex}. */
  static String line(ParameterException ex) {
    CommandLine cmd = ex.getCommandLine();
    String hint = "Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.";
    String what = stripPeriod(what(ex));
    return "error: " + what + (what.endsWith("?") ? " " : ". ") + hint;
  }

  private static String what(ParameterException ex) {
    if (ex instanceof UnmatchedArgumentException u) {
      return unmatched(u);
    }
    ArgSpec arg = ex.getArgSpec();
    if (arg instanceof OptionSpec option && ex.getValue() != null && ex.getCause() != null) {
      // picocli's own conversion failure ("expected one of [NONE, BATCH] (case-insensitive)",
      // "is not an int"), said as the options converted by the commands say it.
      String expected = expected(option.type());
      if (expected != null) {
        return "invalid value for "
            + option.longestName()
            + ": '"
            + ex.getValue()
            + "' ("
            + expected
            + ")";
      }
    }
    String message = ex.getMessage();
    return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
  }

  private static String unmatched(UnmatchedArgumentException u) {
    List<String> suggestions = u.getSuggestions();
    CommandLine cmd = u.getCommandLine();
    List<String> unmatched = u.getUnmatched();
    String first = unmatched.isEmpty() ? "?" : unmatched.get(0);
    String what;
    if (first.startsWith("-")) {
      what = "unknown option '" + first + "'";
    } else if (!cmd.getSubcommands().isEmpty()) {
      what = "unknown command '" + first + "' (commands: " + commands(cmd) + ")";
    } else {
      what = "unexpected argument '" + first + "'";
    }
    if (!suggestions.isEmpty()) {
      what += "; did you mean " + String.join(" or ", suggestions.subList(0, 1)) + "?";
    }
    return what;
  }

  /** What a value of {@code type} looks like, or null to keep picocli's message. */
  private static String expected(Class<?> type) {
    if (type.isEnum()) {
      return "valid: " + enumValues(type);
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "expected a whole number";
    }
    return null;
  }

  /** The subcommands of {@code cmd}, comma-separated. */
  static String commands(CommandLine cmd) {
    return String.join(", ", cmd.getSubcommands().keySet());
  }

  /** {@code type}'s constants in lower case, comma-separated. */
  static String enumValues(Class<?> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }

  private static String stripPeriod(String s) {
    // Some messages span lines (a wrapped cause): the point is one line.
    String t = s.strip().replaceAll("\\s*\\R\\s*", " ");
    return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
  }
}
