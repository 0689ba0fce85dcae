package io.kevo.replication.primary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.engine.OpType;
import io.kevo.engine.OperationPayload;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import io.kevo.proto.replication.FragmentType;
import io.kevo.proto.replication.WALEntry;
import io.kevo.replication.wire.EncodedRecord;
import io.kevo.replication.wire.EntryCodec;
import io.kevo.replication.wire.RecordEntries;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WalTailTest {
  /** The operation of sequence {@code seq}: its key and value are functions of it. */
  private static WalOperation op(long seq) {
    byte[] key = ("key-" + seq).getBytes(StandardCharsets.UTF_8);
    if (seq % 7 == 0) {
      return new WalOperation(OpType.DELETE, seq, key, null);
    }
    SplittableRandom r = new SplittableRandom(seq);
    byte[] value = new byte[r.nextInt(1, 400)];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) r.nextInt(256);
    }
    return new WalOperation(OpType.PUT, seq, key, value);
  }

  private static WalRecord record(long firstSeq, int count, boolean batch) {
    List<WalOperation> ops = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ops.add(op(firstSeq + i));
    }
    return new WalRecord(ops, batch);
  }

  /** Asserts that {@code r} carries exactly the operations {@link #op} gives for its sequences. */
  private static void assertIntact(EncodedRecord r) {
    RecordEntries entries = new RecordEntries(r, 1 << 20);
    long seq = r.firstSequence();
    while (entries.hasNext()) {
      WALEntry e = entries.next();
      byte[] payload = e.getPayload().toByteArray();
      assertThat(e.getSequenceNumber()).isEqualTo(seq);
      assertThat(e.getFragmentType()).isEqualTo(FragmentType.FULL);
      assertThat(e.getChecksum()).isEqualTo(EntryCodec.crc32(payload));
      assertThat(payload).isEqualTo(OperationPayload.encode(op(seq)));
      if (r.batch()) {
        assertThat(e.getBatchFirstSequence()).isEqualTo(r.firstSequence());
        assertThat(e.getBatchCount()).isEqualTo(r.count());
      } else {
        assertThat(e.getBatchCount()).isZero();
      }
      seq++;
    }
    assertThat(seq).isEqualTo(r.lastSequence() + 1);
  }

  private static void append(WalTail t, WalRecord r) {
    t.append(r.operations(), r.batch());
  }

  private static WalTail tail(long cap) {
    return new WalTail(cap, Clock.systemUTC(), () -> {});
  }

  @Test
  void servesRecordsEncodedAsTheyWereWritten() {
    WalTail t = tail(1 << 20);
    append(t, record(1, 1, false));
    append(t, record(2, 5, true));
    append(t, record(7, 1, false));

    List<EncodedRecord> all = t.from(1, 1 << 20);
    assertThat(all).extracting(EncodedRecord::firstSequence).containsExactly(1L, 2L, 7L);
    assertThat(all).extracting(EncodedRecord::batch).containsExactly(false, true, false);
    all.forEach(WalTailTest::assertIntact);

    // From inside the batch: the whole batch again (it is sent as one unit).
    assertThat(t.from(4, 1 << 20)).extracting(EncodedRecord::firstSequence).containsExactly(2L, 7L);
    // At least one record, however small the budget; then about the budget.
    assertThat(t.from(1, 1)).hasSize(1);
    assertThat(t.from(8, 1 << 20)).isEmpty(); // caught up
    assertThat(t.from(9, 1 << 20)).isNull(); // not written yet
    assertThat(t.firstSequence()).isEqualTo(1);
    assertThat(t.bytes())
        .isEqualTo(
            EncodedRecord.sizeOf(record(1, 1, false).operations())
                + EncodedRecord.sizeOf(record(2, 5, true).operations())
                + EncodedRecord.sizeOf(record(7, 1, false).operations()));
  }

  @Test
  void evictsTheOldestRecordsPastItsCapAndForgetsThem() {
    WalTail t = tail(8 << 10);
    for (long s = 1; s <= 500; s++) {
      append(t, record(s, 1, false));
      assertThat(t.bytes()).isLessThanOrEqualTo(8 << 10);
    }
    long first = t.firstSequence();
    assertThat(first).isGreaterThan(1);
    assertThat(t.evicted()).isEqualTo(first - 1);
    assertThat(t.from(first - 1, 1 << 20)).isNull();
    List<EncodedRecord> kept = t.from(first, 1 << 20);
    assertThat(kept.get(0).firstSequence()).isEqualTo(first);
    assertThat(kept.get(kept.size() - 1).lastSequence()).isEqualTo(500);
    kept.forEach(WalTailTest::assertIntact);
  }

  @Test
  void keepsRecordsWholeAcrossChunksAndTheRingsEnd() {
    // A cap of 3 MiB: four chunks of just under 1 MiB, filled one by one, then reused many times;
    // records straddle chunk boundaries and the ring's end.
    WalTail t = tail(3 << 20);
    SplittableRandom r = new SplittableRandom(42);
    long seq = 1;
    for (int i = 0; i < 40_000; i++) {
      int n = r.nextInt(10) == 0 ? r.nextInt(2, 60) : 1;
      append(t, record(seq, n, n > 1));
      seq += n;
      if (i % 997 == 0) {
        long from = t.firstSequence() + r.nextLong(seq - t.firstSequence());
        List<EncodedRecord> got = t.from(from, 256 << 10);
        assertThat(got).isNotEmpty();
        assertThat(got.get(0).firstSequence()).isLessThanOrEqualTo(from);
        assertThat(got.get(0).lastSequence()).isGreaterThanOrEqualTo(from);
        got.forEach(WalTailTest::assertIntact);
      }
    }
    assertThat(t.evicted()).isPositive();
    assertThat(t.bytes()).isLessThanOrEqualTo(3 << 20);
    List<EncodedRecord> rest = new ArrayList<>();
    for (long s = t.firstSequence(); s < seq; ) {
      List<EncodedRecord> got = t.from(s, 64 << 10);
      rest.addAll(got);
      s = got.get(got.size() - 1).lastSequence() + 1;
    }
    rest.forEach(WalTailTest::assertIntact);
    assertThat(rest.get(rest.size() - 1).lastSequence()).isEqualTo(seq - 1);
  }

  @Test
  void aRecordLargerThanTheCapEmptiesItAndTheTailGoesOnAfterIt() {
    WalTail t = tail(4 << 10);
    append(t, record(1, 3, true));
    append(t, record(4, 100, true)); // ~20 KB encoded
    assertThat(t.bytes()).isZero();
    assertThat(t.from(1, 1 << 20)).isNull();
    assertThat(t.from(104, 1 << 20)).isEmpty();
    append(t, record(104, 1, false));
    assertThat(t.from(104, 1 << 20)).singleElement().satisfies(WalTailTest::assertIntact);
  }

  @Test
  void aRecordThatDoesNotFollowTheLastResetsTheTail() {
    WalTail t = tail(1 << 20);
    append(t, record(1, 2, true));
    append(t, record(10, 1, false)); // 3..9 missed
    assertThat(t.resets()).isEqualTo(1);
    assertThat(t.from(1, 1 << 20)).isNull();
    assertThat(t.from(10, 1 << 20)).singleElement().satisfies(WalTailTest::assertIntact);
  }

  @Test
  void refusesARecordWhoseSequencesAreNotConsecutive() {
    WalRecord gappy =
        new WalRecord(
            List.of(op(5), new WalOperation(OpType.DELETE, 7, new byte[] {1}, null)), true);
    assertThatThrownBy(() -> EncodedRecord.of(gappy))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("consecutive");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void readersRacingTheWriterGetWholeRecordsOrNothing() throws Exception {
    // A ring of 64 KiB wraps every few hundred records, so readers' copies outside the lock are
    // often overwritten while they are made: those must be refused, never handed out.
    WalTail t = tail(64 << 10);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong served = new AtomicLong();
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread reader =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    List<EncodedRecord> got = t.from(t.firstSequence(), 32 << 10);
                    if (got == null) {
                      continue; // evicted while copied: the session would read the log
                    }
                    got.forEach(WalTailTest::assertIntact);
                    served.addAndGet(got.size());
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              });
      reader.start();
      readers.add(reader);
    }
    long seq = 1;
    SplittableRandom r = new SplittableRandom(7);
    while (seq < 400_000 || served.get() < 10_000) {
      int n = r.nextInt(8) == 0 ? r.nextInt(2, 20) : 1;
      append(t, record(seq, n, n > 1));
      seq += n;
      if (failure.get() != null) {
        break;
      }
    }
    stop.set(true);
    for (Thread reader : readers) {
      reader.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(served.get()).isGreaterThanOrEqualTo(10_000);
  }
}
