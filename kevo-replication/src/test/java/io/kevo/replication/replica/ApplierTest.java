package io.kevo.replication.replica;

import static io.kevo.replication.wire.ReplicaEntries.b;
import static io.kevo.replication.wire.ReplicaEntries.del;
import static io.kevo.replication.wire.ReplicaEntries.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.engine.KevoDB;
import io.kevo.engine.WalRecord;
import io.kevo.replication.ReplicationException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplierTest {
  @TempDir Path dir;

  @Test
  void appliesRecordsAtTheirOwnSequencesAndSyncsToTheLastOne() {
    try (KevoDB db = KevoDB.open(dir)) {
      EngineApplier a = new EngineApplier(db);
      a.apply(new WalRecord(List.of(put(1, "a", "1")), false));
      a.apply(new WalRecord(List.of(put(2, "b", "2"), del(3, "a"), put(4, "c", "4")), true));
      assertThat(a.nextSequence()).isEqualTo(5);
      assertThat(db.latestSequence()).isEqualTo(4);
      assertThat(db.get(b("a"))).isEmpty();
      assertThat(db.get(b("c"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("4")));
      assertThat(a.sync()).isEqualTo(4);
    }
  }

  @Test
  void duplicatesAndGapsAreSequenceMismatchesThatWriteNothing() {
    try (KevoDB db = KevoDB.open(dir)) {
      EngineApplier a = new EngineApplier(db);
      a.apply(new WalRecord(List.of(put(1, "a", "1")), false));
      for (WalRecord bad :
          List.of(
              new WalRecord(List.of(put(1, "a", "again")), false),
              new WalRecord(List.of(put(3, "x", "gap")), false))) {
        assertThatThrownBy(() -> a.apply(bad))
            .isInstanceOfSatisfying(
                ReplicationException.class,
                e -> {
                  assertThat(e.reason()).isEqualTo(ReplicationException.Reason.SEQUENCE_MISMATCH);
                  assertThat(e.sequence()).isEqualTo(2);
                });
      }
      assertThat(db.get(b("a"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("1")));
      assertThat(db.get(b("x"))).isEmpty();
      assertThat(a.nextSequence()).isEqualTo(2);
    }
  }
}
