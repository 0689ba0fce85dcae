package io.kevo.replication;

import io.kevo.engine.WalOperation;
import java.util.List;

/**
 * Told of WAL activity (the seed's {@code WALObserver}). Calls for one observer come in log order,
 * from one delivery thread, or for an {@link #inline()} observer from the writer.
 */
public interface WalObserver {
  /** A single operation was appended to the log. */
  void onWalEntryWritten(WalOperation entry);

  /**
   * An atomic batch was appended: {@code entries} carry sequences {@code startSeq}, {@code startSeq
   * + 1}, ... in order.
   */
  void onWalBatchWritten(long startSeq, List<WalOperation> entries);

  /** Every operation up to and including {@code upToSeq} is on stable storage. */
  void onWalSync(long upToSeq);

  /**
   * The observer fell behind and the records {@code fromSeq..toSeq} were not delivered (an addition
   * to the seed: delivery is bounded so that a slow observer never holds up writers). Read them
   * with {@link WalProvider#getEntriesFrom}.
   */
  default void onWalMissed(long fromSeq, long toSeq) {}

  /**
   * Whether this observer's methods are quick, never block and never call into the database, so
   * that they may run on the writer's thread right after each append (and {@link #onWalSync} on the
   * thread that synced) instead of on a delivery thread of their own: one thread hand-off less per
   * write. Such an observer is never told {@link #onWalMissed}. Default false (an addition to the
   * seed).
   */
  default boolean inline() {
    return false;
  }
}
