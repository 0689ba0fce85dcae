package io.kevo.replication.primary;

import io.kevo.engine.RetentionHold;
import io.kevo.engine.WalAccess;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.ReplicationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the primary knows of each replica, connected or not: its acknowledged position, client
 * address, last-seen time, counters, and the WAL {@link RetentionHold} that keeps the log from its
 * position on. Thread-safe (one lock; file writes under a second one, outside the first).
 *
 * <p>A named replica (non-empty {@code replica_id}) keeps its hold while disconnected and across a
 * primary restart (positions are persisted to {@link PositionsFile}, coalesced: at most once per
 * flush interval and on close, never once per ack). An anonymous replica holds the log only while
 * its session is connected. A hold is dropped (logged) once the log it keeps alive exceeds the byte
 * limit, or once its disconnected replica has not been seen for the age limit (which also forgets
 * the replica); a request for a position no longer retained is then refused explicitly.
 *
 * <p>A learner (a node of another shard copying this shard's log for a split, {@code
 * WALStreamRequest.learner}) is held for like any replica, but its acknowledgements never confirm
 * anything ({@link #confirmed()}) and it is left out of {@link #mapCounted}: it will never be
 * elected in this shard, so a write only it holds is lost when this shard fails over.
 */
final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  /** One replica's state. Mutable fields are guarded by the {@link Retention}. */
  static final class Tracked {
    final String key;
    final boolean anonymous;
    long lastAcked;
    // The highest sequence it acknowledged through a session of this process: unlike lastAcked,
    // never a position loaded from disk (perhaps of an older term, beyond a log this primary lost)
    // nor one declared or installed without an acknowledgement. What confirms writes and reads.
    long confirmed;
    // Whether its last session streams as a learner: then it counts toward no acknowledgement
    // level. Not persisted: a replica loaded from disk confirms nothing until a session attaches.
    boolean learner;
    String address;
    long lastSeenMillis;
    boolean holdDropped;
    RetentionHold hold;
    PrimarySession session;
    long connectCount;
    // After a bootstrap: the hold is exempt from the byte limit until the replica acknowledged
    // this sequence (what the primary had written when the transfer ended); 0 when not exempt.
    long protectUntil;
    final AtomicLong bytesRaw = new AtomicLong();
    final AtomicLong bytesWire = new AtomicLong();
    final AtomicLong entriesSent = new AtomicLong();
    final AtomicLong resends = new AtomicLong();

    Tracked(String key, boolean anonymous) {
      this.key = key;
      this.anonymous = anonymous;
    }
  }

  private final WalAccess wal;
  private final Clock clock;
  private final PrimaryOptions options;
  private final Path file;
  private final LongAdder holdsDropped;
  private final Map<String, Tracked> replicas = new LinkedHashMap<>();
  private volatile long confirmed; // the highest Tracked.confirmed; written under this
  private final Object writeLock = new Object();
  private boolean dirty;
  private long lastWriteMillis;
  private boolean closed;

  Retention(WalAccess wal, PrimaryOptions options, Path stateDir, LongAdder holdsDropped) {
    this.wal = wal;
    this.clock = options.clock();
    this.options = options;
    this.file = stateDir.resolve(PositionsFile.NAME);
    this.holdsDropped = holdsDropped;
  }

  /** Loads persisted positions and re-creates the holds of those still retained. */
  synchronized void load() throws IOException {
    long first = wal.firstRetainedSequence();
    for (PositionsFile.Position p : PositionsFile.read(file)) {
      Tracked t = new Tracked(p.replicaId(), false);
      t.lastAcked = p.lastAcked();
      t.address = p.address();
      t.lastSeenMillis = p.lastSeenMillis();
      t.holdDropped = p.holdDropped();
      if (!t.holdDropped) {
        if (p.lastAcked() + 1 >= first) {
          t.hold = wal.retain(p.lastAcked() + 1);
        } else {
          t.holdDropped = true;
          LOG.warn(
              "replica {}: acknowledged position {} is no longer in the log (it starts at {});"
                  + " it must bootstrap",
              p.replicaId(),
              p.lastAcked(),
              first);
        }
      }
      replicas.put(t.key, t);
    }
    LOG.info("loaded {} replica positions from {}", replicas.size(), file);
  }

  /**
   * Attaches {@code session} to its replica (creating it), holding the log from {@code
   * startSequence}. Returns the replica; a session it had before is in {@code previous[0]}.
   */
  synchronized Tracked attach(
      String replicaId,
      String address,
      long startSequence,
      PrimarySession session,
      PrimarySession[] previous) {
    if (closed) {
      throw new ReplicationException(ReplicationException.Reason.CLOSED, "the primary is closing");
    }
    boolean anonymous = replicaId.isEmpty();
    String key = anonymous ? "session:" + session.id() : replicaId;
    Tracked t = replicas.computeIfAbsent(key, k -> new Tracked(k, anonymous));
    previous[0] = t.session;
    t.session = session;
    t.learner = session.learner();
    t.connectCount++;
    if (!address.isEmpty()) {
      t.address = address;
    } else if (t.address == null) {
      t.address = "";
    }
    t.lastSeenMillis = clock.millis();
    // The replica says it holds everything before startSequence: that is its position now, even
    // if it is behind what it acknowledged before (a replica restored from an older copy).
    t.lastAcked = startSequence - 1;
    if (t.protectUntil > 0 && t.lastAcked >= t.protectUntil) {
      t.protectUntil = 0;
    }
    RetentionHold old = t.hold;
    t.hold = wal.retain(startSequence);
    t.holdDropped = false;
    if (old != null) {
      old.close();
    }
    dirty |= !anonymous;
    return t;
  }

  /**
   * A snapshot transfer to replica {@code replicaId} at {@code sequence} ended: the replica now
   * holds everything up to it, and {@code hold} (from {@code sequence + 1}) becomes its hold,
   * exempt from the byte limit until it has acknowledged {@code protectUntil}, so that the stream
   * that follows the bootstrap is never refused for the log written during the bootstrap (no loop
   * between "too far behind" and a bootstrap that falls behind again). The age limit still applies.
   * An anonymous replica cannot be held for: the hold is released.
   */
  synchronized void bootstrapped(
      String replicaId, String address, long sequence, RetentionHold hold, long protectUntil) {
    if (closed || replicaId.isEmpty()) {
      hold.close();
      return;
    }
    Tracked t = replicas.computeIfAbsent(replicaId, k -> new Tracked(k, false));
    if (!address.isEmpty()) {
      t.address = address;
    } else if (t.address == null) {
      t.address = "";
    }
    t.lastSeenMillis = clock.millis();
    t.lastAcked = sequence;
    RetentionHold old = t.hold;
    t.hold = hold;
    t.holdDropped = false;
    // Nothing written during the transfer: nothing to catch up with, no exemption.
    t.protectUntil = protectUntil > sequence ? protectUntil : 0;
    if (old != null) {
      old.close();
    }
    dirty = true;
    LOG.info(
        "replica {}: bootstrapped at sequence {}; holding the log from {} for it (exempt from the"
            + " byte limit until it acknowledges {})",
        replicaId,
        sequence,
        sequence + 1,
        protectUntil);
  }

  /** Detaches {@code session} (if still the replica's); an anonymous replica is forgotten. */
  synchronized void detach(Tracked t, PrimarySession session) {
    if (t.session != session) {
      return;
    }
    t.session = null;
    t.lastSeenMillis = clock.millis();
    if (t.anonymous) {
      if (t.hold != null) {
        t.hold.close();
      }
      replicas.remove(t.key);
    } else {
      dirty = true;
    }
  }

  /**
   * The stream of {@code session} was refused (its start is not retained, or in the future): its
   * hold keeps nothing useful, release it, and detach.
   */
  synchronized void refused(Tracked t, PrimarySession session) {
    if (t.session == session && t.hold != null) {
      t.hold.close();
      t.hold = null;
      t.holdDropped = true;
    }
    detach(t, session);
  }

  /**
   * Records an acknowledgement, through a session of this process, of everything up to {@code
   * upTo}: the replica confirms it ({@link #confirmed()}) unless the session is a learner's, and
   * its hold moves past it.
   *
   * @param learner whether the acknowledging session streams as a learner (not {@code t.learner}: a
   *     late ack of a superseded learner session must not confirm anything)
   */
  synchronized void acknowledged(Tracked t, long upTo, boolean learner) {
    t.lastSeenMillis = clock.millis();
    if (!learner && upTo > t.confirmed) {
      t.confirmed = upTo;
      if (upTo > confirmed) {
        confirmed = upTo; // before the lock is released: before any waiter learns of it
      }
    }
    if (upTo <= t.lastAcked) {
      return;
    }
    t.lastAcked = upTo;
    if (t.protectUntil > 0 && upTo >= t.protectUntil) {
      t.protectUntil = 0;
      LOG.info("replica {}: caught up after its bootstrap (acknowledged {})", t.key, upTo);
    }
    if (t.hold != null) {
      t.hold.advanceTo(upTo + 1);
    } else if (t.session != null
        && upTo + 1 >= wal.firstRetainedSequence()
        && wal.bytesFrom(upTo + 1) <= options.retentionBytes()) {
      // Caught up again after its hold was dropped: hold the log for it again.
      t.hold = wal.retain(upTo + 1);
      t.holdDropped = false;
      LOG.info("replica {}: holding the log from {} again", t.key, upTo + 1);
    }
    dirty |= !t.anonymous;
  }

  /** Drops holds past the byte limit and disconnected replicas past the age limit. */
  void enforceLimits() {
    List<RetentionHold> toClose = new ArrayList<>();
    synchronized (this) {
      long now = clock.millis();
      var it = replicas.values().iterator();
      while (it.hasNext()) {
        Tracked t = it.next();
        boolean stale =
            t.session == null && now - t.lastSeenMillis > options.retentionAge().toMillis();
        if (t.hold != null) {
          long bytes = wal.bytesFrom(t.hold.fromSequence());
          boolean protectedAfterBootstrap = t.protectUntil > 0;
          if ((bytes > options.retentionBytes() && !protectedAfterBootstrap) || stale) {
            LOG.warn(
                "replica {}: dropping its WAL hold from sequence {} ({}; limits {} bytes, {});"
                    + " it must bootstrap if the log moves past it",
                t.key,
                t.hold.fromSequence(),
                stale
                    ? "not seen for " + (now - t.lastSeenMillis) + " ms"
                    : bytes + " bytes retained",
                options.retentionBytes(),
                options.retentionAge());
            toClose.add(t.hold);
            t.hold = null;
            t.holdDropped = true;
            holdsDropped.increment();
            dirty |= !t.anonymous;
          }
        }
        if (stale && t.hold == null) {
          it.remove();
          dirty = true;
        }
      }
    }
    toClose.forEach(RetentionHold::close);
  }

  /**
   * The highest sequence some replica acknowledged as durable through a session of this process
   * (acknowledgements are cumulative: it holds everything up to there); 0 before any.
   */
  long confirmed() {
    return confirmed;
  }

  synchronized List<Tracked> all() {
    return List.copyOf(replicas.values());
  }

  /** {@code f} applied to every replica under the lock (for consistent status snapshots). */
  synchronized <T> List<T> map(java.util.function.Function<Tracked, T> f) {
    List<T> out = new ArrayList<>(replicas.size());
    for (Tracked t : replicas.values()) {
      out.add(f.apply(t));
    }
    return out;
  }

  /**
   * Like {@link #map}, over the replicas that count toward acknowledgement levels: all but
   * learners.
   */
  synchronized <T> List<T> mapCounted(java.util.function.Function<Tracked, T> f) {
    List<T> out = new ArrayList<>(replicas.size());
    for (Tracked t : replicas.values()) {
      if (!t.learner) {
        out.add(f.apply(t));
      }
    }
    return out;
  }

  /** Writes positions if they changed and the last write is at least the flush interval old. */
  void flushIfDue() {
    long now = clock.millis();
    synchronized (this) {
      if (!dirty || now - lastWriteMillis < options.positionsFlushInterval().toMillis()) {
        return;
      }
    }
    flush();
  }

  /** Writes positions now if they changed. Failures are logged (retried on the next flush). */
  void flush() {
    synchronized (writeLock) {
      List<PositionsFile.Position> snapshot = new ArrayList<>();
      synchronized (this) {
        if (!dirty) {
          return;
        }
        for (Tracked t : replicas.values()) {
          if (!t.anonymous) {
            snapshot.add(
                new PositionsFile.Position(
                    t.key,
                    t.lastAcked,
                    t.address == null ? "" : t.address,
                    t.session != null ? clock.millis() : t.lastSeenMillis,
                    t.holdDropped));
          }
        }
        dirty = false;
        lastWriteMillis = clock.millis();
      }
      try {
        PositionsFile.write(file, snapshot);
      } catch (IOException e) {
        LOG.warn("could not write replica positions to {}", file, e);
        synchronized (this) {
          dirty = true;
        }
      }
    }
  }

  /** Writes positions and releases every hold (they are re-created from the file on start). */
  void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      dirty = true;
    }
    flush();
    synchronized (this) {
      for (Tracked t : replicas.values()) {
        if (t.hold != null) {
          t.hold.close();
          t.hold = null;
        }
      }
    }
  }
}
