package io.kevo.cli.shell;

import io.kevo.engine.KevoException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs shell lines against a {@link ShellBackend}: results to {@code out}, usage and engine errors
 * to {@code err}. A failed command never ends the shell. Not thread-safe.
 */
public final class Shell {
  private static final Logger LOG = LoggerFactory.getLogger(Shell.class);

  static final String HELP =
      String.join(
          "\n",
          "Commands (command words are case-insensitive):",
          "  PUT key value          store value under key (\"\" is an empty value)",
          "  GET key                print the value, \"\" if empty, (not found) if absent",
          "  DELETE key             delete key (absent keys too)",
          "  SCAN [prefix]          list keys (starting with prefix) in order",
          "  SCAN RANGE start end   list keys in [start, end); \"\" as end means no upper bound",
          "  .stats                 database counters",
          "  .help                  this text",
          "  .exit                  leave (also exit, quit, Ctrl-D / end of input)",
          "  transactions (BEGIN, COMMIT, ROLLBACK): coming",
          "",
          "Keys and values are UTF-8 text. Use double quotes for spaces or the empty value:",
          "  PUT greeting \"hello world\"",
          "Escapes, inside or outside quotes: \\\\ \\\" \\n \\t \\r \\0 \\xNN (one raw byte).",
          "Output uses the same syntax: non-printable bytes appear as \\xNN inside quotes.",
          "Lines starting with # are comments.",
          "",
          "Errors go to stderr (\"error: ...\" for database errors, \"usage: ...\" for wrong",
          "arguments) and the shell goes on. When commands come from a pipe or a file rather",
          "than a terminal, errors are prefixed with \"line N: \" and the exit status is 1 if any",
          "command failed, else 0; 2 means the database could not be opened.",
          "Interactive history is kept in ~/.kevo_history.");

  private final ShellBackend backend;
  private final PrintWriter out;
  private final PrintWriter err;
  private long lineNumber;
  private boolean numberErrors;

  /** What running one line did. */
  public enum Outcome {
    OK,
    FAILED,
    EXIT
  }

  public Shell(ShellBackend backend, PrintWriter out, PrintWriter err) {
    this.backend = backend;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs every line of {@code source} until its end or an exit command.
   *
   * @param interactive whether a person is typing: then failures are only shown, not counted
   * @return the exit status: 0, or 1 if not interactive and any command failed
   */
  public int run(LineSource source, boolean interactive) throws IOException {
    // In a script, say which line failed; a person at a terminal just typed it.
    numberErrors = !interactive;
    boolean anyFailed = false;
    String line;
    while ((line = source.readLine()) != null) {
      lineNumber++;
      Outcome outcome = execute(line);
      if (outcome == Outcome.EXIT) {
        break;
      }
      anyFailed |= outcome == Outcome.FAILED;
    }
    out.flush();
    err.flush();
    return !interactive && anyFailed ? 1 : 0;
  }

  /** Runs one line; output is flushed before returning. */
  public Outcome execute(String line) {
    try {
      Optional<Statement> statement = StatementParser.parse(line);
      return statement.isPresent() ? execute(statement.get()) : Outcome.OK;
    } catch (UsageException e) {
      return fail(e.getMessage());
    } catch (KevoException e) {
      LOG.debug("command failed: {}", line, e);
      return fail("error: " + e.getMessage());
    } catch (RuntimeException e) {
      // Not an engine error: a bug somewhere. Keep the shell alive but leave a trace.
      LOG.warn("unexpected failure running: {}", line, e);
      return fail("error: " + e);
    } finally {
      out.flush();
    }
  }

  // Pattern matching for switch is a preview feature in Java 17, hence the instanceof chain.
  private Outcome execute(Statement statement) {
    if (statement instanceof Statement.Put put) {
      backend.put(put.key(), put.value());
      out.println("OK");
    } else if (statement instanceof Statement.Get get) {
      out.println(backend.get(get.key()).map(ByteText::display).orElse("(not found)"));
    } else if (statement instanceof Statement.Delete delete) {
      backend.delete(delete.key());
      out.println("OK");
    } else if (statement instanceof Statement.Scan scan) {
      scan(scan);
    } else if (statement instanceof Statement.Stats) {
      printStats(backend.stats());
    } else if (statement instanceof Statement.Help) {
      out.println(HELP);
    } else if (statement instanceof Statement.Exit) {
      return Outcome.EXIT;
    } else {
      throw new IllegalStateException("unhandled statement " + statement);
    }
    return Outcome.OK;
  }

  private void scan(Statement.Scan scan) {
    long[] count = {0};
    backend.scan(
        scan.toScanOptions(),
        (key, value) -> {
          out.println(ByteText.display(key) + " = " + ByteText.display(value));
          count[0]++;
        });
    out.println("(" + count[0] + (count[0] == 1 ? " entry)" : " entries)"));
  }

  private void printStats(List<ShellBackend.Stat> stats) {
    int nameWidth = 0;
    int valueWidth = 0;
    for (ShellBackend.Stat stat : stats) {
      nameWidth = Math.max(nameWidth, stat.name().length());
      valueWidth = Math.max(valueWidth, stat.value().length());
    }
    String format = "%-" + nameWidth + "s  %" + valueWidth + "s%n";
    for (ShellBackend.Stat stat : stats) {
      out.printf(format, stat.name(), stat.value());
    }
  }

  private Outcome fail(String message) {
    err.println(numberErrors ? "line " + lineNumber + ": " + message : message);
    err.flush();
    return Outcome.FAILED;
  }
}
