package io.kevo.replication;

import io.kevo.engine.WalRecord;

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
   * Makes every applied record durable and returns the highest durable sequence, which is what the
   * replica acknowledges.
   */
  long sync();
}
