package io.kevo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kevo server --metrics-listen HOST:PORT} and the {@code metrics-listen} config key. */
class ServerMetricsOptionTest {
  @TempDir Path dir;

  @Test
  void aValueThatIsNotHostPortIsAUsageError() {
    InProcessKevo.Run run =
        InProcessKevo.kevo(
            "", "server", "--data", dir.resolve("db").toString(), "--metrics-listen", "9464");
    assertThat(run.status()).isNotZero();
    assertThat(run.err())
        .contains("invalid value for --metrics-listen: '9464' (expected HOST:PORT");
    assertThat(dir.resolve("db")).doesNotExist();
  }

  @Test
  void aMetricsAddressInUseFromTheConfigFileStopsTheServerWithTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Path config = dir.resolve("kevo.properties");
      Files.writeString(
          config, "listen=127.0.0.1:0\nmetrics-listen=127.0.0.1:" + taken.getLocalPort() + "\n");
      InProcessKevo.Run run =
          InProcessKevo.kevo(
              "", "server", "--data", dir.resolve("db").toString(), "--config", config.toString());
      assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
      assertThat(run.err())
          .contains("error: cannot listen for metrics on 127.0.0.1:" + taken.getLocalPort());
    }
  }
}
