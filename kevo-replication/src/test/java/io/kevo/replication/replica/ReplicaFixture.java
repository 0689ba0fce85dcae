package io.kevo.replication.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kevo.engine.KevoDB;
import io.kevo.replication.ReplicaOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared set-up for tests that drive one {@link Replica} against a {@link ReplicaFakePrimary}: a
 * fresh database in a temporary directory and a scripted primary per test, both closed (with the
 * replica, if one was started) after it. Not thread-safe; each test owns its instance.
 */
@Timeout(60)
abstract class ReplicaFixture {
  @TempDir Path dir;
  ReplicaFakePrimary primary;
  KevoDB db;
  Replica replica;

  @BeforeEach
  void openDatabaseAndPrimary() {
    primary = new ReplicaFakePrimary();
    db = KevoDB.open(dir);
  }

  @AfterEach
  void stopReplicaAndClose() {
    if (replica != null) {
      replica.stop();
    }
    db.close();
    primary.close();
  }

  /** Starts a replica of {@link #db} that dials the fake primary with {@code options}. */
  Replica start(ReplicaOptions.Builder options) {
    replica = new Replica(db, () -> primary.channel, options.build());
    replica.start();
    return replica;
  }

  /** Waits until the replica has applied exactly {@code seq}. */
  void awaitApplied(long seq) {
    await().atMost(Duration.ofSeconds(10)).until(() -> replica.getLastAppliedSequence() >= seq);
    assertThat(replica.getLastAppliedSequence()).isEqualTo(seq);
  }
}
