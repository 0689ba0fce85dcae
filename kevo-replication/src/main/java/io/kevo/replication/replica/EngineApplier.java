package io.kevo.replication.replica;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoException;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WriteOptions;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.WalEntryApplier;
import java.util.List;
import java.util.Objects;

/**
 * {@link WalEntryApplier} over a {@link KevoDB}: records go to {@link KevoDB#applyReplicated} at
 * the primary's sequence numbers (not synced one by one: {@link #sync()} makes them durable in one
 * go before the replica acknowledges). The database is owned by the caller.
 *
 * <p>Thread-safety: as the interface, one thread at a time (the engine itself is thread-safe).
 */
public final class EngineApplier implements WalEntryApplier {
  private final KevoDB db;

  public EngineApplier(KevoDB db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public void apply(WalRecord entry) {
    applyAll(List.of(entry));
  }

  /** One group commit for all of {@code entries}: one WAL write instead of one per record. */
  @Override
  public void applyAll(List<WalRecord> entries) {
    try {
      db.applyReplicated(entries, WriteOptions.DEFAULT);
    } catch (KevoException e) {
      if (e.code() == ErrorCode.SEQUENCE_MISMATCH) {
        throw new ReplicationException(
            ReplicationException.Reason.SEQUENCE_MISMATCH,
            "records "
                + entries.get(0).firstSequence()
                + ".."
                + entries.get(entries.size() - 1).lastSequence()
                + " do not follow the local log: "
                + e.getMessage(),
            db.wal().nextSequence(),
            e);
      }
      throw e;
    }
  }

  @Override
  public long sync() {
    return db.syncWal();
  }

  /** The sequence the next applied record must start at. */
  public long nextSequence() {
    return db.wal().nextSequence();
  }
}
