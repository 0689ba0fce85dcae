package io.kevo.replication.primary;

import io.kevo.replication.AckResult;
import io.kevo.replication.SurfacingScheduledExecutor;
import io.kevo.wire.AckLevel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Writes waiting for replica acknowledgements ({@link Primary#awaitAcknowledged}). Thread-safe.
 *
 * <p>Waiters sit in one set ordered by sequence. Each acknowledgement (after {@link Retention} has
 * recorded it) takes a snapshot of every replica's acknowledged position and releases, in sequence
 * order, the waiters it satisfies: only those at or below the highest acknowledged position are
 * looked at. A replica's stream ending re-examines every {@code all} waiter (its set of replicas
 * may have shrunk). No polling and no thread per waiter: a timeout is one task on a single timer
 * thread, cancelled when the waiter is released. Futures are completed outside the lock, on the
 * thread that released them (the acknowledging RPC's, or the timer's): their callbacks must be
 * quick and never block.
 */
final class AckWaiters implements AutoCloseable {
  /** One replica as a snapshot sees it. */
  record Position(Object replica, long acked, boolean connected) {}

  private static final class Waiter implements Comparable<Waiter> {
    final long sequence;
    final long order;
    final AckLevel level;
    final Set<Object> members; // ALL: the replicas connected at the start; else null
    final CompletableFuture<AckResult> future = new CompletableFuture<>();
    ScheduledFuture<?> timeout;

    Waiter(long sequence, long order, AckLevel level, Set<Object> members) {
      this.sequence = sequence;
      this.order = order;
      this.level = level;
      this.members = members;
    }

    @Override
    public int compareTo(Waiter o) {
      int c = Long.compare(sequence, o.sequence);
      return c != 0 ? c : Long.compare(order, o.order);
    }
  }

  private final Supplier<List<Position>> positions;
  private final ScheduledThreadPoolExecutor timer;
  private final TreeSet<Waiter> waiting = new TreeSet<>(); // guarded by this
  private final AtomicLong order = new AtomicLong();
  private volatile int size;
  private boolean closed; // guarded by this
  final LongAdder waits = new LongAdder();
  final LongAdder confirmed = new LongAdder();
  final LongAdder timedOut = new LongAdder();

  AckWaiters(Supplier<List<Position>> positions) {
    this.positions = positions;
    this.timer =
        new SurfacingScheduledExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "kevo-repl-ack-timer");
              t.setDaemon(true);
              return t;
            });
    this.timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * How long after a write last waited for acknowledgements every response still asks for them
   * ({@link #waitedRecently}): a write's entries usually leave before its wait is registered, and
   * while writes wait one after another the next one's entries should carry the question.
   */
  static final long RECENT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private volatile long lastWaitNanos = System.nanoTime() - 2 * RECENT_WAIT_NANOS;

  /** Whether a write waited for acknowledgements in the last {@link #RECENT_WAIT_NANOS}. */
  boolean waitedRecently() {
    return System.nanoTime() - lastWaitNanos < RECENT_WAIT_NANOS;
  }

  /** See {@link Primary#awaitAcknowledged}. */
  CompletableFuture<AckResult> await(long sequence, AckLevel level, long timeoutNanos) {
    waits.increment();
    List<Position> snap = positions.get();
    Set<Object> members = null;
    if (level.kind() == AckLevel.Kind.ALL) {
      members = Collections.newSetFromMap(new IdentityHashMap<>());
      for (Position p : snap) {
        if (p.connected()) {
          members.add(p.replica());
        }
      }
    }
    Waiter w = new Waiter(sequence, order.incrementAndGet(), level, members);
    AckResult now = evaluate(w, snap);
    if (now.confirmed() || level.kind() == AckLevel.Kind.ASYNC) {
      confirmed.increment();
      w.future.complete(now);
      return w.future;
    }
    lastWaitNanos = System.nanoTime();
    synchronized (this) {
      if (closed) {
        timedOut.increment();
        w.future.complete(now);
        return w.future;
      }
      waiting.add(w);
      size = waiting.size();
    }
    try {
      w.timeout = timer.schedule(() -> expire(w), Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      expire(w); // closing
    }
    // An acknowledgement recorded between the snapshot and the add has already looked for
    // waiters and missed this one: look again now that it is in the set.
    release(false);
    return w.future;
  }

  /** A replica acknowledged: release what is now satisfied. */
  void acknowledged() {
    if (size > 0) {
      release(false);
    }
  }

  /** A replica's stream ended: {@code all} waiters may need one replica fewer. */
  void disconnected() {
    if (size > 0) {
      release(true);
    }
  }

  int pending() {
    return size;
  }

  /** Completes every waiter as not confirmed and stops the timer. Idempotent; throws nothing. */
  @Override
  public void close() {
    List<Waiter> left;
    synchronized (this) {
      closed = true;
      left = new ArrayList<>(waiting);
      waiting.clear();
      size = 0;
    }
    timer.shutdownNow();
    List<Position> snap = left.isEmpty() ? List.of() : positions.get();
    for (Waiter w : left) {
      finish(w, evaluate(w, snap));
    }
  }

  private void release(boolean all) {
    List<Position> snap = positions.get();
    long maxAcked = -1;
    for (Position p : snap) {
      maxAcked = Math.max(maxAcked, p.acked());
    }
    List<Waiter> done = new ArrayList<>();
    List<AckResult> results = new ArrayList<>();
    synchronized (this) {
      Iterator<Waiter> it = waiting.iterator();
      while (it.hasNext()) {
        Waiter w = it.next();
        if (w.sequence > maxAcked && !all) {
          break; // nobody has acknowledged this far yet
        }
        if (w.sequence > maxAcked && w.level.kind() != AckLevel.Kind.ALL) {
          continue;
        }
        AckResult r = evaluate(w, snap);
        if (r.confirmed()) {
          it.remove();
          done.add(w);
          results.add(r);
        }
      }
      size = waiting.size();
    }
    for (int i = 0; i < done.size(); i++) {
      finish(done.get(i), results.get(i));
    }
  }

  private void expire(Waiter w) {
    synchronized (this) {
      if (!waiting.remove(w)) {
        return; // released meanwhile
      }
      size = waiting.size();
    }
    finish(w, evaluate(w, positions.get()));
  }

  private void finish(Waiter w, AckResult r) {
    if (w.timeout != null) {
      w.timeout.cancel(false);
    }
    (r.confirmed() ? confirmed : timedOut).increment();
    w.future.complete(r);
  }

  /** Where {@code w} stands against {@code snap}. */
  private static AckResult evaluate(Waiter w, List<Position> snap) {
    switch (w.level.kind()) {
      case ASYNC:
        return new AckResult(w.sequence, true, countAcked(w.sequence, snap), 0);
      case REPLICA:
        {
          int n = w.level.replicas();
          long[] acked = new long[snap.size()];
          for (int i = 0; i < acked.length; i++) {
            acked[i] = snap.get(i).acked();
          }
          Arrays.sort(acked);
          int have = countAcked(w.sequence, snap);
          boolean ok = n <= acked.length && acked[acked.length - n] >= w.sequence;
          return new AckResult(w.sequence, ok, have, n);
        }
      case ALL:
      default:
        {
          Map<Object, Position> byReplica = new IdentityHashMap<>();
          for (Position p : snap) {
            byReplica.put(p.replica(), p);
          }
          int have = 0;
          int required = 0;
          for (Object m : w.members) {
            Position p = byReplica.get(m);
            boolean acked = p != null && p.acked() >= w.sequence;
            // A replica that disconnected (or was forgotten) before acknowledging is no longer
            // waited for; one that acknowledged counts whether or not it is still connected.
            if (acked) {
              have++;
              required++;
            } else if (p != null && p.connected()) {
              required++;
            }
          }
          if (required == 0) {
            // Nobody to wait for: no replica was connected when the write committed, or all of
            // them left before acknowledging. Then at least one replica must have it, as at
            // replica:1; else "all" would confirm a write only the primary holds, which the next
            // failover loses (found by the fault-injection harness).
            int any = countAcked(w.sequence, snap);
            return new AckResult(w.sequence, any >= 1, any, 1);
          }
          return new AckResult(w.sequence, have == required, have, required);
        }
    }
  }

  private static int countAcked(long sequence, List<Position> snap) {
    int n = 0;
    for (Position p : snap) {
      if (p.acked() >= sequence) {
        n++;
      }
    }
    return n;
  }
}
