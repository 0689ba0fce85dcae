package io.kevo.replication;

import io.kevo.engine.WalRecord;
import java.util.List;

/**
 * Access to the primary's write-ahead log (the seed's {@code WALProvider}). Thread-safe.
 *
 * <p>Unlike the seed, reads are bounded: a lagging replica is served in slices, so its catch-up
 * never loads the whole log into memory.
 */
public interface WalProvider {
  /**
   * Logical records (single operations and whole atomic batches) from the one containing {@code
   * sequenceNumber} onwards, in log order, stopping once about {@code maxBytes} of payload have
   * been collected (at least one record when any exists). Empty when {@code sequenceNumber} is the
   * next sequence to be written.
   *
   * @throws ReplicationException {@link ReplicationException.Reason#POSITION_NOT_RETAINED} if the
   *     log no longer holds {@code sequenceNumber}; {@link
   *     ReplicationException.Reason#AHEAD_OF_PRIMARY} if it is beyond {@link #getNextSequence()}
   */
  List<WalRecord> getEntriesFrom(long sequenceNumber, long maxBytes);

  /** The sequence number the next written operation will receive. */
  long getNextSequence();

  /**
   * Registers {@code observer} under {@code id} (replacing any observer of that id). Observers are
   * called on a delivery thread of their own, never on the writer's, so they cannot slow writes;
   * except an observer that declares itself {@link WalObserver#inline()}, which is called by the
   * writer right after each append.
   */
  void registerObserver(String id, WalObserver observer);

  /** Removes the observer registered under {@code id}; no-op if none. */
  void unregisterObserver(String id);
}
