package io.kevo.cli.shell;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a shell line into a {@link Statement}. Command words are case-insensitive; blank lines and
 * lines starting with {@code #} are no statement at all.
 */
public final class StatementParser {
  static final String PUT_USAGE = "usage: PUT key value";
  static final String GET_USAGE = "usage: GET key";
  static final String DELETE_USAGE = "usage: DELETE key";
  static final String SCAN_USAGE = "usage: SCAN [prefix] | SCAN RANGE start end";
  static final String BEGIN_USAGE = "usage: BEGIN [READONLY]";
  static final String TIMING_USAGE = "usage: .timing [on | off]";
  static final String ACK_USAGE = "usage: .ack [async | replica:N | all | default]";

  private StatementParser() {}

  /**
   * The statement on {@code line}, or empty for a blank line or a comment.
   *
   * @throws UsageException for malformed quoting, unknown commands and wrong arguments; the message
   *     says what was expected
   */
  public static Optional<Statement> parse(String line) throws UsageException {
    if (line.isBlank() || line.strip().startsWith("#")) {
      return Optional.empty();
    }
    List<Token> tokens = Tokenizer.tokenize(line);
    if (tokens.isEmpty()) {
      return Optional.empty();
    }
    String verb = tokens.get(0).text().toLowerCase(Locale.ROOT);
    List<Token> args = tokens.subList(1, tokens.size());
    return Optional.of(
        switch (verb) {
          case "put" -> {
            expect(args, 2, PUT_USAGE);
            yield new Statement.Put(args.get(0).bytes(), args.get(1).bytes());
          }
          case "get" -> {
            expect(args, 1, GET_USAGE);
            yield new Statement.Get(args.get(0).bytes());
          }
          case "delete" -> {
            expect(args, 1, DELETE_USAGE);
            yield new Statement.Delete(args.get(0).bytes());
          }
          case "scan" -> scan(args);
          case ".stats" -> {
            expect(args, 0, "usage: .stats");
            yield new Statement.Stats();
          }
          case ".ack" -> {
            if (args.size() > 1) {
              throw new UsageException(ACK_USAGE);
            }
            yield new Statement.Ack(args.isEmpty() ? null : args.get(0).text());
          }
          case ".timing" -> timing(args);
          case ".help", "help" -> new Statement.Help();
          case ".exit", "exit", "quit" -> {
            expect(args, 0, "usage: .exit");
            yield new Statement.Exit();
          }
          case "begin" -> begin(args);
          case "commit" -> {
            expect(args, 0, "usage: COMMIT");
            yield new Statement.Commit();
          }
          case "rollback" -> {
            expect(args, 0, "usage: ROLLBACK");
            yield new Statement.Rollback();
          }
          default ->
              throw new UsageException(
                  "unknown command: " + tokens.get(0).text() + " (type .help for the list)");
        });
  }

  private static Statement timing(List<Token> args) throws UsageException {
    if (args.isEmpty()) {
      return new Statement.Timing(null);
    }
    if (args.size() == 1 && args.get(0).isKeyword("on")) {
      return new Statement.Timing(true);
    }
    if (args.size() == 1 && args.get(0).isKeyword("off")) {
      return new Statement.Timing(false);
    }
    throw new UsageException(TIMING_USAGE);
  }

  private static Statement begin(List<Token> args) throws UsageException {
    if (args.isEmpty()) {
      return new Statement.Begin(false);
    }
    if (args.size() == 1 && args.get(0).isKeyword("readonly")) {
      return new Statement.Begin(true);
    }
    throw new UsageException(BEGIN_USAGE);
  }

  private static Statement scan(List<Token> args) throws UsageException {
    if (args.isEmpty()) {
      return new Statement.Scan(null, null, null);
    }
    if (args.get(0).isKeyword("range")) {
      if (args.size() != 3) {
        throw new UsageException("usage: SCAN RANGE start end");
      }
      byte[] end = args.get(2).bytes();
      // An empty end would make [start, "") empty; it is more useful as "no upper bound".
      return new Statement.Scan(null, args.get(1).bytes(), end.length == 0 ? null : end);
    }
    if (args.size() != 1) {
      throw new UsageException(SCAN_USAGE);
    }
    return new Statement.Scan(args.get(0).bytes(), null, null);
  }

  private static void expect(List<Token> args, int count, String usage) throws UsageException {
    if (args.size() != count) {
      throw new UsageException(usage);
    }
  }
}
