package io.kevo.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.kevo.client.ClientTransaction;
import io.kevo.client.KevoClient;
import io.kevo.client.KevoScan;
import io.kevo.client.KeyValue;
import io.kevo.client.Op;
import io.kevo.client.ScanSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable distribution end to end, as a user runs it: {@code java -jar kevo-cli.jar server} as
 * a process of its own, written to and read by {@link KevoClient} and by {@code kevo shell
 * --connect} (another process, with a script on stdin), stopped with SIGTERM, then restarted on the
 * same directory and read back by both.
 *
 * <p>A failsafe integration test: it runs after {@code package}, which builds the jar that the
 * {@code kevo.cli.jar} system property names and the {@code lib/} directory next to it.
 */
class DistributionEndToEndIT {
  @TempDir Path tmp;

  private Path jar;
  private Path data;

  /** Every committed write so far: what the database must hold, in key order. */
  private final SortedMap<String, String> expected = new TreeMap<>();

  @BeforeEach
  void locateDistribution() {
    String property = System.getProperty("kevo.cli.jar");
    assertThat(property).as("system property kevo.cli.jar (set by kevo-cli/pom.xml)").isNotNull();
    jar = Path.of(property);
    assertThat(jar).isRegularFile();
    assertThat(jar.resolveSibling("lib")).isDirectory();
    data = tmp.resolve("data");
  }

  @Test
  void committedWritesOfClientAndShellSurviveSigtermAndRestart() throws Exception {
    // The first run logs at INFO (as KEVO_JAVA_OPTS=-Dkevo.log.level=INFO would), so that the
    // log shows the shutdown steps: the open transaction rolled back, the engine closed.
    try (DistributionProcess.Server first =
            DistributionProcess.startServer(jar, tmp, data, "first", "-Dkevo.log.level=INFO");
        KevoClient client = KevoClient.connect(first.address())) {
      writeWithClient(client);
      writeWithShell(first);
      assertThat(client.get(b("shell:2"))).map(DistributionEndToEndIT::s).contains("two");
      assertThat(scan(client, ScanSpec.ALL)).containsExactlyEntriesOf(expected);

      // Left open on purpose: SIGTERM must roll it back, not commit it.
      ClientTransaction open = client.beginTransaction(false);
      open.put(b("uncommitted"), b("lost"));
      open.delete(b("key010"));
      assertThat(open.get(b("uncommitted"))).isPresent();

      assertThat(first.terminate()).as("exit status after SIGTERM").isZero();
      List<String> log = first.logLines();
      String text = String.join("\n", log);
      assertThat(log)
          .filteredOn(l -> l.contains("Kevo server listening on " + first.address()))
          .as("listening lines in:\n%s", text)
          .hasSize(1);
      assertThat(text)
          .contains("rolled back 1 open transactions at shutdown")
          .doesNotContain(" WARN ")
          .doesNotContain(" ERROR ")
          .doesNotContain("Exception");
      // The engine's close is the last thing the server does, then it says it stopped cleanly.
      assertThat(log.get(log.size() - 2)).contains("closed " + data + " at sequence ");
      assertThat(log.get(log.size() - 1))
          .containsPattern("INFO .* Kevo server stopped cleanly, last sequence [1-9]\\d*$");
      // Every line starts with an ISO-8601 date and time with its UTC offset.
      assertThat(log).allSatisfy(l -> assertThat(l).containsPattern(ISO_DATE_TIME));
    }

    // The restart runs with the default logging: its whole log is the line saying the port is
    // open (no authentication), the "listening" line and the clean stop.
    try (DistributionProcess.Server second =
            DistributionProcess.startServer(jar, tmp, data, "second");
        KevoClient client = KevoClient.connect(second.address())) {
      assertThat(scan(client, ScanSpec.ALL)).containsExactlyEntriesOf(expected);
      assertThat(client.get(b("uncommitted"))).isEmpty();
      assertThat(client.get(b("key010"))).map(DistributionEndToEndIT::s).contains("value10");
      assertThat(client.get(b("key000"))).isEmpty();
      assertThat(client.get(b("shell:1"))).map(DistributionEndToEndIT::s).contains("hello world");
      readBackWithShell(second);

      assertThat(second.terminate()).as("exit status after SIGTERM").isZero();
      assertThat(second.logLines()).hasSize(3);
      assertThat(second.logLines().get(0))
          .contains(second.address() + " is open: no authentication");
      assertThat(second.logLines().get(1)).contains("Kevo server listening on " + second.address());
      assertThat(second.logLines().get(2)).contains("Kevo server stopped cleanly, last sequence ");
    }
  }

