package io.kevo.server;

import io.kevo.coordination.MemberInfo;
import io.kevo.engine.DbStats;
import io.kevo.engine.KevoDB;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.ReplicaIdentity;

/**
 * This node's member entry as the candidate choice reads it: its role, its epoch, the epoch of its
 * last durable entry and its durable sequence, whether it may be promoted, and what it is doing;
 * and, for status, its database's size. Reads them fresh at each call. Thread-safe.
 */
final class MemberFigures {
  private final NodeReplication node;
  private final KevoDB db;
  private final String memberId;
  private final String selfAddress;
  private final boolean noPromote;

  MemberFigures(
      NodeReplication node, KevoDB db, String memberId, String selfAddress, boolean noPromote) {
    this.node = node;
    this.db = db;
    this.memberId = memberId;
    this.selfAddress = selfAddress;
    this.noPromote = noPromote;
  }

  /** The figures now, for a node that {@code leading} (or not) and whose state is {@code state}. */
  MemberInfo now(boolean leading, String state) {
    EpochHistory h = node.epochs();
    if (h == null) {
      h = EpochHistory.load(db.directory().resolve(ReplicaIdentity.DIRECTORY));
    }
    long durable = db.wal().durableSequence();
    EpochHistory.Term entryTerm = h.termAt(durable);
    boolean isPrimary = leading && node.role() == NodeRole.PRIMARY;
    return new MemberInfo(
        memberId,
        selfAddress,
        isPrimary ? MemberInfo.PRIMARY : MemberInfo.REPLICA,
        h.currentEpoch(),
        entryTerm == null ? 0 : entryTerm.epoch(),
        durable,
        noPromote,
        state,
        dataBytes());
  }

  /** The database's bytes on disk: its tables and its log. */
  private long dataBytes() {
    DbStats stats = db.stats();
    long bytes = stats.walBytes();
    for (DbStats.LevelStats level : stats.levels()) {
      bytes += level.bytes();
    }
    return bytes;
  }
}
