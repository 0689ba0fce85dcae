package io.kevo.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.client.KevoClient;
import io.kevo.proto.GetNodeInfoResponse.NodeRole;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kevo server --config docs/kevo.properties}, the commented sample configuration, as a
 * process of its own: the server's own config loading takes every key of it and serves. ({@code
 * --data} and {@code --listen} flags override the file's, as the README says, so the test runs in
 * its own directory on a free port.) {@link SampleConfigTest} checks the values are the defaults.
 */
class SampleConfigIT {
  @TempDir Path tmp;

  @Test
  void aServerStartsWithTheSampleConfigAndServes() throws Exception {
    Path jar = Path.of(System.getProperty("kevo.cli.jar"));
    Path config = SampleConfigTest.SAMPLE.toAbsolutePath().normalize();
    try (DistributionProcess.Server server =
            DistributionProcess.startServer(
                jar,
                tmp,
                tmp.resolve("data"),
                "sample",
                "127.0.0.1:0",
                List.of(),
                List.of("--config", config.toString()));
        KevoClient client = KevoClient.connect(server.address())) {
      client.put("k".getBytes(UTF_8), "v".getBytes(UTF_8));
      assertThat(client.get("k".getBytes(UTF_8)))
          .hasValueSatisfying(v -> assertThat(new String(v, UTF_8)).isEqualTo("v"));
      assertThat(client.nodeInfo().getNodeRole()).isEqualTo(NodeRole.STANDALONE);
      client.close();
      assertThat(server.terminate()).as("exit status after SIGTERM").isZero();
      assertThat(server.logText()).doesNotContain(" ERROR ").doesNotContain(" WARN ");
    }
  }
}
