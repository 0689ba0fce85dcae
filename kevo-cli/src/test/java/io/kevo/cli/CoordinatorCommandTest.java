package io.kevo.cli;

import static io.kevo.cli.InProcessKevo.kevo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.cli.InProcessKevo.Run;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kevo coordinator}'s refusals, in-process: each is one line on stderr and status 2, before
 * anything listens. (The command serving, and stopping on SIGTERM, runs as a process in {@link
 * CoordinatorCommandIT}.)
 */
class CoordinatorCommandTest {
  @TempDir Path dir;

  @Test
  void aBadListenAddressIsAUsageError() {
    for (String bad : new String[] {"2181", "localhost:", "localhost:port", "127.0.0.1:70000"}) {
      Run run = kevo("", "coordinator", "--listen", bad, "--data", dir.toString());

      assertThat(run.status()).as(bad).isEqualTo(ExitCodes.FATAL);
      assertThat(run.err())
          .as(bad)
          .isEqualTo(
              "error: invalid value for --listen: '"
                  + bad
                  + "' (expected HOST:PORT, port 0-65535). Run 'kevo coordinator --help' for"
                  + " usage."
                  + System.lineSeparator());
    }
    assertThat(kevo("", "coordinator", "--listen", "no-such-host.invalid:2181").err())
        .startsWith("error: invalid value for --listen: 'no-such-host.invalid:2181' (unknown host")
        .hasLineCount(1);
  }

  @Test
  void addressesParseWithIpv6Brackets() throws Exception {
    assertThat(CoordinatorCommand.address("127.0.0.1:2181"))
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 2181));
    assertThat(CoordinatorCommand.address("[::1]:0").getAddress())
        .isEqualTo(InetAddress.getByName("::1"));
    assertThatThrownBy(() -> CoordinatorCommand.address(":2181"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFileWhereTheDataDirectoryShouldBeIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

    Run run = kevo("", "coordinator", "--listen", "127.0.0.1:0", "--data", file.toString());

    assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(run.err())
        .isEqualTo(
            "error: cannot use "
                + file
                + " as the coordinator's data directory: it is not a directory"
                + System.lineSeparator());

    Path under = file.resolve("zk");
    Run below = kevo("", "coordinator", "--listen", "127.0.0.1:0", "--data", under.toString());
    assertThat(below.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(below.err())
        .startsWith(
            "error: cannot use "
                + under
                + " as the coordinator's data directory: cannot create it (")
        .hasLineCount(1);
  }

  @Test
  void aTakenPortIsOneLineNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String listen = "127.0.0.1:" + taken.getLocalPort();

      Run run = kevo("", "coordinator", "--listen", listen, "--data", dir.toString());

      assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
      assertThat(run.err())
          .startsWith("error: cannot listen on " + listen + ": the port is taken (")
          .hasLineCount(1);
    }
  }
}