  /** What a log line starts with: an ISO-8601 date and time with milliseconds and UTC offset. */
  private static final String ISO_DATE_TIME =
      "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) ";

  /** Puts (some synced), a batch, a delete and a committed transaction, checked by scans. */
  private void writeWithClient(KevoClient client) {
    for (int i = 0; i < 100; i++) {
      // Every tenth put waits for the log to be synced; the others rely on a clean shutdown.
      client.put(b(key(i)), b("value" + i), i % 10 == 9);
      expected.put(key(i), "value" + i);
    }

    client.batch(
        List.of(
            Op.put(b("batch:a"), b("A")), Op.put(b("batch:b"), b("B")), Op.delete(b("key099"))));
    expected.put("batch:a", "A");
    expected.put("batch:b", "B");
    expected.remove("key099");

    client.delete(b("key000"));
    expected.remove("key000");

    try (ClientTransaction tx = client.beginTransaction(false)) {
      tx.put(b("tx:committed"), b("yes"));
      tx.put(b("key002"), b("changed in tx"));
      tx.delete(b("key001"));
      assertThat(client.get(b("tx:committed"))).as("visible before commit").isEmpty();
      tx.commit();
      assertThat(tx.state()).isEqualTo(ClientTransaction.State.COMMITTED);
    }
    expected.put("tx:committed", "yes");
    expected.put("key002", "changed in tx");
    expected.remove("key001");

    assertThat(scan(client, ScanSpec.ALL)).containsExactlyEntriesOf(expected);
    assertThat(scan(client, ScanSpec.prefix(b("batch:"))))
        .containsExactly(entry("batch:a", "A"), entry("batch:b", "B"));
  }

  /** Writes and a committed transaction through {@code kevo shell --connect}, reading back. */
  private void writeWithShell(DistributionProcess.Server server)
      throws IOException, InterruptedException {
    List<String> out =
        shellOutput(
            server,
            "# reads the client's writes, writes some of its own",
            "PUT shell:1 \"hello world\"",
            "GET shell:1",
            "GET tx:committed",
            "GET key000",
            "BEGIN",
            "PUT shell:2 two",
            "DELETE batch:b",
            "GET shell:2",
            "COMMIT",
            "GET batch:b",
            "SCAN shell:");

    assertThat(out)
        .containsExactly(
            "OK",
            "\"hello world\"",
            "yes",
            "(not found)",
            "BEGIN",
            "OK",
            "OK",
            "two",
            "COMMIT",
            "(not found)",
            "shell:1 = \"hello world\"",
            "shell:2 = two",
            "(2 entries)");
    expected.put("shell:1", "hello world");
    expected.put("shell:2", "two");
    expected.remove("batch:b");
  }

  /** After the restart: the shell sees both tools' committed writes and nothing uncommitted. */
  private void readBackWithShell(DistributionProcess.Server server)
      throws IOException, InterruptedException {
    List<String> out =
        shellOutput(
            server,
            "GET shell:1",
            "GET shell:2",
            "GET batch:b",
            "GET key002",
            "GET key001",
            "GET key010",
            "GET uncommitted",
            // "uncommitted" sorts after "tx:", so this range would list it too.
            "SCAN RANGE tx: \"\"");

    assertThat(out)
        .containsExactly(
            "\"hello world\"",
            "two",
            "(not found)",
            "\"changed in tx\"",
            "(not found)",
            "value10",
            "(not found)",
            "tx:committed = yes",
            "(1 entry)");
  }

  /**
   * Runs {@code kevo shell --connect} against {@code server} with {@code script} on stdin, checks
   * it succeeded with nothing on stderr, and returns its output lines.
   */
  private List<String> shellOutput(DistributionProcess.Server server, String... script)
      throws IOException, InterruptedException {
    DistributionProcess.ShellRun run =
        DistributionProcess.runShell(jar, tmp, server.address(), script);
    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isEqualTo(ExitCodes.OK);
    return run.outLines();
  }

  /** Every pair {@code spec} selects, in the order the server streamed them. */
  private static Map<String, String> scan(KevoClient client, ScanSpec spec) {
    Map<String, String> pairs = new LinkedHashMap<>();
    try (KevoScan scan = client.scan(spec)) {
      while (scan.hasNext()) {
        KeyValue kv = scan.next();
        assertThat(pairs.put(s(kv.key()), s(kv.value()))).as("duplicate key").isNull();
      }
    }
    return pairs;
  }

  private static String key(int i) {
    return String.format("key%03d", i);
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private static String s(byte[] b) {
    return new String(b, UTF_8);
  }
}
