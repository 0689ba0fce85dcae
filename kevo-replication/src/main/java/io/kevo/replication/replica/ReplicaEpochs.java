package io.kevo.replication.replica;

import io.kevo.engine.KevoDB;
import io.kevo.engine.RetentionHold;
import io.kevo.proto.replication.EpochsRequest;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.ReplicaIdentity;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.ReplicationException.Reason;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's side of the epoch check ({@link EpochHistory}): before each stream it asks the
 * primary for its history, refuses a primary older than the newest term it has seen ({@code
 * STALE_EPOCH}), detects local entries the primary's history does not have ({@code DIVERGED}: they
 * must be discarded by a bootstrap, and are reported once, {@link DiscardReport}), else adopts the
 * primary's history, persisted before anything of the stream is applied; then checks the stream's
 * term header against it.
 *
 * <p>Thread-safety: driven by the replica's apply thread only; {@link #history()} may be read from
 * any thread.
 */
final class ReplicaEpochs {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaEpochs.class);

  private final KevoDB db;
  private final ReplicaOptions options;
  private final String replicaId;
  private final Path stateDir;
  private volatile EpochHistory epochs;
  private EpochHistory.Term primaryTerm; // the term GetEpochs described for the current stream
  private long divergedAt = -1; // the first local sequence not in the primary's history
  private long reportedDivergence = -1;

  ReplicaEpochs(KevoDB db, ReplicaOptions options, String replicaId) {
    this.db = db;
    this.options = options;
    this.replicaId = replicaId;
    this.stateDir = db.directory().resolve(ReplicaIdentity.DIRECTORY);
    this.epochs = EpochHistory.load(stateDir);
  }

  /** The replica's epoch history as adopted so far. */
  EpochHistory history() {
    return epochs;
  }

  /**
   * Before a stream from {@code expected}: asks the primary for its epoch history; refuses a stale
   * primary; detects that this replica's entries diverge from the primary's history (then they must
   * be discarded); else adopts the primary's history.
   *
   * @throws ReplicaStreamEnded with the refusal, or if the call fails
   */
  void check(ReplicaConnection connection, long expected) {
    EpochHistory.Term mine = epochs.last();
    EpochsRequest.Builder rq =
        EpochsRequest.newBuilder()
            .setReplicaId(replicaId)
            .setListenerAddress(options.listenerAddress());
    if (mine != null) {
      rq.setLastEpoch(mine.epoch()).setLastTermId(mine.termId());
    }
    io.kevo.proto.replication.EpochHistory answer;
    try {
      answer = connection.getEpochs(rq.build());
    } catch (RuntimeException e) {
      throw ReplicaStreamEnded.fromClose(e, expected, options.maxBackoff());
    }
    EpochHistory theirs;
    try {
      theirs = EpochHistory.fromProto(answer.getRecordsList());
    } catch (ReplicationException e) {
      throw new ReplicaStreamEnded(e.getMessage(), null, false, e);
    }
    String refusal = epochs.refusalOf(theirs);
    if (refusal != null) {
      throw new ReplicaStreamEnded(
          "refusing the primary: "
              + refusal
              + "; retrying every "
              + options.maxBackoff().toMillis()
              + " ms (repoint this replica at the current primary)",
          Reason.STALE_EPOCH,
          true,
          null);
    }
    long last = expected - 1;
    long d = epochs.divergenceFrom(theirs, last);
    if (d > 0) {
      divergedAt = d;
      EpochHistory.Term localTerm = epochs.termAt(d);
      throw new ReplicaStreamEnded(
          "this replica's entries "
              + d
              + ".."
              + last
              + " ("
              + (localTerm == null ? "of no known term" : "written in " + localTerm)
              + ") are not in the primary's history (it has "
              + theirs.termAt(d)
              + " there): they must be discarded",
          Reason.DIVERGED,
          false,
          null);
    }
    if (!theirs.equals(epochs)) {
      try {
        theirs.store(stateDir);
      } catch (java.io.UncheckedIOException e) {
        // This node's disk (full, say), not the primary: nothing was streamed yet; retry later.
        throw new ReplicaStreamEnded(e.getMessage() + ": " + e.getCause(), null, false, e);
      }
      epochs = theirs;
      LOG.info("replica {}: adopted the primary's epoch history {}", replicaId, theirs);
    }
    primaryTerm = theirs.last();
  }

  /**
   * Lets the engine trim the log it kept since open ({@link
   * io.kevo.engine.Options#holdWalAtOpen()}, which a replica's database should be opened with): the
   * entries of the last run are kept until the replica has checked its history against its
   * primary's, because if they diverge they are discarded and {@link DiscardReport} reads them from
   * the log. A no-op once released, and for a database opened without the hold.
   */
  void releaseOpeningHold() {
    RetentionHold h = db.wal().takeOpeningHold();
    if (h != null) {
      h.close();
    }
  }

  /**
   * The stream's {@code kevo-epoch-term} header ({@code termId}, null if absent) must name the term
   * {@code GetEpochs} described.
   *
   * @throws ReplicaStreamEnded if the primary's term changed in between
   */
  void checkStreamTerm(String termId) {
    if (primaryTerm != null && termId != null && !primaryTerm.termId().equals(termId)) {
      throw new ReplicaStreamEnded(
          "the primary's term changed between GetEpochs ("
              + primaryTerm
              + ") and the stream (term "
              + termId
              + ")",
          null,
          false,
          null);
    }
  }

  /**
   * Before a bootstrap after a {@code DIVERGED} refusal: logs what will be discarded, once per
   * divergence (not at every retry of the bootstrap).
   */
  void reportDivergence(long lastApplied) {
    if (divergedAt != reportedDivergence) {
      reportedDivergence = divergedAt;
      DiscardReport.log(db, replicaId, divergedAt, lastApplied);
    }
  }

  /** A bootstrap installed a snapshot whose history is {@code fetched}: nothing diverges now. */
  void bootstrapped(EpochHistory fetched) {
    epochs = fetched;
    divergedAt = -1;
  }
}
