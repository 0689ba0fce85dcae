package io.kevo.cli;

import static io.kevo.cli.InProcessKevo.kevo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.cli.InProcessKevo.Run;
import io.kevo.engine.KevoDB;
import io.kevo.server.KevoServer;
import io.kevo.server.ServerOptions;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kevo shell --connect} and {@code kevo status} in-process against a server on an ephemeral
 * port, as {@code printf ... | kevo shell --connect HOST:PORT} would run them.
 */
class RemoteShellEndToEndTest {
  @TempDir Path dir;
  private KevoServer server;

  @BeforeEach
  void start() {
    server =
        KevoServer.start(KevoDB.open(dir), ServerOptions.builder().listen("127.0.0.1", 0).build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void ackSetsTheAcknowledgementLevelOfRemoteWrites() {
    Run run =
        kevo(
            String.join(
                "\n",
                ".ack",
                ".ack all",
                "PUT a 1",
                "BEGIN",
                "PUT b 2",
                "COMMIT",
                ".ack replica:1",
                "PUT c 3",
                ".ack replica:x",
                ".ack default",
                "PUT c 3",
                ""),
            "shell",
            "--connect",
            server.address());
    // A standalone node has no replica: replica:1 is refused before anything is written.
    assertThat(run.outLines())
        .containsExactly(
            "ack default (the server's --replication-ack)",
            "ack all",
            "OK",
            "BEGIN",
            "OK",
            "COMMIT",
            "ack replica:1",
            "ack default (the server's --replication-ack)",
            "OK");
    assertThat(run.err())
        .contains("line 8: error: FAILED_PRECONDITION: this node is standalone")
        .contains("line 9: error: acknowledgement level must be async, replica:N");
    assertThat(run.status()).isEqualTo(1);
    assertThat(server.db().get("c".getBytes(UTF_8))).isPresent();
  }

  @Test
  void ackIsRefusedOnAnEmbeddedDatabase() {
    Run run = kevo(".ack all\n", "shell", "--data", dir.resolve("embedded").toString());
    assertThat(run.err()).contains("acknowledgement levels need a server");
  }

  @Test
  void scriptedRemoteSessionWithTransactions() {
    Run run =
        kevo(
            String.join(
                "\n",
                "PUT user:1 alice",
                "PUT empty \"\"",
                "GET user:1",
                "GET empty",
                "GET missing",
                "BEGIN",
                "PUT user:2 bob",
                "GET user:2",
                "COMMIT",
                "BEGIN",
                "DELETE user:1",
                "ROLLBACK",
                "SCAN user:",
                "BEGIN READONLY",
                "SCAN RANGE empty user:2",
                "COMMIT",
                ".stats",
                ""),
            "shell",
            "--connect",
            server.address());

    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isEqualTo(ExitCodes.OK);
    assertThat(run.outLines().subList(0, 19))
        .containsExactly(
            "OK",
            "OK",
            "alice",
            "\"\"",
            "(not found)",
            "BEGIN",
            "OK",
            "bob",
            "COMMIT",
            "BEGIN",
            "OK",
            "ROLLBACK",
            "user:1 = alice",
            "user:2 = bob",
            "(2 entries)",
            "BEGIN (read-only)",
            "empty = \"\"",
            "user:1 = alice",
            "(2 entries)");
    assertThat(run.outLines()).contains("COMMIT");
    assertThat(run.outLines()).anySatisfy(l -> assertThat(l).matches("  keys +3"));
    assertThat(run.outLines()).contains("Keys and storage", "Operations");
    assertThat(server.db().get("user:2".getBytes(UTF_8))).isPresent();
  }

  @Test
  void serverErrorsAreShownWithTheirStatusAndTheShellGoesOn() {
    Run run = kevo("PUT \"\" v\nGET a\n", "shell", "--connect", server.address());

    assertThat(run.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
    assertThat(run.err()).startsWith("line 1: error: INVALID_ARGUMENT: ");
    assertThat(run.outLines()).containsExactly("(not found)");
  }

  @Test
  void transactionLeftOpenAtEndOfInputIsRolledBack() {
    Run run = kevo("BEGIN\nPUT a 1\n", "shell", "--connect", server.address());

    assertThat(run.status()).isZero();
    assertThat(run.err()).contains("rolled back");
    assertThat(server.db().get("a".getBytes(UTF_8))).isEmpty();
  }

  @Test
  void dataAndConnectExcludeEachOther() {
    Run run =
        kevo("", "shell", "--data", dir.resolve("x").toString(), "--connect", server.address());

    assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(run.err()).contains("--data and --connect exclude each other");
  }

  @Test
  void unreachableServerIsFatal() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free once closed: nobody listens there
    }
    Run run = kevo("GET a\n", "shell", "--connect", "127.0.0.1:" + port);

    assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(run.err())
        .startsWith("error: cannot reach a Kevo server at 127.0.0.1:" + port + ": UNAVAILABLE");

    Run status = kevo("", "status", "127.0.0.1:" + port);
    assertThat(status.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(status.err()).startsWith("error: cannot get the status of 127.0.0.1:");

    Run bad = kevo("", "shell", "--connect", "no-port");
    assertThat(bad.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(bad.err()).contains("HOST:PORT");
  }

  @Test
  void statusPrintsNodeInfoAndKeyStatsAsTables() {
    kevo("PUT a 1\nPUT b 2\nGET a\n", "shell", "--connect", server.address());

    Run run = kevo("", "status", server.address());

    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isZero();
    List<String> lines = run.outLines();
    assertThat(lines.get(0)).isEqualTo("Node " + server.address());
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("  role +STANDALONE"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("  version +\\S+"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("  last sequence +[1-9]\\d*"));
    assertThat(lines).contains("Keys and storage");
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("  keys +2"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("  storage size +\\d.*"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("Operations"));
    // calls, then avg, min and max latency
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("  Put +2( +[\\d.,]+ (us|ms)){3}"));
    // Within a section the value column starts at one offset.
    int keysAt = lines.indexOf("Keys and storage");
    assertThat(valueColumn(lines.get(keysAt + 1))).isEqualTo(valueColumn(lines.get(keysAt + 2)));
    assertThat(valueColumn(lines.get(1))).isEqualTo(valueColumn(lines.get(2)));
  }

  /** Where the value starts in a " name value" row: after the first run of 2+ spaces. */
  private static int valueColumn(String row) {
    Matcher m = Pattern.compile("^  \\S.*?\\s{2,}").matcher(row);
    assertThat(m.find()).as(row).isTrue();
    return m.end();
  }
}
