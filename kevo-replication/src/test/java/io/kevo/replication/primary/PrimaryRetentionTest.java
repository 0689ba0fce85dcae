package io.kevo.replication.primary;

import static io.kevo.replication.primary.PrimaryFixture.from;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.kevo.engine.Options;
import io.kevo.engine.WalOperation;
import io.kevo.replication.PrimaryOptions;
import io.kevo.wire.WireMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrimaryRetentionTest {
  private static final Options SMALL_SEGMENTS = Options.builder().segmentSize(64 << 10).build();
  private static final byte[] KIB = new byte[1024];

  @TempDir Path dir;

  @Test
  void theLogIsKeptForAReplicaUntilItAcknowledges() throws Exception {
    PrimaryOptions o = PrimaryOptions.builder().tailBytes(16 << 10).build();
    try (PrimaryFixture f = new PrimaryFixture(dir, SMALL_SEGMENTS, o)) {
      long last = f.putMany(400, "k", KIB); // ~400 KiB: several 64 KiB segments
      PrimaryFixture.Stream s = f.stream(from(1).toBuilder().setReplicaId("r1").build());
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      c.until(s, last);
      f.ack(s.sessionId(), 100);
      f.db.flush();
      long first = f.db.wal().firstRetainedSequence();
      assertThat(first).isLessThanOrEqualTo(101).isGreaterThan(1);

      f.ack(s.sessionId(), last);
      f.putMany(100, "more", KIB);
      f.db.flush();
      assertThat(f.db.wal().firstRetainedSequence()).isGreaterThan(101);
      assertThat(f.primary.replicas().get(0).heldFromSequence()).isEqualTo(last + 1);
    }
  }

  @Test
  void refusesAPositionNoLongerRetainedAndOneAheadOfThePrimary() throws Exception {
    PrimaryOptions o = PrimaryOptions.builder().tailBytes(4 << 10).build();
    try (PrimaryFixture f = new PrimaryFixture(dir, SMALL_SEGMENTS, o)) {
      f.putMany(400, "k", KIB);
      f.db.flush();
      long first = f.db.wal().firstRetainedSequence();
      assertThat(first).isGreaterThan(1);

      PrimaryFixture.Stream old = f.stream(from(1).toBuilder().setReplicaId("late").build());
      Status st = old.awaitEnd();
      assertThat(st.getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
      assertThat(old.trailers.get().get(WireMetadata.REPL_ERROR))
          .isEqualTo("POSITION_NOT_RETAINED");
      assertThat(old.trailers.get().get(WireMetadata.FIRST_RETAINED))
          .isEqualTo(Long.toString(first));

      long next = f.db.wal().nextSequence();
      PrimaryFixture.Stream ahead = f.stream(from(next + 5));
      assertThat(ahead.awaitEnd().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
      assertThat(ahead.trailers.get().get(WireMetadata.REPL_ERROR)).isEqualTo("AHEAD_OF_PRIMARY");
      assertThat(ahead.trailers.get().get(WireMetadata.NEXT_SEQUENCE))
          .isEqualTo(Long.toString(next));

      // The refused replica holds nothing: the log can still be trimmed.
      assertThat(f.primary.status().streamsRefused()).isEqualTo(2);
      assertThat(f.primary.replicas())
          .allSatisfy(r -> assertThat(r.heldFromSequence()).isEqualTo(-1));
      // Exactly the next sequence is fine: the replica is caught up.
      PrimaryFixture.Stream exact = f.stream(from(next));
      assertThat(exact.next().getEntriesList()).isEmpty();
    }
  }

  @Test
  void replicaPositionsAndHoldsSurviveAPrimaryRestart() throws Exception {
    Options primaryDb = Options.builder().segmentSize(64 << 10).holdWalAtOpen(true).build();
    PrimaryFixture f = new PrimaryFixture(dir, primaryDb, PrimaryOptions.DEFAULT);
    try {
      long last = f.putMany(300, "k", KIB);
      PrimaryFixture.Stream s =
          f.stream(
              from(1).toBuilder().setReplicaId("r1").setListenerAddress("replica:7000").build());
      new PrimaryFixture.Collector().until(s, last);
      f.ack(s.sessionId(), 50);
      // In SSTables now: only the replica's hold keeps those segments, across the restart too.
      f.db.flush();
      assertThat(f.db.wal().firstRetainedSequence()).isLessThanOrEqualTo(51);
      f.stop();
      assertThat(dir.resolve("replication").resolve(PositionsFile.NAME)).exists();

      f.start();
      assertThat(f.primary.replicas())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.replicaId()).isEqualTo("r1");
                assertThat(r.clientAddress()).isEqualTo("replica:7000");
                assertThat(r.lastAckedSequence()).isEqualTo(50);
                assertThat(r.heldFromSequence()).isEqualTo(51);
                assertThat(r.connected()).isFalse();
                assertThat(r.lagEntries()).isEqualTo(last - 50);
              });
      f.putMany(100, "more", KIB);
      f.db.flush();
      assertThat(f.db.wal().firstRetainedSequence()).isLessThanOrEqualTo(51);

      PrimaryFixture.Stream again = f.stream(from(51).toBuilder().setReplicaId("r1").build());
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      c.until(again, last);
      assertThat(c.ops.get(0).sequence()).isEqualTo(51);
      assertThat(c.ops).extracting(WalOperation::sequence).contains(last);
    } finally {
      f.close();
    }
  }

  @Test
  void theByteLimitDropsAHoldAndTheReplicaIsThenToldItsPositionIsGone() throws Exception {
    PrimaryOptions o =
        PrimaryOptions.builder().retentionBytes(128 << 10).tailBytes(4 << 10).build();
    try (PrimaryFixture f = new PrimaryFixture(dir, SMALL_SEGMENTS, o)) {
      long first = f.putMany(5, "k", KIB);
      PrimaryFixture.Stream s = f.stream(from(1).toBuilder().setReplicaId("slow").build());
      new PrimaryFixture.Collector().until(s, first);
      f.ack(s.sessionId(), 2);
      s.cancel();
      await().atMost(Duration.ofSeconds(5)).until(() -> !f.primary.replicas().get(0).connected());
      f.putMany(400, "more", KIB); // ~400 KiB kept alive by "slow": past the 128 KiB limit
      await().atMost(Duration.ofSeconds(10)).until(() -> f.primary.replicas().get(0).holdDropped());
      assertThat(f.primary.replicas().get(0).heldFromSequence()).isEqualTo(-1);
      assertThat(f.primary.status().holdsDropped()).isEqualTo(1);

      f.db.flush();
      PrimaryFixture.Stream back = f.stream(from(3).toBuilder().setReplicaId("slow").build());
      assertThat(back.awaitEnd().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
      assertThat(back.trailers.get().get(WireMetadata.REPL_ERROR))
          .isEqualTo("POSITION_NOT_RETAINED");
    }
  }

  @Test
  void aDisconnectedReplicaPastTheAgeLimitIsForgotten() throws Exception {
    PrimaryOptions o = PrimaryOptions.builder().retentionAge(Duration.ofMillis(200)).build();
    try (PrimaryFixture f = new PrimaryFixture(dir, o)) {
      PrimaryFixture.Stream s = f.stream(from(1).toBuilder().setReplicaId("gone").build());
      s.next();
      assertThat(f.primary.replicas()).hasSize(1);
      s.cancel();
      await().atMost(Duration.ofSeconds(10)).until(() -> f.primary.replicas().isEmpty());
      assertThat(f.primary.status().holdsDropped()).isEqualTo(1);
    }
  }

  @Test
  void anAnonymousReplicaHoldsTheLogOnlyWhileConnected() throws Exception {
    try (PrimaryFixture f = new PrimaryFixture(dir, SMALL_SEGMENTS, PrimaryOptions.DEFAULT)) {
      long last = f.putMany(200, "k", KIB);
      PrimaryFixture.Stream s = f.stream(from(1));
      new PrimaryFixture.Collector().until(s, last);
      f.db.flush();
      assertThat(f.db.wal().firstRetainedSequence()).isEqualTo(1);
      s.cancel();
      await().atMost(Duration.ofSeconds(5)).until(() -> f.primary.replicas().isEmpty());
      f.putMany(10, "more", KIB);
      f.db.flush();
      assertThat(f.db.wal().firstRetainedSequence()).isGreaterThan(1);
      assertThat(Files.exists(dir.resolve("replication").resolve(PositionsFile.NAME))).isFalse();
    }
  }
}
