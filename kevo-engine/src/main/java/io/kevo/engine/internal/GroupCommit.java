package io.kevo.engine.internal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.internal.memtable.MemTable;
import io.kevo.engine.internal.wal.PendingWrite;
import io.kevo.engine.internal.wal.Wal;
import io.kevo.engine.internal.wal.WalSyncException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Commits one group of writes for the {@link WriteQueue}: make room (freeze a full memtable, honour
 * L0 stalls), screen out the writes that must not be logged, one WAL append for the rest, then the
 * memtable inserts, then publish the group's last sequence as visible.
 *
 * <p>Threading: {@link #commit} runs only on the thread of the current write leader, one group at a
 * time (the queue's lock orders successive leaders), so it owns the WAL append, the active
 * memtable's inserts, transaction commit checks and the {@link VisibleSequence}. It keeps no state
 * of its own between groups.
 *
 * <p>Failure: if the append fails, the group is neither applied nor announced and {@link
 * ErrorRecovery} refuses later writes; if only the fsync failed, the group was written and
 * announced to listeners (replicas may have it), so it is applied like a committed group before the
 * failure is reported, and this node reads what its log and its replicas hold.
 */
final class GroupCommit implements WriteQueue.GroupCommitter {
  /**
   * Leader check of a replicated write: it must land at exactly this sequence; once one write of a
   * {@code group} is refused, the rest of the group is too.
   */
  record ReplicatedAt(long firstSequence, Object group) {}

  private final Wal wal;
  private final LsmState lsm;
  private final ErrorRecovery errors;
  private final VisibleSequence visible;

  GroupCommit(Wal wal, LsmState lsm, ErrorRecovery errors, VisibleSequence visible) {
    this.wal = wal;
    this.lsm = lsm;
    this.errors = errors;
    this.visible = visible;
  }

  @Override
  public void commit(List<PendingWrite> group, boolean sync) throws Exception {
    errors.checkWritable();
    lsm.maybeSwitch();
    group = screen(group);
    try {
      wal.append(group, sync);
    } catch (WalSyncException e) {
      // Written and announced to listeners (replicas may have it): apply it like a committed group,
      // so that this node reads what its log and its replicas hold.
      apply(group);
      throw errors.appendFailed(e);
    } catch (IOException | RuntimeException e) {
      throw errors.appendFailed(e);
    }
    apply(group);
  }

  /** Inserts a logged group into the memtable and makes it visible. */
  private void apply(List<PendingWrite> group) {
    MemTable m = lsm.active();
    long last = visible.get();
    for (PendingWrite w : group) {
      w.forEachOperation((seq, k, v) -> m.add(k, seq, v));
      if (w.count() > 0) {
        last = w.lastSequence();
      }
    }
    lsm.inserted(last);
    visible.publish(last);
  }

  /**
   * Drops from the group the writes that must not be logged, each caller getting its reason. A
   * transaction runs its commit check, in order, against the committed state plus the writes
   * accepted before it in this group; a replicated write must start at exactly the sequence it
   * would be given. The others go on.
   */
  private List<PendingWrite> screen(List<PendingWrite> group) {
    boolean any = false;
    boolean checks = false;
    for (PendingWrite w : group) {
      any |= w.attachment() != null;
      checks |= w.attachment() instanceof CommitCheck;
    }
    if (!any) {
      return group;
    }
    List<PendingWrite> accepted = new ArrayList<>(group.size());
    // Only a transaction's check reads the keys accepted before it: a group of replicated records
    // alone (a replica's) does not collect them.
    CommitCheck.GroupKeys earlier = checks ? new CommitCheck.GroupKeys() : null;
    long next = wal.nextSequence();
    Object refusedGroup = null;
    ReadView view = null;
    try {
      for (PendingWrite w : group) {
        if (w.attachment() instanceof CommitCheck c) {
          if (view == null) {
            view = lsm.acquireView();
          }
          try {
            c.check(view, earlier);
          } catch (KevoException e) {
            w.reject(e);
            continue;
          }
        } else if (w.attachment() instanceof ReplicatedAt r
            && (r.firstSequence() != next || r.group() == refusedGroup)) {
          if (r.group() == refusedGroup) {
            w.reject(
                new KevoException(
                    ErrorCode.SEQUENCE_MISMATCH,
                    "an earlier record of the same replicated group was refused"));
            continue;
          }
          refusedGroup = r.group();
          w.reject(
              new KevoException(
                  ErrorCode.SEQUENCE_MISMATCH,
                  "replicated record starts at sequence "
                      + r.firstSequence()
                      + " but the log's next sequence is "
                      + next
                      + (r.firstSequence() < next ? " (already applied)" : " (a gap)")));
          continue;
        }
        accepted.add(w);
        next += w.count();
        if (earlier != null) {
          w.forEachOperation((seq, k, v) -> earlier.add(k));
        }
      }
    } finally {
      if (view != null) {
        view.unref();
      }
    }
    return accepted;
  }
}
