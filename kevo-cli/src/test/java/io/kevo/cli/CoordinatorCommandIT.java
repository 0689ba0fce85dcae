package io.kevo.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.MemberRegistry;
import io.kevo.testkit.KevoDistribution;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kevo coordinator} as users run it: {@code java -jar kevo-cli.jar coordinator} as a process
 * of its own on a free port, used by a real {@link Coordinator} session that registers a member and
 * by {@code kevo status --coordinator} (another process), then stopped with SIGTERM. Also: a second
 * coordinator on the same port, and a status of a coordinator that is not there, each one line on
 * stderr (ZooKeeper's own warnings kept out of it).
 *
 * <p>A failsafe integration test: it runs the jar that {@code package} builds.
 */
@Timeout(180)
class CoordinatorCommandIT {
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Duration STOP = Duration.ofSeconds(30);

  @TempDir Path tmp;

  private KevoDistribution kevo;
  private Process coordinator;

  @BeforeEach
  void locateDistribution() {
    kevo = KevoDistribution.locate();
  }

  @AfterEach
  void stopCoordinator() throws InterruptedException {
    if (coordinator != null && coordinator.isAlive()) {
      coordinator.destroyForcibly();
      coordinator.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void servesASessionAndStopsCleanlyOnSigterm() throws Exception {
    int port = freePort();
    String address = "127.0.0.1:" + port;
    Path data = tmp.resolve("zk-data");
    Path log = tmp.resolve("coordinator.log");
    coordinator = start(log, "--listen", address, "--data", data.toString());
    String listening =
        "Kevo coordinator listening on "
            + address
            + " (ZooKeeper, data "
            + data
            + "): a single server for development; production uses an ensemble of 3 or 5";
    awaitLine(log, listening);

    MemberInfo n1 = new MemberInfo("n1", "127.0.0.1:50051", "replica", 0, 0, 7, false);
    try (Coordinator session = Coordinator.start(CoordinatorOptions.of(address, "dev"))) {
      assertThat(session.awaitLive(Duration.ofSeconds(20))).as("session with " + address).isTrue();
      try (MemberRegistry registry = MemberRegistry.register(session, n1)) {
        assertThat(registry.awaitRegistered(Duration.ofSeconds(20))).isTrue();
        assertThat(MemberRegistry.readMembers(session)).containsExactly(n1);

        KevoDistribution.CommandRun status =
            kevo.run(
                tmp,
                Duration.ofSeconds(60),
                "status",
                "--coordinator",
                address,
                "--cluster",
                "dev");
        assertThat(status.status()).as(status.err()).isZero();
        assertThat(status.err()).isEmpty();
        assertThat(status.out())
            .contains("Cluster dev on coordinator " + address)
            .containsPattern("n1 +127\\.0\\.0\\.1:50051 +replica +0 +0 +7 +- +no");
      }
    }
    // ZooKeeper keeps its files under the data directory.
    assertThat(data.resolve("log")).isDirectory();
    assertThat(data.resolve("snapshots")).isDirectory();

    coordinator.destroy(); // SIGTERM
    assertThat(coordinator.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)).as("exited").isTrue();
    assertThat(coordinator.exitValue()).as("exit status after SIGTERM").isZero();
    List<String> lines = Files.readAllLines(log, UTF_8);
    // The default logging: where it listens, that it stopped; nothing from ZooKeeper itself.
    assertThat(lines).as(String.join("\n", lines)).hasSize(2);
    assertThat(lines.get(0)).contains(" INFO ").endsWith(listening);
    assertThat(lines.get(1)).contains(" INFO ").endsWith("Kevo coordinator stopped cleanly");
  }

  @Test
  void aSecondCoordinatorOnTheSamePortIsRefusedInOneLine() throws Exception {
    Path log = tmp.resolve("first.log");
    Path portFile = tmp.resolve("first.port");
    coordinator =
        start(
            log,
            "--listen",
            "127.0.0.1:0",
            "--data",
            tmp.resolve("a").toString(),
            "--port-file",
            portFile.toString());
    awaitLine(log, "Kevo coordinator listening on 127.0.0.1:");
    // Port 0 picked a free one; the port file says which, as the log line does.
    String address = "127.0.0.1:" + Files.readString(portFile, UTF_8);
    assertThat(Files.readString(log, UTF_8)).contains("Kevo coordinator listening on " + address);

    KevoDistribution.CommandRun second =
        kevo.run(
            tmp,
            Duration.ofSeconds(60),
            "coordinator",
            "--listen",
            address,
            "--data",
            tmp.resolve("b").toString());

    assertThat(second.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(second.out()).isEmpty();
    assertThat(second.err())
        .startsWith("error: cannot listen on " + address + ": the port is taken (")
        .hasLineCount(1);
    assertThat(coordinator.isAlive()).as("the first one still serves").isTrue();
  }

  @Test
  void statusOfACoordinatorThatIsNotThereIsOneLineAndStatusTwo() throws Exception {
    String address = "127.0.0.1:" + freePort();

    KevoDistribution.CommandRun run =
        kevo.run(
            tmp, Duration.ofSeconds(60), "status", "--coordinator", address, "--cluster", "dev");

    assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "error: cannot reach the coordinator "
                + address
                + " within 5 s (is it running? kevo coordinator --listen HOST:PORT starts one)"
                + System.lineSeparator());
  }

  /** {@code kevo coordinator args...} with stdout and stderr in {@code log}. */
  private Process start(Path log, String... args) throws IOException {
    List<String> kevoArgs = new ArrayList<>();
    kevoArgs.add("coordinator");
    kevoArgs.addAll(List.of(args));
    return new ProcessBuilder(kevo.command(List.of(), kevoArgs))
        .directory(tmp.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** Waits until {@code log} has a line containing {@code text}; fails if the process ends. */
  private void awaitLine(Path log, String text) {
    await()
        .atMost(STARTUP)
        .pollInterval(Duration.ofMillis(100))
        .failFast("the coordinator exited", () -> !coordinator.isAlive())
        .until(() -> Files.exists(log) && Files.readString(log, UTF_8).contains(text));
  }

  /** A port free a moment ago on 127.0.0.1. */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
