package io.kevo.engine;

/**
 * The highest sequence reads may see, set by the application that embeds the database ({@link
 * KevoDB#readCeiling(ReadCeiling)}): a replicated primary that must not show writes its replicas
 * have not confirmed yet, since a failover could take them back.
 *
 * <p>Reads that name no snapshot, new snapshots and new transactions read at {@code
 * min(latestSequence(), ceiling())}; a read carrying a read-your-writes token ({@link
 * ReadOptions#minSequence()}, {@link TransactionOptions#minSequence()}) reads at least up to that
 * token (as far as it is written). Writes, and the commit check of transactions, are unaffected:
 * they see everything committed.
 *
 * <p>The engine never lets the ceiling go down: it reads at the highest value {@link #ceiling()}
 * returned so far, and at least at what was visible when the ceiling was installed (reads before it
 * could see that far; older versions may already be gone). Called on every read, from any thread,
 * sometimes under engine locks: it must be quick, thread-safe, and never call the database.
 */
@FunctionalInterface
public interface ReadCeiling {
  /** No ceiling: reads see every committed write. */
  ReadCeiling NONE = () -> Long.MAX_VALUE;

  /** The highest sequence reads may see now; {@link Long#MAX_VALUE} for no limit. */
  long ceiling();
}
