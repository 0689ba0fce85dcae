package io.kevo.server;

import io.kevo.coordination.ClusterRecords;
import io.kevo.coordination.PrimaryRecord;
import java.util.concurrent.TimeUnit;

/**
 * The leading node's {@link PrimaryRecord}: who leads, since which epoch and sequence, and up to
 * which sequence its writes are confirmed (what a failover's candidate choice compares replicas
 * with). Written when the term begins, when the confirmed sequence moves (at most every 200 ms) and
 * at a switchover's step down. Confined to the election loop's thread.
 */
final class TermRecorder {
  /** The least time between two writes of the record's confirmed sequence. */
  private static final long RECORD_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final ClusterRecords records;
  private final String memberId;
  private final String selfAddress;
  private long epoch;
  private long termStart;
  private long recordedSequence = -1;
  private long recordedAtNanos;

  TermRecorder(ClusterRecords records, String memberId, String selfAddress) {
    this.records = records;
    this.memberId = memberId;
    this.selfAddress = selfAddress;
  }

  /**
   * A term of this node begins: {@code epoch}, its first sequence {@code start} (then {@link
   * #record}).
   */
  void begin(long epoch, long start) {
    this.epoch = epoch;
    this.termStart = start;
  }

  /** The epoch of this node's last term (0 before any). */
  long epoch() {
    return epoch;
  }

  /** The first sequence of this node's last term. */
  long termStart() {
    return termStart;
  }

  /** Records that writes are confirmed up to {@code confirmed}, if it moved and it is time. */
  void progress(long confirmed) {
    if (confirmed != recordedSequence
        && System.nanoTime() - recordedAtNanos >= RECORD_EVERY_NANOS) {
      record(confirmed);
    }
  }

  /**
   * Records now that writes are confirmed up to {@code confirmed} (at the term's start; at a
   * switchover's step down, its last sequence).
   */
  void record(long confirmed) {
    records.writePrimary(
        new PrimaryRecord(
            memberId, selfAddress, epoch, termStart, confirmed, System.currentTimeMillis()));
    recordedSequence = confirmed;
    recordedAtNanos = System.nanoTime();
  }
}
