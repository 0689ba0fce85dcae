package io.kevo.replication.primary;

import io.kevo.engine.WalAccess;
import io.kevo.proto.replication.EpochsRequest;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.ReplicationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A primary's term: its epoch history (whose last term is this primary's), what {@code GetEpochs}
 * answers, and the check every replica passes on {@code GetEpochs} and {@code StreamWAL}: one that
 * has seen a newer term than this primary's supersedes it ({@code STALE_EPOCH}), and from then on
 * the primary refuses client writes ({@link #supersededBy()}).
 *
 * <p>Thread-safe: the history is immutable; the superseded reason is set once (volatile).
 */
final class PrimaryTerm {
  private static final Logger LOG = LoggerFactory.getLogger(PrimaryTerm.class);

  private final EpochHistory epochs;
  private final WalAccess wal;
  private final PrimaryCounters counters;
  private volatile String supersededBy; // why client writes are refused; null: not superseded

  PrimaryTerm(EpochHistory epochs, WalAccess wal, PrimaryCounters counters) {
    this.epochs = epochs;
    this.wal = wal;
    this.counters = counters;
  }

  EpochHistory epochs() {
    return epochs;
  }

  /** Why this primary must not take writes any more, or null. */
  String supersededBy() {
    return supersededBy;
  }

  /**
   * The epoch history and the next sequence ({@code GetEpochs}).
   *
   * @throws ReplicationException STALE_EPOCH if the caller has seen a newer term
   */
  io.kevo.proto.replication.EpochHistory getEpochs(EpochsRequest request) {
    checkNotStale(
        request.getLastEpoch(),
        request.getLastTermId(),
        request.getReplicaId(),
        request.getListenerAddress());
    return io.kevo.proto.replication.EpochHistory.newBuilder()
        .addAllRecords(epochs.toProto())
        .setNextSequence(wal.nextSequence())
        .build();
  }

  /**
   * Refuses a replica that has seen a newer term than this primary's: this primary has been
   * superseded, and from now on refuses client writes ({@link #supersededBy()}).
   *
   * @param theirs the newest epoch the replica has seen (0: none)
   * @throws ReplicationException STALE_EPOCH
   */
  void checkNotStale(long theirs, String theirTerm, String replicaId, String address) {
    if (theirs == 0) {
      return;
    }
    EpochHistory.Term mine = epochs.last();
    if (epochs.contains(theirs, theirTerm)) {
      return;
    }
    if (theirs < mine.epoch()) {
      return; // an older term we do not have: the replica sees its divergence from GetEpochs
    }
    String why =
        "this primary is stale: replica '"
            + replicaId
            + "' ("
            + address
            + ") has seen epoch "
            + theirs
            + " (term "
            + theirTerm
            + "), not in this primary's history, whose "
            + mine
            + (theirs > mine.epoch()
                ? " is older: another node was promoted"
                : ": two nodes were made primary of epoch " + theirs);
    counters.streamsRefused.increment();
    if (supersededBy == null) {
      supersededBy = why;
      LOG.error("this primary is superseded and refuses client writes from now on: {}", why);
    }
    throw new ReplicationException(ReplicationException.Reason.STALE_EPOCH, why);
  }
}
