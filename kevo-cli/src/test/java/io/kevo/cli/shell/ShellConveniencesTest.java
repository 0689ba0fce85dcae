package io.kevo.cli.shell;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.engine.SyncMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code .timing} and key completion, over an embedded database. */
class ShellConveniencesTest {
  @TempDir Path dir;
  private EmbeddedBackend backend;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void open() {
    backend = EmbeddedBackend.open(dir, SyncMode.NONE);
  }

  @AfterEach
  void close() {
    backend.close();
  }

  @Test
  void timingOnPrintsEachCommandsElapsedTimeAfterItsResultUntilTurnedOff() {
    // Every reading of the clock moves it 1.5 ms: each command takes exactly that long.
    AtomicLong clock = new AtomicLong();
    Shell shell =
        new Shell(
            backend,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            () -> clock.getAndAdd(1_500_000));

    for (String line :
        List.of("PUT a 1", ".timing", ".timing on", "GET a", "GET \"", ".timing off", "GET a")) {
      shell.execute(line);
    }

    assertThat(out.toString().lines())
        .containsExactly(
            "OK",
            "timing off",
            "timing on",
            "1",
            "Time: 1.500 ms",
            // A failed command is timed too (its error went to stderr).
            "Time: 1.500 ms",
            "timing off",
            "Time: 1.500 ms",
            "1");
    assertThat(err.toString()).contains("unterminated");
  }

  @Test
  void elapsedTimesSwitchToSecondsFromOneSecond() {
    assertThat(Shell.elapsed(250_000)).isEqualTo("0.250 ms");
    assertThat(Shell.elapsed(999_999_999)).isEqualTo("1000.000 ms");
    assertThat(Shell.elapsed(1_250_000_000)).isEqualTo("1.250 s");
  }

  @Test
  void timingTakesOnOrOffOnly() throws UsageException {
    assertThatThrownBy(() -> StatementParser.parse(".timing maybe"))
        .hasMessage("usage: .timing [on | off]");
    assertThat(StatementParser.parse(".TIMING ON")).contains(new Statement.Timing(true));
  }

  @Test
  void keysAreCompletedFromAPrefixScanBoundedToFifty() {
    for (int i = 0; i < 60; i++) {
      backend.put(String.format("user:%02d", i).getBytes(UTF_8), "v".getBytes(UTF_8));
    }
    backend.put("other".getBytes(UTF_8), "v".getBytes(UTF_8));
    backend.put("user name".getBytes(UTF_8), "v".getBytes(UTF_8));
    KeyCompleter completer = new KeyCompleter(backend::keys);

    List<String> users = complete(completer, "GET user:");
    assertThat(users).hasSize(KeyCompleter.LIMIT).allMatch(k -> k.startsWith("user:"));
    assertThat(users.get(0)).isEqualTo("user:00");

    // Offered as the shell prints them, quoted where a space needs it; DELETE and PUT too.
    assertThat(complete(completer, "delete user ")).isEmpty();
    assertThat(complete(completer, "DELETE user")).contains("\"user name\"", "user:00");
    assertThat(complete(completer, "PUT oth")).containsExactly("other");
  }

  @Test
  void commandWordsAreCompletedFirstAndOtherArgumentsNot() {
    KeyCompleter completer = new KeyCompleter(backend::keys);

    assertThat(complete(completer, ".ti")).contains(".timing", ".stats", "GET");
    assertThat(complete(completer, "SCAN u")).isEmpty();
    assertThat(complete(completer, "PUT k v")).isEmpty();
  }

  @Test
  void aFailingScanOffersNothingInsteadOfBreakingTheLine() {
    KeyCompleter completer =
        new KeyCompleter(
            (prefix, limit) -> {
              throw new IllegalStateException("server gone");
            });

    assertThat(complete(completer, "GET a")).isEmpty();
  }

  /** The candidates for {@code line} with the cursor at its end. */
  private static List<String> complete(KeyCompleter completer, String line) {
    ParsedLine parsed = new DefaultParser().parse(line, line.length());
    List<Candidate> candidates = new ArrayList<>();
    completer.complete(null, parsed, candidates);
    return candidates.stream().map(Candidate::value).toList();
  }
}
