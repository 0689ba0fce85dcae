package io.kevo.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.kevo.cli.DistributionProcess;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.Operation;
import io.kevo.testkit.KevoDistribution;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kevo backup} as a real process against a real primary process: SIGKILL in the middle of a
 * transfer leaves nothing that {@code kevo backup --list} shows as complete, the next backup
 * succeeds, verifies, and restores into a node that serves exactly the primary's contents.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BackupCrashIT {
  private static final Duration WITHIN = Duration.ofSeconds(30);

  @TempDir Path tmp;

  @Test
  void aBackupKilledMidTransferLeavesNothingCompleteAndTheNextOneRestores() throws Exception {
    try (ReplicationCluster cluster = new ReplicationCluster(tmp)) {
      ReplicationCluster.Node primary = cluster.startPrimary("primary");
      Path backups = tmp.resolve("backups");
      write(primary, "a", 3000);
      DistributionProcess.ShellRun first =
          cluster.kevo("backup", primary.address(), "--to", backups.toString());
      assertThat(first.status()).as(first.err()).isZero();
      assertThat(first.out()).contains(" complete: sequence ");
      assertThat(first.err()).contains("backup: ").contains(" files");
      String firstId = first.out().split(" ")[1];

      // The second backup, capped at 1 MiB/s over ~6 MiB, is killed once it is under way.
      write(primary, "b", 3000);
      Path stderr = tmp.resolve("killed-backup.err");
      Process p =
          new ProcessBuilder(
                  KevoDistribution.locate()
                      .command(
                          List.of(),
                          List.of(
                              "backup",
                              primary.address(),
                              "--to",
                              backups.toString(),
                              "--max-rate-mb",
                              "1")))
              .redirectErrorStream(false)
              .redirectOutput(tmp.resolve("killed-backup.out").toFile())
              .redirectError(stderr.toFile())
              .start();
      try {
        await()
            .atMost(WITHIN)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> progressLines(stderr) >= 3 || !p.isAlive());
        assertThat(p.isAlive()).as("still transferring: %s", Files.readString(stderr)).isTrue();
        assertThat(progressLines(stderr)).isGreaterThanOrEqualTo(3);
      } finally {
        p.destroyForcibly(); // SIGKILL
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }
      // It died inside its temporary directory, which is no backup.
      assertThat(entries(backups.resolve("tmp"))).hasSize(1);
      DistributionProcess.ShellRun listed =
          cluster.kevo("backup", "--list", "--to", backups.toString());
      assertThat(listed.status()).isZero();
      assertThat(listed.outLines()).singleElement().asString().startsWith(firstId + "  sequence");

      DistributionProcess.ShellRun next =
          cluster.kevo("backup", primary.address(), "--to", backups.toString());
      assertThat(next.status()).as(next.err()).isZero();
      assertThat(entries(backups.resolve("tmp"))).isEmpty();
      listed = cluster.kevo("backup", "--list", "--to", backups.toString());
      assertThat(listed.outLines()).hasSize(2).noneMatch(l -> l.contains("INCOMPLETE"));
      DistributionProcess.ShellRun verified =
          cluster.kevo("backup", "--verify", "--to", backups.toString());
      assertThat(verified.status()).as(verified.out()).isZero();
      assertThat(verified.outLines()).hasSize(2).allMatch(l -> l.contains(": OK ("));

      DistributionProcess.ShellRun restored =
          cluster.kevo(
              "restore", "--from", backups.toString(), "--data", tmp.resolve("copy").toString());
      assertThat(restored.status()).as(restored.err()).isZero();
      ReplicationCluster.Node copy = cluster.startPrimary("copy");
      assertThat(copy.contentDigest()).isEqualTo(primary.contentDigest());
      assertThat(copy.scanPrefix("b")).hasSize(3000);
    }
  }

  /** {@code n} keys under {@code prefix}, 1 KiB random (incompressible) values, 100 a batch. */
  private static void write(ReplicationCluster.Node node, String prefix, int n) {
    java.util.Random random = new java.util.Random(prefix.hashCode());
    for (int i = 0; i < n; i += 100) {
      BatchWriteRequest.Builder b = BatchWriteRequest.newBuilder();
      for (int j = i; j < Math.min(n, i + 100); j++) {
        byte[] value = new byte[1024];
        random.nextBytes(value);
        b.addOperations(
            Operation.newBuilder()
                .setKey(ByteString.copyFromUtf8(prefix + String.format("%06d", j)))
                .setValue(ByteString.copyFrom(value)));
      }
      node.stub().batchWrite(b.build());
    }
  }

  private static long progressLines(Path stderr) throws Exception {
    if (!Files.exists(stderr)) {
      return 0;
    }
    return new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8)
        .lines()
        .filter(l -> l.startsWith("backup: "))
        .count();
  }

  private static List<Path> entries(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
