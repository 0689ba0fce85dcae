package io.kevo.cli.shell;

import io.kevo.client.KevoClientException;
import io.kevo.engine.KevoException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;
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
          "  BEGIN [READONLY]       open a transaction: until COMMIT or ROLLBACK, GET, PUT,",
          "                         DELETE and SCAN see its snapshot and its own writes",
          "  COMMIT                 apply the transaction's writes atomically; if another",
          "                         writer changed the same keys first, nothing is written",
          "  ROLLBACK               discard the transaction's writes",
          "  .ack [LEVEL]           show or set (server only) how many replicas must confirm",
          "                         each write and COMMIT: async, replica:N, all, or default",
          "                         (the server's --replication-ack)",
          "  .stats                 database counters, grouped",
          "  .timing [on|off]       show or set whether each command's elapsed time is printed",
          "  .help                  this text",
          "  .exit                  leave (also exit, quit, Ctrl-D / end of input)",
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
          "Interactive history is kept in ~/.kevo_history. The prompt reads kevo(tx)> while a",
          "transaction is open (kevo(tx ro)> if read-only); leaving the shell rolls it back.");

  static final String PROMPT = "kevo> ";
  static final String TX_PROMPT = "kevo(tx)> ";
  static final String READ_ONLY_TX_PROMPT = "kevo(tx ro)> ";

  private final ShellBackend backend;
  private final PrintWriter out;
  private final PrintWriter err;
  private final LongSupplier nanoTime;
  private boolean timing;
  private long lineNumber;
  private boolean numberErrors;
  private ShellTransaction tx;

  /** What running one line did. */
  public enum Outcome {
    OK,
    FAILED,
    EXIT
  }

  public Shell(ShellBackend backend, PrintWriter out, PrintWriter err) {
    this(backend, out, err, System::nanoTime);
  }

  /** As above, timing commands ({@code .timing on}) with {@code nanoTime}. */
  public Shell(ShellBackend backend, PrintWriter out, PrintWriter err, LongSupplier nanoTime) {
    this.backend = backend;
    this.out = out;
    this.err = err;
    this.nanoTime = nanoTime;
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
    while ((line = source.readLine(prompt())) != null) {
      lineNumber++;
      Outcome outcome = execute(line);
      if (outcome == Outcome.EXIT) {
        break;
      }
      anyFailed |= outcome == Outcome.FAILED;
    }
    endOpenTransaction();
    out.flush();
    err.flush();
    return !interactive && anyFailed ? 1 : 0;
  }

  /** What to prompt with: {@code kevo> }, or {@code kevo(tx)> } while a transaction is open. */
  public String prompt() {
    if (tx == null) {
      return PROMPT;
    }
    return tx.readOnly() ? READ_ONLY_TX_PROMPT : TX_PROMPT;
  }

  /** Whether a transaction is open. */
  public boolean inTransaction() {
    return tx != null;
  }

  /** Rolls back a transaction left open (end of input, {@code .exit}), saying so on stderr. */
  public void endOpenTransaction() {
    if (tx != null) {
      tx.close();
      tx = null;
      err.println("the open transaction was rolled back (no COMMIT before the end)");
      err.flush();
    }
  }

  /**
   * Runs one line; output is flushed before returning. With {@code .timing on}, a command's result
   * is followed by {@code Time: 1.234 ms} on {@code out}, failed or not.
   */
  public Outcome execute(String line) {
    long started = nanoTime.getAsLong();
    boolean timed = timing;
    Outcome outcome = run(line);
    // The command that turns timing on is not timed; the one that turns it off is.
    if (timed && outcome != Outcome.EXIT && !line.isBlank() && !line.strip().startsWith("#")) {
      out.println("Time: " + elapsed(nanoTime.getAsLong() - started));
      out.flush();
    }
    return outcome;
  }

  /** {@code 0.250 ms}, {@code 12.500 ms}, {@code 1.250 s}. */
  static String elapsed(long nanos) {
    return nanos < 1_000_000_000L
        ? String.format(Locale.ROOT, "%.3f ms", nanos / 1e6)
        : String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
  }

  private Outcome run(String line) {
    try {
      Optional<Statement> statement = StatementParser.parse(line);
      return statement.isPresent() ? execute(statement.get()) : Outcome.OK;
    } catch (UsageException e) {
      return fail(e.getMessage());
    } catch (KevoException | KevoClientException e) {
      LOG.debug("command failed: {}", line, e);
      return fail("error: " + e.getMessage() + transactionEndedNote());
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
    KeyValueStore store = tx != null ? tx : backend;
    if (statement instanceof Statement.Put put) {
      store.put(put.key(), put.value());
      out.println(ok(store));
    } else if (statement instanceof Statement.Get get) {
      out.println(store.get(get.key()).map(ByteText::display).orElse("(not found)"));
    } else if (statement instanceof Statement.Delete delete) {
      store.delete(delete.key());
      out.println(ok(store));
    } else if (statement instanceof Statement.Scan scan) {
      scan(store, scan);
    } else if (statement instanceof Statement.Begin begin) {
      if (tx != null) {
        return fail("a transaction is already open: COMMIT or ROLLBACK it first");
      }
      tx = backend.begin(begin.readOnly());
      out.println(begin.readOnly() ? "BEGIN (read-only)" : "BEGIN");
    } else if (statement instanceof Statement.Commit) {
      return commit();
    } else if (statement instanceof Statement.Rollback) {
      if (tx == null) {
        return fail("no transaction is open (BEGIN starts one)");
      }
      ShellTransaction ending = tx;
      tx = null;
      try {
        ending.rollback();
      } finally {
        ending.close();
      }
      out.println("ROLLBACK");
    } else if (statement instanceof Statement.Ack ack) {
      String level = ack.level();
      boolean show = level == null;
      boolean reset = level != null && level.equalsIgnoreCase("default");
      try {
        out.println("ack " + backend.ackLevel(show, reset ? null : level));
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        return fail("error: " + e.getMessage());
      }
    } else if (statement instanceof Statement.Stats) {
      out.print(backend.stats().render());
    } else if (statement instanceof Statement.Timing t) {
      if (t.on() != null) {
        timing = t.on();
      }
      out.println("timing " + (timing ? "on" : "off"));
    } else if (statement instanceof Statement.Help) {
      out.println(HELP);
    } else if (statement instanceof Statement.Exit) {
      return Outcome.EXIT;
    } else {
      throw new IllegalStateException("unhandled statement " + statement);
    }
    return Outcome.OK;
  }

  /** Commits the open transaction; whatever happens, it is over afterwards. */
  private Outcome commit() {
    if (tx == null) {
      return fail("no transaction is open (BEGIN starts one)");
    }
    ShellTransaction ending = tx;
    tx = null;
    try {
      ending.commit();
      out.println(ending.readOnly() ? "COMMIT" : withNote("COMMIT"));
      return Outcome.OK;
    } catch (KevoException | KevoClientException e) {
      LOG.debug("commit failed", e);
      if (ShellBackend.isConflict(e)) {
        return fail(
            "error: transaction conflict: another writer changed the same keys first; nothing"
                + " was written, the transaction is rolled back ("
                + e.getMessage()
                + ")");
      }
      return fail("error: " + e.getMessage() + " (the transaction is over)");
    } finally {
      ending.close();
    }
  }

  /**
   * After a failed command inside a transaction: if the failure ended it (e.g. the server forgot an
   * idle transaction), leave transaction mode and say so.
   */
  private String transactionEndedNote() {
    if (tx != null && !tx.isOpen()) {
      tx.close();
      tx = null;
      return " (the transaction has ended; its writes are discarded)";
    }
    return "";
  }

  private void scan(KeyValueStore store, Statement.Scan scan) {
    long[] count = {0};
    store.scan(
        scan.toScanOptions(),
        (key, value) -> {
          out.println(ByteText.display(key) + " = " + ByteText.display(value));
          count[0]++;
        });
    out.println("(" + count[0] + (count[0] == 1 ? " entry)" : " entries)"));
  }

  /** {@code OK}, with where the write went if the backend has something to say (a replica). */
  private String ok(KeyValueStore store) {
    // Inside a transaction nothing is written before COMMIT.
    return store == backend ? withNote("OK") : "OK";
  }

  private String withNote(String result) {
    String note = backend.writeNote();
    return note.isEmpty() ? result : result + " " + note;
  }

  private Outcome fail(String message) {
    err.println(numberErrors ? "line " + lineNumber + ": " + message : message);
    err.flush();
    return Outcome.FAILED;
  }
}
