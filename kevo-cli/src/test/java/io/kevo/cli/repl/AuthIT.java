package io.kevo.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.cli.DistributionProcess;
import io.kevo.cli.ExitCodes;
import io.kevo.testkit.KevoDistribution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code kevo auth token}, {@code kevo server --auth-file} and {@code --token-file} as processes: a
 * writer's token writes, a reader's is refused a write, and a node asked to listen beyond loopback
 * without authentication does not start.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AuthIT extends ClusterFixture {
  @Test
  void tokensMadeByKevoAuthGrantTheirRolesToTheShell() throws Exception {
    Path writerToken = tmp.resolve("writer.token");
    Path readerToken = tmp.resolve("reader.token");
    DistributionProcess.ShellRun writer =
        cluster.kevo(
            "auth",
            "token",
            "app",
            "--roles",
            "read,write",
            "--token-file",
            writerToken.toString());
    DistributionProcess.ShellRun reader =
        cluster.kevo(
            "auth",
            "token",
            "dashboards",
            "--roles",
            "read",
            "--token-file",
            readerToken.toString());
    assertThat(writer.status()).as(writer.err()).isZero();
    assertThat(writer.out().strip()).matches("read,write token app sha256:[0-9a-f]{64}");
    assertThat(Files.getPosixFilePermissions(writerToken))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(writerToken)).doesNotContain("sha256");
    Path auth = tmp.resolve("kevo.auth");
    Files.writeString(auth, writer.out() + reader.out());

    ReplicationCluster.Node node =
        cluster.startStandalone("node", List.of(), "--auth-file", auth.toString());
    KevoDistribution kevo = KevoDistribution.locate();
    KevoDistribution.CommandRun asWriter =
        kevo.run(
            tmp.resolve("w"),
            "PUT k v\nGET k\n",
            Duration.ofSeconds(60),
            "shell",
            "--connect",
            node.address(),
            "--token-file",
            writerToken.toString());
    assertThat(asWriter.out().lines().toList()).as(asWriter.err()).containsExactly("OK", "v");

    KevoDistribution.CommandRun asReader =
        kevo.run(
            tmp.resolve("r"),
            "GET k\nPUT k nope\n",
            Duration.ofSeconds(60),
            "shell",
            "--connect",
            node.address(),
            "--token-file",
            readerToken.toString());
    assertThat(asReader.out().lines().findFirst()).hasValue("v");
    assertThat(asReader.out() + asReader.err())
        .contains("PERMISSION_DENIED")
        .contains("token dashboards lacks the role 'write'");
    assertThat(node.process().logText()).doesNotContain(Files.readString(readerToken).strip());

    DistributionProcess.ShellRun anonymous = cluster.kevo("status", node.address());
    assertThat(anonymous.status()).isNotZero();
    assertThat(anonymous.err()).contains("UNAUTHENTICATED");
  }

  @Test
  void aNodeAskedToListenBeyondLoopbackWithoutAuthenticationDoesNotStart() throws Exception {
    DistributionProcess.ShellRun open =
        cluster.kevo("server", "--data", tmp.resolve("open").toString(), "--listen", "0.0.0.0:0");
    assertThat(open.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(open.err())
        .contains("refusing to listen on 0.0.0.0 without authentication")
        .contains("--insecure");
  }
}
