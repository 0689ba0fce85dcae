package io.kevo.replication;

import io.kevo.engine.WalRecord;
import java.util.List;

/**
 * Applies replicated WAL records on a replica (the seed's {@code WALEntryApplier}). Called by one
 * thread at a time.
 */
public interface WalEntryApplier {
  /**
   * Applies one logical record (a single operation, or an atomic batch as one unit) at exactly its
   * sequence numbers, which must follow the last applied one.
   *
   * @throws ReplicationException {@link ReplicationException.Reason#SEQUENCE_MISMATCH} if it does
   *     not start right after the last applied sequence (nothing is applied)
   */
  void apply(WalRecord entry);

  /**
   * Applies consecutive records (each following the one before) as {@link #apply} would one by one;
   * an implementation may write them together. If the first does not follow the last applied
   * sequence, nothing is applied.
   */
  default void applyAll(List<WalRecord> entries) {
    for (WalRecord e : entries) {
      apply(e);
    }
  }

  /**
   * Makes every applied record durable and returns the highest durable sequence, which is what the
   * replica acknowledges.
   */
  long sync();
}
