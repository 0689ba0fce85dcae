package io.kevo.cli;

import static io.kevo.cli.InProcessKevo.kevo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kevo.cli.InProcessKevo.Run;
import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.server.KevoServer;
import io.kevo.server.NodeRole;
import io.kevo.server.ServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kevo shell --connect} to a replica: writes go to the primary, and the shell says so; on
 * the primary itself it says nothing more than {@code OK}. A primary and a replica in-process on
 * ephemeral ports.
 */
class ReplicaShellTest {
  @TempDir Path dir;
  private KevoServer primary;
  private KevoServer replica;

  @BeforeEach
  void start() {
    primary = node("p", ServerOptions.builder().role(NodeRole.PRIMARY));
    replica =
        node("r", ServerOptions.builder().role(NodeRole.REPLICA).primaryAddress(primary.address()));
    await().atMost(Duration.ofSeconds(20)).until(() -> primary.primary().connectedReplicas() == 1);
  }

  @AfterEach
  void stop() {
    if (replica != null) {
      replica.close();
    }
    if (primary != null) {
      primary.close();
    }
  }

  private static KevoServer node(Path dir, String name, ServerOptions.Builder o) {
    KevoDB db = KevoDB.open(dir.resolve(name), Options.builder().holdWalAtOpen(true).build());
    return KevoServer.start(db, o.listen("127.0.0.1", 0).build());
  }

  private KevoServer node(String name, ServerOptions.Builder o) {
    return node(dir, name, o);
  }

  @Test
  void aWriteTypedOnAReplicaIsNotedAsWrittenOnThePrimary() {
    Run run =
        kevo(
            String.join(
                "\n",
                "PUT a 1",
                "DELETE b",
                "BEGIN",
                "PUT c 3",
                "COMMIT",
                "BEGIN READONLY",
                "COMMIT",
                ""),
            "shell",
            "--connect",
            replica.address());

    String note = "(written on the primary " + primary.address() + ")";
    assertThat(run.err()).isEmpty();
    assertThat(run.outLines())
        .containsExactly(
            "OK " + note,
            "OK " + note,
            "BEGIN",
            "OK", // inside a transaction nothing is written before COMMIT
            "COMMIT " + note,
            "BEGIN (read-only)",
            "COMMIT");
    assertThat(primary.db().get("c".getBytes(UTF_8))).isPresent();
  }

  @Test
  void aWriteOnThePrimaryItselfIsJustOk() {
    Run run = kevo("PUT a 1\n", "shell", "--connect", primary.address());

    assertThat(run.outLines()).containsExactly("OK");
  }
}
