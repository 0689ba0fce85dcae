package io.kevo.cli.shell;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.client.KevoClient;
import io.kevo.engine.KevoDB;
import io.kevo.engine.SyncMode;
import io.kevo.server.KevoServer;
import io.kevo.server.ServerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BEGIN / COMMIT / ROLLBACK in the shell, one scenario suite run over both backends: the embedded
 * engine and a server on an ephemeral port through the client.
 */
class ShellTransactionsTest {
  @TempDir Path dir;

  private KevoServer server;
  private ShellBackend backend;
  private Shell shell;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private void open(String mode) {
    if (mode.equals("embedded")) {
      backend = EmbeddedBackend.open(dir, SyncMode.NONE);
    } else {
      server =
          KevoServer.start(
              KevoDB.open(dir), ServerOptions.builder().listen("127.0.0.1", 0).build());
      backend = RemoteBackend.connect(KevoClient.connect(server.address()), false);
    }
    shell = new Shell(backend, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @AfterEach
  void close() {
    if (backend != null) {
      backend.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Runs lines; returns what they printed on stdout, one entry per line. */
  private List<String> run(String... lines) {
    out.getBuffer().setLength(0);
    for (String line : lines) {
      shell.execute(line);
    }
    return out.toString().lines().toList();
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "remote"})
  void commitAppliesWritesThatOnlyTheTransactionSawBefore(String mode) {
    open(mode);
    run("PUT old 1");

    assertThat(shell.prompt()).isEqualTo("kevo> ");
    assertThat(run("BEGIN", "PUT a 1", "PUT e \"\"", "DELETE old", "GET a", "GET old", "SCAN"))
        .containsExactly(
            "BEGIN", "OK", "OK", "OK", "1", "(not found)", "a = 1", "e = \"\"", "(2 entries)");
    assertThat(shell.prompt()).isEqualTo("kevo(tx)> ");
    assertThat(backend.get(b("a"))).isEmpty(); // not visible outside before COMMIT

    assertThat(run("COMMIT")).containsExactly("COMMIT");
    assertThat(shell.prompt()).isEqualTo("kevo> ");
    assertThat(run("GET a", "GET e", "GET old")).containsExactly("1", "\"\"", "(not found)");
    assertThat(err.toString()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "remote"})
  void rollbackDiscardsWrites(String mode) {
    open(mode);

    assertThat(run("BEGIN", "PUT a 1", "ROLLBACK", "GET a"))
        .containsExactly("BEGIN", "OK", "ROLLBACK", "(not found)");
    assertThat(shell.inTransaction()).isFalse();
    assertThat(err.toString()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "remote"})
  void conflictPrintsAClearErrorAndEndsTheTransaction(String mode) {
    open(mode);
    run("PUT k 0", "BEGIN", "PUT k mine");
    backend.put(b("k"), b("theirs")); // another writer commits first

    assertThat(shell.execute("COMMIT")).isEqualTo(Shell.Outcome.FAILED);

    assertThat(err.toString())
        .startsWith("error: transaction conflict: another writer changed the same keys first")
        .contains("rolled back");
    assertThat(shell.inTransaction()).isFalse();
    assertThat(shell.prompt()).isEqualTo("kevo> ");
    assertThat(run("GET k")).containsExactly("theirs");
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "remote"})
  void readOnlyTransactionReadsItsSnapshotAndRefusesWrites(String mode) {
    open(mode);
    run("PUT k 1", "BEGIN READONLY");
    assertThat(shell.prompt()).isEqualTo("kevo(tx ro)> ");
    backend.put(b("k"), b("2"));

    assertThat(run("GET k")).containsExactly("1");
    assertThat(shell.execute("PUT k 3")).isEqualTo(Shell.Outcome.FAILED);
    assertThat(err.toString()).startsWith("error: ");
    assertThat(run("COMMIT", "GET k")).containsExactly("COMMIT", "2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "remote"})
  void misuseIsReportedAndTheShellGoesOn(String mode) {
    open(mode);

    assertThat(shell.execute("COMMIT")).isEqualTo(Shell.Outcome.FAILED);
    assertThat(shell.execute("ROLLBACK")).isEqualTo(Shell.Outcome.FAILED);
    run("BEGIN");
    assertThat(shell.execute("BEGIN")).isEqualTo(Shell.Outcome.FAILED);
    assertThat(shell.inTransaction()).isTrue();
    run("PUT a 1");

    shell.endOpenTransaction(); // what leaving the shell does

    assertThat(err.toString().lines())
        .containsExactly(
            "no transaction is open (BEGIN starts one)",
            "no transaction is open (BEGIN starts one)",
            "a transaction is already open: COMMIT or ROLLBACK it first",
            "the open transaction was rolled back (no COMMIT before the end)");
    assertThat(backend.get(b("a"))).isEmpty();
  }
}
