package io.kevo.replication.primary;

import static io.kevo.replication.primary.PrimaryFixture.b;
import static io.kevo.replication.primary.PrimaryFixture.from;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WriteBatch;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.PrimaryStatus;
import io.kevo.wire.WireMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrimarySessionTest {
  @TempDir Path dir;

  @Test
  void sendsASessionIdHeaderAndCreditsAcksOnlyToThatSession() throws Exception {
    try (PrimaryFixture f = new PrimaryFixture(dir, PrimaryOptions.DEFAULT)) {
      long last = f.putMany(10, "k", b("v"));
      PrimaryFixture.Stream a = f.stream(from(1).toBuilder().setReplicaId("a").build());
      PrimaryFixture.Stream other = f.stream(from(1).toBuilder().setReplicaId("b").build());
      new PrimaryFixture.Collector().until(a, last);
      new PrimaryFixture.Collector().until(other, last);
      String idA = a.sessionId();
      String idB = other.sessionId();
      assertThat(idA).isNotBlank().isNotEqualTo(idB);

      assertThat(f.ack(idA, 7).getSuccess()).isTrue();
      assertThat(f.primary.replicas())
          .filteredOn(r -> r.replicaId().equals("a"))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.lastAckedSequence()).isEqualTo(7);
                assertThat(r.sessionId()).isEqualTo(idA);
                assertThat(r.lagEntries()).isEqualTo(last - 7);
                assertThat(r.heldFromSequence()).isEqualTo(8);
                assertThat(r.connected()).isTrue();
                assertThat(r.connectCount()).isEqualTo(1);
              });
      assertThat(f.primary.replicas())
          .filteredOn(r -> r.replicaId().equals("b"))
          .singleElement()
          .satisfies(r -> assertThat(r.lastAckedSequence()).isEqualTo(0));

      assertThatThrownBy(() -> f.ack("no-such-session", 5))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
      assertThatThrownBy(() -> f.ack(null, 5))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
      assertThatThrownBy(() -> f.nack("no-such-session", 5))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
      assertThat(f.primary.sessions().countSessions()).isEqualTo(2);
    }
  }

  @Test
  void anAckBeyondWhatTheSessionSentIsRefusedAndMovesNothing() throws Exception {
    try (PrimaryFixture f = new PrimaryFixture(dir, PrimaryOptions.DEFAULT)) {
      long last = f.putMany(10, "k", b("v"));
      PrimaryFixture.Stream s = f.stream(from(1).toBuilder().setReplicaId("r").build());
      new PrimaryFixture.Collector().until(s, last); // all sent: nothing more was written
      String id = s.sessionId();
      assertThat(f.ack(id, 5).getSuccess()).isTrue();

      for (long claim : new long[] {last + 1, last + 1_000_000}) {
        assertThatThrownBy(() -> f.ack(id, claim))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                  assertThat(e.getStatus().getDescription())
                      .contains("acknowledged_up_to " + claim)
                      .contains("last sequence sent on this session (" + last + ")");
                });
        assertThat(f.primary.replicas())
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.lastAckedSequence()).isEqualTo(5);
                  assertThat(r.heldFromSequence()).isEqualTo(6);
                });
      }
      // Exactly what the stream sent is still an ordinary ack.
      assertThat(f.ack(id, last).getSuccess()).isTrue();
      assertThat(f.primary.replicas().get(0).lastAckedSequence()).isEqualTo(last);
    }
  }

  @Test
  void aNewStreamAcceptsAnAckOfWhatAnEarlierStreamSent() throws Exception {
    try (PrimaryFixture f = new PrimaryFixture(dir, PrimaryOptions.DEFAULT)) {
      long last = f.putMany(10, "k", b("v"));
      PrimaryFixture.Stream first = f.stream(from(1).toBuilder().setReplicaId("r").build());
      new PrimaryFixture.Collector().until(first, last);
      first.cancel();
      // The replica reconnects from last + 1 and, say, its sync of the records the first stream
      // brought ends only now: this stream has sent nothing, yet the ack is true.
      PrimaryFixture.Stream second = f.stream(from(last + 1).toBuilder().setReplicaId("r").build());
      String id = second.sessionId();
      assertThat(f.ack(id, last).getSuccess()).isTrue();
      assertThat(f.primary.replicas().get(0).lastAckedSequence()).isEqualTo(last);
      assertThatThrownBy(() -> f.ack(id, last + 1))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
  }

  @Test
  void nackRewindsTheStreamToTheMissingSequence() throws Exception {
    try (PrimaryFixture f = new PrimaryFixture(dir, PrimaryOptions.DEFAULT)) {
      long last = f.putMany(20, "k", b("v"));
      PrimaryFixture.Stream s = f.stream(from(1));
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      c.until(s, last);
      assertThat(f.nack(s.sessionId(), 12).getSuccess()).isTrue();
      PrimaryFixture.Collector again = new PrimaryFixture.Collector();
      again.until(s, last);
      assertThat(again.ops)
          .extracting(WalOperation::sequence)
          .containsExactly(PrimaryStreamTest.seq(12, last));
      assertThat(f.primary.status().resends()).isEqualTo(1);
      assertThat(f.primary.replicas().get(0).resends()).isEqualTo(1);

      assertThatThrownBy(() -> f.nack(s.sessionId(), last + 5))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
                assertThat(e.getTrailers().get(WireMetadata.REPL_ERROR))
                    .isEqualTo("AHEAD_OF_PRIMARY");
              });
    }
  }

  @Test
  void acksFreeTheInFlightBudget() throws Exception {
    PrimaryOptions o = PrimaryOptions.builder().batchBytes(2 << 10).inFlightBytes(8 << 10).build();
    try (PrimaryFixture f = new PrimaryFixture(dir, o)) {
      long last = f.putMany(200, "k", new byte[500]); // ~100 KiB, far past the 8 KiB budget
      PrimaryFixture.Stream s = f.stream(from(1));
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      String id = s.sessionId();
      // Without acks the primary stops at the budget...
      await().atMost(Duration.ofSeconds(5)).until(() -> !s.responses.isEmpty());
      // ...and stays there.
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(3))
          .until(
              () -> {
                while (!s.responses.isEmpty()) {
                  c.accept(s.responses.poll());
                }
                return c.lastSequence() < last;
              });
      assertThat(f.primary.status().bytesSentWire())
          .isLessThanOrEqualTo((8 << 10) + (2 << 10) + 512);
      // ...and each ack lets more through.
      while (c.lastSequence() < last) {
        f.ack(id, c.lastSequence());
        c.accept(s.next());
      }
      assertThat(c.ops)
          .extracting(WalOperation::sequence)
          .containsExactly(PrimaryStreamTest.seq(1, last));
    }
  }

  @Test
  void anAtomicBatchLargerThanTheInFlightBudgetIsSentWholeBeforeAnyAck() throws Exception {
    // Regression: a BatchWrite of 20 x 512 KiB stalled replication for good. The replica acks
    // whole records only, and the primary stopped at the 8 MiB budget in the middle of the
    // 10 MiB batch, waiting for an ack that could never come.
    PrimaryOptions o = PrimaryOptions.builder().inFlightBytes(1 << 20).build();
    try (PrimaryFixture f = new PrimaryFixture(dir, o)) {
      Random random = new Random(11);
      WriteBatch batch = new WriteBatch();
      for (int i = 0; i < 6; i++) {
        byte[] value = new byte[512 << 10]; // incompressible: 3 MiB on the wire, 3x the budget
        random.nextBytes(value);
        batch.put(b("big" + i), value);
      }
      long batchLast = f.db.write(batch);
      long after = f.db.put(b("after"), b("small"));

      PrimaryFixture.Stream s = f.stream(from(1));
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      c.until(s, batchLast); // no ack sent meanwhile
      assertThat(c.ops.get(5).sequence()).isEqualTo(batchLast);
      assertThat(c.ops.get(5).value()).hasSize(512 << 10);
      assertThat(f.primary.status().bytesSentWire()).isGreaterThan(3L << 20);

      f.ack(s.sessionId(), batchLast);
      c.until(s, after);
      assertThat(c.ops)
          .extracting(WalOperation::sequence)
          .containsExactly(PrimaryStreamTest.seq(1, after));
    }
  }

  @Test
  void closesAReplicaThatNeverReadsAndKeepsServingOthersWithBoundedMemory() throws Exception {
    long tail = 1 << 20;
    PrimaryOptions o =
        PrimaryOptions.builder()
            .sessionTimeout(Duration.ofMillis(500))
            .heartbeatInterval(Duration.ofMillis(50))
            .tailBytes(tail)
            .build();
    try (PrimaryFixture f = new PrimaryFixture(dir, o)) {
      WALStreamRequest r = from(1).toBuilder().setReplicaId("stuck").build();
      PrimaryFixture.Stream stuck = f.stream(r, false);
      PrimaryFixture.Stream healthy = f.stream(from(1).toBuilder().setReplicaId("ok").build());
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      String healthyId = healthy.sessionId();
      byte[] value = new byte[4096];
      long last = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < 2000; i++) { // 8 MiB while "stuck" reads nothing
        last = f.db.put(b("k" + i), value);
        if (i % 200 == 0) {
          while (!healthy.responses.isEmpty()) {
            c.accept(healthy.responses.poll());
          }
          if (c.lastSequence() > 0) {
            f.ack(healthyId, c.lastSequence());
          }
        }
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
      Status end = stuck.awaitEnd();
      assertThat(end.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(end.getDescription()).contains("neither read");
      while (c.lastSequence() < last) {
        f.ack(healthyId, c.lastSequence());
        c.accept(healthy.next());
      }
      PrimaryStatus st = f.primary.status();
      assertThat(st.sessionsTimedOut()).isEqualTo(1);
      assertThat(st.activeSessions()).isEqualTo(1);
      assertThat(st.tailBytes()).isLessThanOrEqualTo(tail);
      assertThat(st.replicas())
          .filteredOn(x -> x.replicaId().equals("stuck"))
          .singleElement()
          .satisfies(x -> assertThat(x.connected()).isFalse());
    }
  }

  @Test
  void aNewStreamOfTheSameReplicaSupersedesTheOldOne() throws Exception {
    try (PrimaryFixture f = new PrimaryFixture(dir, PrimaryOptions.DEFAULT)) {
      f.putMany(3, "k", b("v"));
      WALStreamRequest r = from(1).toBuilder().setReplicaId("same").build();
      PrimaryFixture.Stream first = f.stream(r);
      String firstId = first.sessionId();
      PrimaryFixture.Stream second = f.stream(r);
      String secondId = second.sessionId();
      assertThat(first.awaitEnd().getCode()).isEqualTo(Status.Code.ABORTED);
      assertThat(secondId).isNotEqualTo(firstId);
      await().atMost(Duration.ofSeconds(5)).until(() -> f.primary.sessions().countSessions() == 1);
      assertThat(f.primary.replicas())
          .singleElement()
          .satisfies(
              x -> {
                assertThat(x.sessionId()).isEqualTo(secondId);
                assertThat(x.connectCount()).isEqualTo(2);
              });
    }
  }

  @Test
  void closingThePrimarySendsEveryWriteBeforeEndingTheStream() throws Exception {
    PrimaryFixture f = new PrimaryFixture(dir, PrimaryOptions.DEFAULT);
    try {
      PrimaryFixture.Stream s = f.stream(from(1), false); // reads nothing yet: nothing is sent
      await().atMost(Duration.ofSeconds(10)).until(() -> f.primary.sessions().countSessions() == 1);
      long last = f.putMany(50, "k", b("v"));
      Thread closing = new Thread(f.primary::close, "closing-primary");
      closing.start();
      // Closing has begun once new streams are refused; only then does the replica read.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> f.stream(from(1)).awaitEnd().getCode() == Status.Code.UNAVAILABLE);
      s.read(Integer.MAX_VALUE);
      closing.join(10_000);
      assertThat(s.awaitEnd().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      while (s.responses.peek() != null) {
        c.accept(s.responses.poll());
      }
      assertThat(c.ops)
          .extracting(WalOperation::sequence)
          .containsExactly(PrimaryStreamTest.seq(1, last));
    } finally {
      f.close();
    }
  }

  @Test
  void closingThePrimaryEndsStreamsAsUnavailable() throws Exception {
    PrimaryFixture f = new PrimaryFixture(dir, PrimaryOptions.DEFAULT);
    try {
      PrimaryFixture.Stream s = f.stream(from(1));
      WALStreamResponse first = s.next();
      assertThat(first.getEntriesList()).isEmpty(); // an immediate heartbeat, with the header
      assertThat(s.sessionId()).isNotBlank();
      f.primary.close();
      Status end = s.awaitEnd();
      assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(f.primary.sessions().countSessions()).isZero();
    } finally {
      f.close();
    }
  }
}
