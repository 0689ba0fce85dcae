package io.kevo.cli.shell;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tab completion in the interactive shell: command words first, then, after {@code GET}, {@code
 * DELETE} or {@code PUT}, keys starting with what was typed, from a prefix scan bounded to {@link
 * #LIMIT} keys so that a large database stays responsive. A key is offered as the shell would print
 * it ({@link ByteText#display}); a typed prefix with quotes or escapes is not completed. A failing
 * scan (a server gone) offers nothing. Called on JLine's reading thread only.
 */
public final class KeyCompleter implements Completer {
  /** The most keys one completion scans and offers. */
  public static final int LIMIT = 50;

  static final List<String> COMMANDS =
      List.of(
          "PUT",
          "GET",
          "DELETE",
          "SCAN",
          "BEGIN",
          "COMMIT",
          "ROLLBACK",
          ".ack",
          ".stats",
          ".timing",
          ".help",
          ".exit");

  private static final Logger LOG = LoggerFactory.getLogger(KeyCompleter.class);
  private static final List<String> KEYED = List.of("get", "delete", "put");

  private final BiFunction<byte[], Integer, List<byte[]>> keys;

  /**
   * @param keys up to the given number of keys starting with the given prefix, in order (e.g.
   *     {@link ShellBackend#keys})
   */
  public KeyCompleter(BiFunction<byte[], Integer, List<byte[]>> keys) {
    this.keys = keys;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    if (line.wordIndex() == 0) {
      for (String c : COMMANDS) {
        candidates.add(new Candidate(c));
      }
      return;
    }
    if (line.wordIndex() != 1 || !KEYED.contains(line.words().get(0).toLowerCase(Locale.ROOT))) {
      return;
    }
    String typed = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
    if (typed.contains("\"") || typed.contains("\\")) {
      return;
    }
    try {
      for (byte[] key : keys.apply(typed.getBytes(StandardCharsets.UTF_8), LIMIT)) {
        String shown = ByteText.display(key);
        // PUT wants a value next; GET and DELETE are complete after the key.
        candidates.add(new Candidate(shown, shown, null, null, null, null, true));
      }
    } catch (RuntimeException e) {
      LOG.debug("key completion for '{}' failed", typed, e);
    }
  }
}
