package io.kevo.cli;

import static io.kevo.cli.InProcessKevo.kevo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.server.KevoServer;
import io.kevo.server.NodeRole;
import io.kevo.server.ServerOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kevo backup} and {@code kevo restore} in-process against a primary on 127.0.0.1: what they
 * print and return, a damaged backup reported by {@code --verify} and refused by restore, and usage
 * errors as one line.
 */
@Timeout(60)
class BackupCommandTest {
  @TempDir Path dir;
  private KevoServer primary;

  @AfterEach
  void stop() {
    if (primary != null) {
      primary.close();
    }
  }

  private void startPrimary(int keys) {
    KevoDB db =
        KevoDB.open(
            dir.resolve("primary"),
            Options.builder().memtableSize(64 << 10).holdWalAtOpen(true).build());
    primary =
        KevoServer.start(
            db, ServerOptions.builder().role(NodeRole.PRIMARY).listen("127.0.0.1", 0).build());
    for (int i = 0; i < keys; i++) {
      db.put(("k" + i).getBytes(UTF_8), ("value " + i).repeat(10).getBytes(UTF_8));
    }
  }

  @Test
  void aBackupIsListedVerifiedAndRestoredAndADamagedOneIsReportedAndRefused() throws Exception {
    startPrimary(2000);
    String to = dir.resolve("backups").toString();
    InProcessKevo.Run taken = kevo("", "backup", primary.address(), "--to", to);
    assertThat(taken.status()).as(taken.err()).isEqualTo(ExitCodes.OK);
    assertThat(taken.out()).matches("(?s)backup \\S+ complete: sequence 2000, \\d+ files, .*\n");
    assertThat(taken.err()).contains("backup: ").contains(" stored");
    String id = taken.out().split(" ")[1];

    InProcessKevo.Run listed = kevo("", "backup", "--list", "--to", to);
    assertThat(listed.outLines()).singleElement().asString().startsWith(id + "  sequence 2000");
    InProcessKevo.Run verified = kevo("", "backup", "--verify", "--to", to, "--backup", id);
    assertThat(verified.status()).isEqualTo(ExitCodes.OK);
    assertThat(verified.out()).startsWith("backup " + id + ": OK (");

    Path restored = dir.resolve("restored");
    InProcessKevo.Run r = kevo("", "restore", "--from", to, "--data", restored.toString());
    assertThat(r.status()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).startsWith("restored backup " + id + " (sequence 2000,");
    try (KevoDB db = KevoDB.open(restored)) {
      assertThat(db.get("k1999".getBytes(UTF_8))).isPresent();
    }

    Path table;
    try (Stream<Path> s = Files.list(dir.resolve("backups").resolve("shared"))) {
      table = s.findFirst().orElseThrow();
    }
    try (FileChannel f = FileChannel.open(table, StandardOpenOption.WRITE)) {
      f.write(ByteBuffer.wrap(new byte[] {0x5a}), 100);
    }
    verified = kevo("", "backup", "--verify", "--to", to);
    assertThat(verified.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
    assertThat(verified.out())
        .contains("backup " + id + ": DAMAGED: shared/", "fails its checksum");
    Path again = dir.resolve("again");
    r = kevo("", "restore", "--from", to, "--data", again.toString());
    assertThat(r.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("error: backup " + id + " is damaged: shared/")
        .endsWith("nothing was restored to " + again);
    assertThat(again).doesNotExist();
  }

  @Test
  void badUsageIsOneLine() {
    InProcessKevo.Run none = kevo("", "backup", "--to", dir.toString());
    assertThat(none.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(none.err().lines()).singleElement().asString().contains("give exactly one of");
    InProcessKevo.Run notDir = kevo("", "backup", "--list", "--to", dir.resolve("x").toString());
    assertThat(notDir.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(notDir.err()).contains("is not a backup directory");
  }

  @Test
  void aStandaloneNodeIsBackedUpAndAReplicaIsNoSource() throws Exception {
    KevoDB db = KevoDB.open(dir.resolve("standalone"));
    primary = KevoServer.start(db, ServerOptions.builder().listen("127.0.0.1", 0).build());
    for (int i = 0; i < 300; i++) {
      db.put(("k" + i).getBytes(UTF_8), ("value " + i).getBytes(UTF_8));
    }
    String to = dir.resolve("b").toString();
    InProcessKevo.Run taken = kevo("", "backup", primary.address(), "--to", to);
    assertThat(taken.status()).as(taken.err()).isEqualTo(ExitCodes.OK);
    assertThat(taken.out()).startsWith("backup ").contains(" complete: sequence 300,");
    Path restored = dir.resolve("restored");
    InProcessKevo.Run r = kevo("", "restore", "--from", to, "--data", restored.toString());
    assertThat(r.status()).as(r.err()).isEqualTo(ExitCodes.OK);
    try (KevoDB back = KevoDB.open(restored)) {
      assertThat(back.get("k299".getBytes(UTF_8)))
          .hasValueSatisfying(v -> assertThat(new String(v, UTF_8)).isEqualTo("value 299"));
      assertThat(back.latestSequence()).isEqualTo(300);
    }
    primary.close();

    primary =
        KevoServer.start(
            KevoDB.open(dir.resolve("primary")),
            ServerOptions.builder().role(NodeRole.PRIMARY).listen("127.0.0.1", 0).build());
    try (KevoServer replica =
        KevoServer.start(
            KevoDB.open(dir.resolve("replica")),
            ServerOptions.builder()
                .role(NodeRole.REPLICA)
                .primaryAddress(primary.address())
                .listen("127.0.0.1", 0)
                .build())) {
      InProcessKevo.Run refused =
          kevo("", "backup", replica.address(), "--to", dir.resolve("c").toString());
      assertThat(refused.status()).isEqualTo(ExitCodes.FATAL);
      assertThat(refused.err().lines())
          .singleElement()
          .asString()
          .startsWith("error: backup of " + replica.address() + " failed: the node refused")
          .contains("its primary is " + primary.address())
          .endsWith("(back up the primary or a standalone node; a replica serves no snapshots)");
      assertThat(dir.resolve("c").resolve("backups")).isEmptyDirectory();
    }
  }
}
