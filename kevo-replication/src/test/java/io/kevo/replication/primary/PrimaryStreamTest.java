package io.kevo.replication.primary;

import static io.kevo.replication.primary.PrimaryFixture.b;
import static io.kevo.replication.primary.PrimaryFixture.from;
import static io.kevo.replication.primary.PrimaryFixture.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.OpType;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WriteBatch;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.PrimaryStatus;
import io.kevo.replication.wire.ResponseBatcher;
import io.kevo.wire.AckLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrimaryStreamTest {
  @TempDir Path dir;

  /** Heartbeats far apart: only a write or a waiting acknowledgement wakes a caught-up session. */
  private static PrimaryOptions.Builder quiet() {
    return PrimaryOptions.builder().heartbeatInterval(Duration.ofSeconds(30));
  }

  /**
   * Writes one record, opens a stream from sequence 1 and reads it into {@code c} until that record
   * arrived: the session is then caught up and idle.
   */
  private static PrimaryFixture.Stream caughtUpAfterOneWrite(
      PrimaryFixture f, PrimaryFixture.Collector c) throws InterruptedException {
    long first = f.db.put(b("a"), b("1"));
    PrimaryFixture.Stream s = f.stream(from(1));
    c.until(s, first);
    return s;
  }

  @Test
  void streamsFromTheStartSequenceInclusive() throws Exception {
    try (PrimaryFixture f = new PrimaryFixture(dir, PrimaryOptions.DEFAULT)) {
      long last = f.putMany(20, "k", b("v"));
      PrimaryFixture.Stream s = f.stream(from(5));
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      c.until(s, last);
      assertThat(c.ops.get(0).sequence()).isEqualTo(5);
      assertThat(c.ops).extracting(WalOperation::sequence).containsExactly(seq(5, last));
      assertThat(s(c.ops.get(0).key())).isEqualTo("k4");
      assertThat(c.batchFields).allSatisfy(bf -> assertThat(bf).containsExactly(0, 0));
      assertThat(c.lastPrimarySequence).isEqualTo(last);
    }
  }

  @Test
  void laggingReplicaIsServedFromTheLogFilesAfterTheTailOverflowed() throws Exception {
    PrimaryOptions o = PrimaryOptions.builder().tailBytes(8 << 10).batchBytes(4 << 10).build();
    try (PrimaryFixture f = new PrimaryFixture(dir, o)) {
      byte[] value = new byte[200];
      long last = f.putMany(2000, "k", value); // ~500 KiB: far more than the 8 KiB tail
      assertThat(f.primary.status().tailBytes()).isLessThanOrEqualTo(8 << 10);
      PrimaryFixture.Stream s = f.stream(from(1));
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      c.until(s, last);
      assertThat(c.ops).extracting(WalOperation::sequence).containsExactly(seq(1, last));
      assertThat(f.primary.status().recordsReadFromLog()).isGreaterThan(1000);
      // Caught up, it now takes new writes from memory.
      long before = f.primary.status().recordsReadFromLog();
      long more = f.putMany(10, "late", value);
      c.until(s, more);
      assertThat(f.primary.status().recordsReadFromLog()).isLessThanOrEqualTo(before + 10);
    }
  }

  @Test
  void pushesNewWritesToACaughtUpReplicaWithoutPolling() throws Exception {
    // Heartbeats far apart: only the write itself can wake the session in time.
    PrimaryOptions o = quiet().build();
    try (PrimaryFixture f = new PrimaryFixture(dir, o)) {
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      PrimaryFixture.Stream s = caughtUpAfterOneWrite(f, c);
      Thread.sleep(200);
      s.responses.clear();
      long t0 = System.nanoTime();
      long seq = f.db.put(b("b"), b("2"));
      c.until(s, seq);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
      assertThat(s(c.ops.get(c.ops.size() - 1).key())).isEqualTo("b");
    }
  }

  @Test
  void recordsWrittenRightAfterASendLingerAndGoOutTogether() throws Exception {
    PrimaryOptions o = quiet().sendLinger(Duration.ofMillis(100)).build();
    try (PrimaryFixture f = new PrimaryFixture(dir, o)) {
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      PrimaryFixture.Stream s = caughtUpAfterOneWrite(f, c);
      int before = c.responses;
      long second = f.db.put(b("b"), b("2"));
      c.until(s, second);
      assertThat(c.responses - before).isEqualTo(1);
      // Right after that send, single records wait for each other, then leave in one response.
      before = c.responses;
      long last = 0;
      for (int i = 0; i < 10; i++) {
        last = f.db.put(b("k" + i), b("v"));
      }
      c.until(s, last);
      assertThat(c.responses - before).isEqualTo(1);
    }
  }

  @Test
  void aWriteWaitingForAcknowledgementsAsksTheStreamsForThem() throws Exception {
    PrimaryOptions o = quiet().build();
    try (PrimaryFixture f = new PrimaryFixture(dir, o)) {
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      PrimaryFixture.Stream s = caughtUpAfterOneWrite(f, c);
      long first = c.lastSequence();
      // A new session asks once, in its first message: the replica's answer confirms what it holds.
      assertThat(c.ackRequests).as("the session's own first request").isEqualTo(1);
      while (!s.responses.isEmpty()) {
        assertThat(s.responses.poll().getAckRequested()).as("nobody waits yet").isFalse();
      }
      // The entry was sent already: the request comes as a message of its own.
      var waiting = f.primary.awaitAcknowledged(first, AckLevel.replica(1), Duration.ofSeconds(5));
      WALStreamResponse r = s.next();
      assertThat(r.getAckRequested()).isTrue();
      assertThat(r.getPrimaryLastSequence()).isGreaterThanOrEqualTo(first);
      f.ack(s.sessionId(), first);
      assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS).confirmed()).isTrue();

      // A write waited a moment ago: the next write's entries carry the question themselves, so
      // the replica acknowledges them without waiting for a message of its own.
      long second = f.db.put(b("next"), b("v"));
      WALStreamResponse withEntries = s.next();
      while (withEntries.getEntriesCount() == 0 && withEntries.getPackedEntries().isEmpty()) {
        withEntries = s.next();
      }
      assertThat(withEntries.getPrimaryLastSequence()).isGreaterThanOrEqualTo(second);
      assertThat(withEntries.getAckRequested()).isTrue();
    }
  }

  @Test
  void withoutLingerEveryRecordMayLeaveAtOnce() throws Exception {
    PrimaryOptions o = quiet().sendLinger(Duration.ZERO).build();
    try (PrimaryFixture f = new PrimaryFixture(dir, o)) {
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      PrimaryFixture.Stream s = caughtUpAfterOneWrite(f, c);
      int before = c.responses;
      long last = 0;
      for (int i = 0; i < 10; i++) {
        last = f.db.put(b("k" + i), b("v"));
        long seq = last;
        c.until(s, seq); // each one arrives before the next is written
      }
      assertThat(c.responses - before).isEqualTo(10);
    }
  }

  @Test
  void batchesCarryTheirBoundariesAndLargeValuesAreFragmented() throws Exception {
    PrimaryOptions o = PrimaryOptions.builder().batchBytes(4 << 10).build();
    try (PrimaryFixture f = new PrimaryFixture(dir, o)) {
      WriteBatch batch = new WriteBatch();
      for (int i = 0; i < 10; i++) {
        batch.put(b("b" + i), new byte[1000]); // ~10 KiB: spans several 4 KiB responses
      }
      batch.delete(b("gone"));
      long batchLast = f.db.write(batch);
      byte[] big = new byte[50_000];
      new Random(7).nextBytes(big);
      long bigSeq = f.db.put(b("big"), big);
      long single = f.db.put(b("single"), b("x"));

      PrimaryFixture.Stream s = f.stream(from(1));
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      c.until(s, single);

      long batchFirst = batchLast - 10;
      for (int i = 0; i <= 10; i++) {
        assertThat(c.batchFields.get(i)).containsExactly(batchFirst, 11);
      }
      assertThat(c.ops.get(10).type()).isEqualTo(OpType.DELETE);
      WalOperation bigOp = c.ops.get(11);
      assertThat(bigOp.sequence()).isEqualTo(bigSeq);
      assertThat(bigOp.value()).isEqualTo(big);
      assertThat(c.fragments).isGreaterThanOrEqualTo(13); // 50 KB in < 4 KiB pieces
      assertThat(c.batchFields.get(11)).containsExactly(0, 0);
      assertThat(c.batchFields.get(12)).containsExactly(0, 0);
      // No response exceeds the budget (plus the two stamp fields).
      assertThat(c.entries.stream().mapToInt(ResponseBatcher::sizeOf).max().orElseThrow())
          .isLessThanOrEqualTo(4 << 10);
    }
  }

  @Test
  void compressesInKevosFormWhenItPaysAndChecksumsTheUncompressedPayload() throws Exception {
    try (PrimaryFixture f = new PrimaryFixture(dir, PrimaryOptions.DEFAULT)) {
      byte[] value = new byte[2000];
      Arrays.fill(value, (byte) 'z');
      long last = f.putMany(50, "k", value);
      WALStreamRequest r =
          from(1).toBuilder()
              .setCompressionSupported(true)
              .setPreferredCodec(CompressionCodec.SNAPPY)
              .build();
      PrimaryFixture.Stream s = f.stream(r);
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      boolean sawCompressed = false;
      while (c.lastSequence() < last) {
        WALStreamResponse resp = s.next();
        if (!resp.getEntriesList().isEmpty()) {
          assertThat(resp.getCompressed()).isTrue();
          assertThat(resp.getCodec()).isEqualTo(CompressionCodec.SNAPPY);
          assertThat(resp.getPackedEntries().isEmpty()).isTrue();
          sawCompressed = true;
        }
        c.accept(resp);
      }
      assertThat(sawCompressed).isTrue();
      assertThat(c.ops.get(49).value()).isEqualTo(value);
      PrimaryStatus st = f.primary.status();
      assertThat(st.compressionRatio()).isLessThan(0.5);
      assertThat(st.replicas().get(0).compressionRatio()).isLessThan(0.5);
    }
  }

  @Test
  void packsTheWholeBatchForAReplicaThatAcceptsIt() throws Exception {
    try (PrimaryFixture f = new PrimaryFixture(dir, PrimaryOptions.DEFAULT)) {
      long last = f.putMany(100, "key-", b("a fairly repetitive value, a fairly repetitive value"));
      WALStreamRequest r =
          from(1).toBuilder()
              .setCompressionSupported(true)
              .setPreferredCodec(CompressionCodec.ZSTD)
              .setAcceptPacked(true)
              .build();
      PrimaryFixture.Stream s = f.stream(r);
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      boolean sawPacked = false;
      while (c.lastSequence() < last) {
        WALStreamResponse resp = s.next();
        if (!resp.getPackedEntries().isEmpty()) {
          assertThat(resp.getEntriesList()).isEmpty();
          assertThat(resp.getCodec()).isEqualTo(CompressionCodec.ZSTD);
          sawPacked = true;
        }
        c.accept(resp);
      }
      assertThat(sawPacked).isTrue();
      assertThat(c.ops).extracting(WalOperation::sequence).containsExactly(seq(1, last));
    }
  }

  @Test
  void sendsUncompressedWhenCompressionDoesNotPayOrIsNotOffered() throws Exception {
    try (PrimaryFixture f = new PrimaryFixture(dir, PrimaryOptions.DEFAULT)) {
      byte[] random = new byte[3000];
      new Random(1).nextBytes(random);
      long last = f.db.put(b("r"), random);
      WALStreamRequest r =
          from(1).toBuilder()
              .setCompressionSupported(true)
              .setPreferredCodec(CompressionCodec.ZSTD)
              .build();
      PrimaryFixture.Stream s = f.stream(r);
      WALStreamResponse resp;
      do {
        resp = s.next();
      } while (resp.getEntriesCount() == 0);
      assertThat(resp.getCompressed()).isFalse();
      assertThat(resp.getEntries(0).getPayload().size()).isEqualTo(1 + 8 + 4 + 1 + 4 + 3000);
      assertThat(resp.getEntries(0).getSequenceNumber()).isEqualTo(last);
    }
  }

  @Test
  void heartbeatsKeepAnIdleStreamAliveWithThePrimarysLastSequence() throws Exception {
    PrimaryOptions o = PrimaryOptions.builder().heartbeatInterval(Duration.ofMillis(50)).build();
    try (PrimaryFixture f = new PrimaryFixture(dir, o)) {
      long last = f.putMany(3, "k", b("v"));
      PrimaryFixture.Stream s = f.stream(from(last + 1));
      PrimaryFixture.Collector c = new PrimaryFixture.Collector();
      for (int i = 0; i < 4; i++) {
        WALStreamResponse r = s.next();
        assertThat(r.getEntriesList()).isEmpty();
        assertThat(r.getPackedEntries().isEmpty()).isTrue();
        assertThat(r.getPrimaryLastSequence()).isEqualTo(last);
        c.accept(r);
      }
      assertThat(c.heartbeats).isEqualTo(4);
      assertThat(f.primary.status().heartbeatsSent()).isGreaterThanOrEqualTo(4);
    }
  }

  static Long[] seq(long from, long to) {
    Long[] out = new Long[(int) (to - from + 1)];
    for (int i = 0; i < out.length; i++) {
      out[i] = from + i;
    }
    return out;
  }
}
