package io.kevo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.server.KevoServer;
import io.kevo.server.NodeRole;
import io.kevo.server.ServerOptions;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kevo promote} and {@code kevo repoint} in-process against servers on ephemeral ports: what
 * they print and their exit status when the node refuses or cannot be reached. (The failover itself
 * is exercised with separate processes in {@code ReplicationFailoverIT}.)
 */
class AdminCommandsTest {
  @TempDir Path dir;
  private final List<KevoServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(KevoServer::close);
  }

  private KevoServer server(String name, NodeRole role) {
    KevoServer s =
        KevoServer.start(
            KevoDB.open(dir.resolve(name), Options.builder().holdWalAtOpen(true).build()),
            ServerOptions.builder().role(role).listen("127.0.0.1", 0).build());
    servers.add(s);
    return s;
  }

  private record Run(int status, String out, String err) {}

  private static Run kevo(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        Main.execute(
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            false);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void promotingAPrimaryReportsItsEpochAndAStandaloneNodeIsRefused() {
    KevoServer primary = server("p", NodeRole.PRIMARY);
    Run r = kevo("promote", primary.address());
    assertThat(r.status()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).startsWith("already the primary: epoch 1 (term ").contains("sequence 1)");

    KevoServer standalone = server("s", NodeRole.STANDALONE);
    Run s = kevo("promote", standalone.address());
    assertThat(s.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(s.err())
        .contains("promoting " + standalone.address() + " failed: INVALID_ARGUMENT")
        .contains("standalone");
  }

  @Test
  void repointRefusesANodeThatIsNotAReplicaAndNeedsThePrimaryOption() {
    KevoServer primary = server("p", NodeRole.PRIMARY);
    Run r = kevo("repoint", primary.address(), "--primary", "127.0.0.1:9");
    assertThat(r.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(r.err()).contains("not a replica").contains("--role replica --primary 127.0.0.1:9");

    Run missing = kevo("repoint", primary.address());
    assertThat(missing.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(missing.err()).contains("--primary");
  }

  @Test
  void anUnreachableNodeIsAnError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run r = kevo("promote", "127.0.0.1:" + port);
    assertThat(r.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(r.err()).contains("promoting 127.0.0.1:" + port + " failed: UNAVAILABLE");
  }
}
