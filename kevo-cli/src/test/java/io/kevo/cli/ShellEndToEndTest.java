package io.kevo.cli;

import static io.kevo.cli.InProcessKevo.kevo;
import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.cli.InProcessKevo.Run;
import io.kevo.engine.KevoDB;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code kevo shell} in-process with a script on stdin, as {@code printf ... | kevo shell}.
 */
class ShellEndToEndTest {
  @TempDir Path dir;

  private Run shell(String script) {
    return kevo(script, "shell", "--data", dir.toString());
  }

  @Test
  void scriptedSessionPrintsOnlyResults() {
    Run run =
        shell(
            String.join(
                "\n",
                "PUT user:1 alice",
                "put user:2 \"bob smith\"",
                "PUT empty \"\"",
                "PUT zeta z",
                "GET user:1",
                "GET user:2",
                "GET empty",
                "GET missing",
                "SCAN user:",
                "SCAN RANGE empty user:2",
                "DELETE user:1",
                "get user:1",
                "SCAN",
                ""));

    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isEqualTo(ExitCodes.OK);
    assertThat(run.outLines())
        .containsExactly(
            "OK",
            "OK",
            "OK",
            "OK",
            "alice",
            "\"bob smith\"",
            "\"\"",
            "(not found)",
            "user:1 = alice",
            "user:2 = \"bob smith\"",
            "(2 entries)",
            "empty = \"\"",
            "user:1 = alice",
            "(2 entries)",
            "OK",
            "(not found)",
            "empty = \"\"",
            "user:2 = \"bob smith\"",
            "zeta = z",
            "(3 entries)");
  }

  @Test
  void dataSurvivesReopen() {
    assertThat(shell("PUT k1 v1\nPUT k2 \"two words\"\nPUT gone x\nDELETE gone\n").status())
        .isZero();

    Run reopened = shell("GET k1\nGET k2\nGET gone\nSCAN k\n");

    assertThat(reopened.status()).isZero();
    assertThat(reopened.outLines())
        .containsExactly(
            "v1", "\"two words\"", "(not found)", "k1 = v1", "k2 = \"two words\"", "(2 entries)");

    try (KevoDB db = KevoDB.open(dir)) {
      assertThat(db.get("k1".getBytes(StandardCharsets.UTF_8)))
          .hasValueSatisfying(v -> assertThat(v).isEqualTo("v1".getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void binaryValuesAreShownEscaped() {
    Run run = shell("PUT bin \"\\x00\\xff\\n\"\nGET bin\nSCAN b\n");

    assertThat(run.outLines())
        .containsExactly("OK", "\"\\x00\\xff\\n\"", "bin = \"\\x00\\xff\\n\"", "(1 entry)");
    try (KevoDB db = KevoDB.open(dir)) {
      assertThat(db.get("bin".getBytes(StandardCharsets.UTF_8)))
          .hasValueSatisfying(v -> assertThat(v).containsExactly(0x00, 0xff, '\n'));
    }
  }

  @Test
  void statsPrintsGroupedHumanFormattedEngineCounters() {
    Run run = shell("PUT a 1\nPUT b 2\n.stats\n");

    assertThat(run.status()).isZero();
    List<String> report = run.outLines().subList(2, run.outLines().size());
    assertThat(report)
        .contains("Data", "Writes and reads", "Memtables", "Write-ahead log", "SSTables", "Health")
        .noneMatch(l -> l.contains("null"));
    assertThat(String.join("\n", report))
        .containsPattern("\n  latest sequence +2\n")
        .containsPattern("\n  puts +2\n")
        // No flush yet: no meaningless figure.
        .containsPattern("\n  write amplification +- \\(no flush yet\\)\n")
        .containsPattern("\n  size +\\d+\\.\\d (KiB|MiB)\n")
        .containsPattern("\n  bytes written +4 B\n")
        .containsPattern("\n  writes +accepted$");
    // Every value starts in one column, whatever its section.
    int column = report.get(1).indexOf('2');
    assertThat(report)
        .filteredOn(l -> l.startsWith("  "))
        .allSatisfy(
            l -> assertThat(l.charAt(column - 1) == ' ' && l.charAt(column) != ' ').as(l).isTrue());
  }

  @Test
  void failedCommandsAreReportedAndMakeTheExitStatusOne() {
    Run run = shell("PUT a\nFETCH a\nPUT a 1\nPUT \"unterminated\nCOMMIT\nGET a\n");

    assertThat(run.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
    // The shell kept going after each failure.
    assertThat(run.outLines()).containsExactly("OK", "1");
    assertThat(run.err().lines().toList())
        .containsExactly(
            "line 1: usage: PUT key value",
            "line 2: unknown command: FETCH (type .help for the list)",
            "line 4: unterminated quote: add the closing \"",
            "line 5: no transaction is open (BEGIN starts one)");
  }

  @Test
  void exitStopsReadingAndKeepsTheStatusSoFar() {
    Run ok = shell("PUT a 1\n.exit\nPUT b 2\n");
    assertThat(ok.status()).isZero();
    assertThat(ok.outLines()).containsExactly("OK");
    assertThat(shell("GET b\n").outLines()).containsExactly("(not found)");

    Run failed = shell("nope\nquit\n");
    assertThat(failed.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
  }

  @Test
  void emptyInputIsASuccessfulSession() {
    Run run = shell("");
    assertThat(run.status()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void helpDocumentsCommandsAndTheExitStatusRule() {
    Run run = shell(".help\n");
    assertThat(run.status()).isZero();
    assertThat(run.out())
        .contains("PUT key value", "SCAN RANGE start end", ".stats")
        .contains("BEGIN [READONLY]", "COMMIT", "ROLLBACK", "kevo(tx)>")
        .contains("exit status is 1 if any");
  }

  @Test
  void lockedDatabaseIsFatalWithExitTwo() {
    try (KevoDB holder = KevoDB.open(dir)) {
      Run run = shell("PUT a 1\n");

      assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
      assertThat(run.out()).isEmpty();
      String prefix = "error: cannot open database at " + dir.toAbsolutePath() + ": ";
      assertThat(run.err()).startsWith(prefix);
      assertThat(run.err().strip()).hasSizeGreaterThan(prefix.length());
      assertThat(holder.get("a".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
  }

  @Test
  void syncModeIsCaseInsensitiveAndValidated() {
    assertThat(kevo("PUT a 1\n", "shell", "--data", dir.toString(), "--sync", "IMMEDIATE").status())
        .isZero();
    assertThat(kevo("GET a\n", "shell", "--data", dir.toString(), "--sync", "none").out())
        .isEqualTo("1\n");

    Run bad = kevo("", "shell", "--data", dir.toString(), "--sync", "sometimes");
    assertThat(bad.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(bad.err()).contains("--sync", "sometimes");
  }

  @Test
  void versionAndMissingSubcommand() {
    Run version = kevo("", "--version");
    assertThat(version.status()).isZero();
    // The build wrote the version and commit (kevo-cli/pom.xml, build-info) next to the classes.
    assertThat(version.out())
        .startsWith("kevo " + VersionProvider.buildInfo().getProperty("version") + " (commit ")
        .containsPattern("^kevo \\S+ \\(commit (unknown|[0-9a-f]{12}(-dirty)?)\\)\n")
        .contains("\nJava " + System.getProperty("java.version"));

    Run none = kevo("");
    assertThat(none.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(none.err()).contains("missing command", "shell").hasLineCount(1);
  }
}
