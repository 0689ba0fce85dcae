package io.kevo.replication.replica;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoException;
import io.kevo.engine.WriteRefusal;
import io.kevo.replication.ReplicaOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the replica does when its own database fails to apply or sync what the primary sent: tells a
 * full disk, which the engine gets over by itself, from a failure only a reopen cures, and waits
 * out the first.
 *
 * <p>Three outcomes, decided from the engine's {@link KevoDB#writeRefusal()} right after the
 * failure (the exception alone does not say: {@link ErrorCode#OUTCOME_UNKNOWN} follows a torn
 * append on a full disk as well as one on a failing disk):
 *
 * <ul>
 *   <li><b>The disk is full</b> (the refusal {@linkplain WriteRefusal#resumesByItself() resumes by
 *       itself}): the stream is dropped and the replica stays in {@link
 *       io.kevo.replication.ReplicaState#ERROR}, its last error saying the local disk is full,
 *       without acknowledging or reconnecting, checking the engine at a doubling interval from
 *       {@link ReplicaOptions#initialBackoff()} up to {@link #MAX_POLL} (or {@link
 *       ReplicaOptions#maxBackoff()} if shorter); once the engine takes writes again it reconnects.
 *       Dropping the stream rather than retrying the batch in place: the wait may last hours,
 *       during which an open stream would hold a session, a flow-control window and the primary's
 *       reads for nothing, and let the idle timeout and the primary's session timeout fight over
 *       it; reconnecting at once instead (what the replica did before) fetched the whole backlog
 *       again every backoff, only to be refused on its first record. The primary keeps the log for
 *       the replica meanwhile, within its retention limits (beyond them the replica is told so on
 *       reconnecting, and bootstraps). The position is never carried over: the reconnect asks for
 *       the engine's {@link io.kevo.engine.WalAccess#nextSequence()}, so a torn apply ({@link
 *       ErrorCode#OUTCOME_UNKNOWN}) is neither skipped nor applied twice, whether the engine cut it
 *       off when it recovered (in this process) or kept its whole records (after a restart).
 *   <li><b>Writes are refused until the database is reopened</b> ({@link ErrorCode#WRITES_REFUSED}:
 *       a failed fsync, an I/O error other than a full disk; or {@link ErrorCode#CORRUPTION}):
 *       replication stops for good, in {@link io.kevo.replication.ReplicaState#ERROR}, with the
 *       engine's reason as the last error. Reconnecting could never apply anything; a restart of
 *       the node is needed.
 *   <li>Anything else: the stream ends and the replica reconnects after its usual backoff.
 * </ul>
 *
 * <p>Not thread-safe: used by the replica's apply thread only.
 */
final class LocalRefusal {
  private static final Logger LOG = LoggerFactory.getLogger(LocalRefusal.class);

  /**
   * The longest interval between two checks of a full disk. Checking is a read of the engine's
   * state, not a call to the primary, so it stays short: once space is freed, replication resumes
   * within about this long after the engine's own recovery.
   */
  static final Duration MAX_POLL = Duration.ofSeconds(1);

  private final KevoDB db;
  private final String replicaId;
  private final ReplicaOptions options;
  private final long firstPollNanos;
  private final long maxPollNanos;

  LocalRefusal(KevoDB db, String replicaId, ReplicaOptions options) {
    this.db = db;
    this.replicaId = replicaId;
    this.options = options;
    this.maxPollNanos = Math.min(MAX_POLL.toNanos(), options.maxBackoff().toNanos());
    this.firstPollNanos = Math.max(1, Math.min(options.initialBackoff().toNanos(), maxPollNanos));
  }

  /**
   * Why the stream ends after the local database failed with {@code e} while {@code doing} (e.g.
   * "apply", "sync"), and what comes next ({@link ReplicaStreamEnded#local}).
   */
  ReplicaStreamEnded ended(String doing, KevoException e) {
    Optional<WriteRefusal> now = db.writeRefusal();
    if (now.isPresent() && !now.get().resumesByItself()) {
      return permanent(now.get().reason(), e);
    }
    if (e.code() == ErrorCode.WRITES_REFUSED || e.code() == ErrorCode.CORRUPTION) {
      return permanent(e.getMessage(), e);
    }
    if (now.isPresent()) {
      return new ReplicaStreamEnded(
          "the local disk is full; retrying once the database takes writes again (it refuses"
              + " them since "
              + now.get().since()
              + ": "
              + now.get().reason()
              + "); failed to "
              + doing
              + ": "
              + e.code(),
          null,
          false,
          e,
          ReplicaStreamEnded.Local.DISK_FULL);
    }
    // Refused (or torn) and already recovered, or another failure: reconnect as after any other.
    return new ReplicaStreamEnded(
        "the local database failed to " + doing + ": " + e.getMessage(), null, false, e);
  }

  private ReplicaStreamEnded permanent(String reason, KevoException e) {
    return new ReplicaStreamEnded(
        "replication stopped: the local database refuses writes until it is reopened (restart"
            + " this node): "
            + reason,
        null,
        false,
        e,
        ReplicaStreamEnded.Local.STOP);
  }

  /**
   * In {@link io.kevo.replication.ReplicaState#ERROR}, after the stream ended with {@code e}: what
   * comes next.
   *
   * @return {@code e} itself if it is not about the local database (reconnect after the usual
   *     backoff) or if replication must stop ({@link ReplicaStreamEnded.Local#STOP}); null to
   *     reconnect now, after the local disk was full and the database takes writes again (or the
   *     replica is stopping); a {@code STOP} end if it turned into a refusal needing a reopen while
   *     waiting
   */
  ReplicaStreamEnded afterEnd(ReplicaStreamEnded e, BooleanSupplier stopping, LongConsumer sleep) {
    ReplicaStreamEnded next =
        e.local == ReplicaStreamEnded.Local.DISK_FULL ? awaitWritable(stopping, sleep) : e;
    if (next != null && next.local == ReplicaStreamEnded.Local.STOP) {
      LOG.error("replica {}: {}", replicaId, next.getMessage(), next.getCause());
    }
    return next;
  }

  /**
   * After a {@link ReplicaStreamEnded.Local#DISK_FULL} end: waits until the database takes writes
   * again or {@code stopping} says so, checking at a doubling interval. {@code sleep} waits up to
   * the given nanoseconds (the replica's event poll, which drops the old stream's stale events and
   * wakes on stop).
   *
   * @return null to reconnect (writes accepted again, or stopping), or a {@link
   *     ReplicaStreamEnded.Local#STOP} end if the refusal became one that needs a reopen
   */
  private ReplicaStreamEnded awaitWritable(BooleanSupplier stopping, LongConsumer sleep) {
    long started = nanos();
    long interval = firstPollNanos;
    LOG.warn(
        "replica {}: the local disk is full; not streaming until the database takes writes again"
            + " (checked every {} to {} ms)",
        replicaId,
        Math.max(1, firstPollNanos / 1_000_000),
        maxPollNanos / 1_000_000);
    while (!stopping.getAsBoolean()) {
      Optional<WriteRefusal> now = db.writeRefusal();
      if (now.isEmpty()) {
        LOG.info(
            "replica {}: the local database takes writes again after {} ms; reconnecting from"
                + " sequence {}",
            replicaId,
            (nanos() - started) / 1_000_000,
            db.wal().nextSequence());
        return null;
      }
      if (!now.get().resumesByItself()) {
        return permanent(now.get().reason(), null);
      }
      long deadline = nanos() + interval;
      for (long left = interval; !stopping.getAsBoolean() && left > 0; left = deadline - nanos()) {
        sleep.accept(left);
      }
      interval = Math.min(maxPollNanos, interval * 2);
    }
    return null;
  }

  private long nanos() {
    return options.nanoTime().nanoTime();
  }
}
