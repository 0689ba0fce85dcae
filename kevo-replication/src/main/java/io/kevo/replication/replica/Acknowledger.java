package io.kevo.replication.replica;

import static io.kevo.replication.ReplicaState.ACKNOWLEDGING;
import static io.kevo.replication.ReplicaState.FSYNC_PENDING;

import io.kevo.engine.KevoException;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicaState;
import io.kevo.replication.WalEntryApplier;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's sync-then-acknowledge pipeline: while the primary asks for acknowledgements (a write
 * waits for this replica, or the stream is new) applied records are synced and acknowledged at once
 * if nothing else is queued, else within {@link ReplicaOptions#ackInterval()}; otherwise at most
 * every {@link ReplicaOptions#lazyAckInterval()}, coalesced. The sync runs on the {@code
 * kevo-replica-sync} thread while messages wait, so that applying goes on meanwhile (the engine's
 * fsync does not hold up its writes either), and on the apply thread when it is caught up; the
 * Acknowledge calls are {@link AckSender}'s (asynchronous, at most one in flight). Both end as
 * events on the replica's queue ({@link SyncDone}, {@link AckSender.AckDone}), handled in order by
 * the apply thread ({@link #onEvent}), which keeps the state machine's transitions on that thread.
 *
 * <p>Not thread-safe: owned by the replica's apply thread. Only the background sync (on its own
 * thread) and gRPC's answers to Acknowledge calls run elsewhere, and they only enqueue events.
 */
final class Acknowledger {
  private static final Logger LOG = LoggerFactory.getLogger(Acknowledger.class);

  /** A background sync started during {@code stream} ended: durable up to, or an error. */
  record SyncDone(ReplicaStream stream, long durable, RuntimeException error) {}

  private final String replicaId;
  private final WalEntryApplier applier;
  private final ReplicaStateMachine machine;
  private final AckSender sender;
  private final ReplicaCounters counters;
  private final LocalRefusal localRefusal;
  private final BlockingQueue<Object> events;
  private final BooleanSupplier moreQueued;
  private final LongSupplier nanoTime;
  private final ExecutorService syncer;
  private final long ackNanos; // options.ackInterval()
  private final long lazyAckNanos; // options.lazyAckInterval(), at least ackNanos

  private ReplicaStream stream; // the current stream, or null
  private long ackDueNanos = -1; // when applied records must be synced and acked; -1: none
  private Future<?> syncTask; // the background sync running, or null
  private boolean syncWanted; // an ack fell due while a sync ran: sync again when it ends
  private long ackAskedUpTo; // the primary asked for acks up to (its position when it asked)

  /**
   * @param events the apply thread's queue, where syncs and acks report their end
   * @param stopping whether the replica is stopping
   * @param moreQueued whether a message of the current stream is queued (the state after an ack)
   */
  Acknowledger(
      String replicaId,
      WalEntryApplier applier,
      ReplicaOptions options,
      ReplicaStateMachine machine,
      ReplicaConnection connection,
      ReplicaCounters counters,
      LocalRefusal localRefusal,
      BlockingQueue<Object> events,
      BooleanSupplier stopping,
      BooleanSupplier moreQueued) {
    this.replicaId = replicaId;
    this.applier = applier;
    this.machine = machine;
    this.sender = new AckSender(replicaId, options, connection, counters, events, stopping);
    this.counters = counters;
    this.localRefusal = localRefusal;
    this.events = events;
    this.moreQueued = moreQueued;
    this.nanoTime = options.nanoTime()::nanoTime;
    this.ackNanos = options.ackInterval().toNanos();
    this.lazyAckNanos = Math.max(ackNanos, options.lazyAckInterval().toNanos());
    this.syncer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "kevo-replica-sync-" + replicaId);
              t.setDaemon(true);
              return t;
            });
  }

  /** A new stream: nothing acknowledged on it yet. */
  void streamStarted(ReplicaStream s) {
    stream = s;
    ackAskedUpTo = 0;
    sender.streamStarted(s);
  }

  /** The stream is gone: answers still coming for it are stale. */
  void streamClosed() {
    stream = null;
    sender.streamClosed();
  }

  /** When applied records must be synced and acknowledged (nanoTime); -1 if nothing is due. */
  long dueNanos() {
    return ackDueNanos;
  }

  /** Whether an acknowledgement fell due at {@code now}. */
  boolean isDue(long now) {
    return ackDueNanos >= 0 && now >= ackDueNanos;
  }

  /** Records were applied: sync and ack them within the interval the primary's asking sets. */
  void applied() {
    // Promptly while the primary asked for acknowledgements not yet sent, else the lazy interval.
    dueWithin(ackAskedUpTo > sender.coveredUpTo() ? askedDelay() : lazyAckNanos);
  }

  /**
   * The primary asks for acknowledgements (a write waits for this replica, or the stream is new):
   * ack soon what it has not acknowledged on this stream, even if nothing new was applied.
   */
  void ackRequested(long primaryLast) {
    ackAskedUpTo = Math.max(ackAskedUpTo, primaryLast);
    if (counters.lastApplied > sender.coveredUpTo()) {
      dueWithin(askedDelay());
    }
  }

  /**
   * How soon an acknowledgement the primary asked for is due: at once when no message of the stream
   * waits to be applied (a write is waiting on the primary, and nothing would join this ack), else
   * within {@link ReplicaOptions#ackInterval()}, so that the queued messages share it. Under load
   * the sync and the Acknowledge call in flight (one of each) coalesce what comes meanwhile.
   */
  private long askedDelay() {
    return moreQueued.getAsBoolean() ? ackNanos : 0;
  }

  private void dueWithin(long delayNanos) {
    long due = nanoTime.getAsLong() + delayNanos;
    if (ackDueNanos < 0 || due < ackDueNanos) {
      ackDueNanos = due;
    }
  }

  /** Starts the sync (and then the ack) if one fell due. */
  void syncIfDue() {
    if (isDue(nanoTime.getAsLong())) {
      syncAndAck();
    }
  }

  /**
   * Acknowledgements are due: starts a sync in the background; its end comes back as an event,
   * which acknowledges. While one runs, another is started when it ends. With no message queued
   * there is nothing to apply meanwhile, so the sync runs on this thread and the ack goes out at
   * once, without the hand-offs to the sync thread and back (on a loaded machine each costs a
   * scheduling delay).
   */
  void syncAndAck() {
    ackDueNanos = -1;
    if (syncTask != null) {
      syncWanted = true;
      return;
    }
    if (!moreQueued.getAsBoolean()) {
      syncWanted = false;
      onSyncDone(sync(stream));
      return;
    }
    startSync();
  }

  private void startSync() {
    syncWanted = false;
    ReplicaStream s = stream;
    syncTask = syncer.submit(() -> events.add(sync(s)));
  }

  /** Syncs the local database, on the calling thread; the outcome, for stream {@code s}. */
  private SyncDone sync(ReplicaStream s) {
    try {
      return new SyncDone(s, applier.sync(), null);
    } catch (RuntimeException e) {
      return new SyncDone(s, -1, e);
    }
  }

  /**
   * Handles {@code event} if it is one of this class' ({@link SyncDone}, or an {@link
   * AckSender.AckDone} of the current stream; one of an older stream is dropped). Returns whether
   * it was.
   *
   * @throws ReplicaStreamEnded if the sync failed, or an ack found the primary unreachable
   */
  boolean onEvent(Object event) {
    if (event instanceof AckSender.AckDone a) {
      sender.onAnswer(a);
      return true;
    }
    if (event instanceof SyncDone d) {
      onSyncDone(d);
      return true;
    }
    return false;
  }

  /**
   * A sync ended (in the background, or on this thread). The state machine records it now
   * (FSYNC_PENDING: the sync's result, ACKNOWLEDGING: the ack sent), so its transitions stay on the
   * apply thread.
   */
  private void onSyncDone(SyncDone d) {
    syncTask = null;
    if (d.error() != null) {
      syncWanted = false;
      if (d.error() instanceof KevoException k) {
        throw localRefusal.ended("sync", k);
      }
      throw new ReplicaStreamEnded(
          "the local database failed to sync: " + d.error().getMessage(), null, false, d.error());
    }
    counters.durable = Math.max(counters.durable, d.durable());
    if (d.stream() == stream && stream != null) {
      machine.transition(FSYNC_PENDING, "synced");
      machine.transition(ACKNOWLEDGING, "durable up to " + counters.durable);
      sender.send(counters.durable);
      ReplicaState next =
          moreQueued.getAsBoolean()
              ? ReplicaState.STREAMING_ENTRIES
              : ReplicaState.WAITING_FOR_DATA;
      machine.transitionIfNot(
          next, next == ReplicaState.STREAMING_ENTRIES ? "more queued" : "caught up");
    }
    if (syncWanted) {
      startSync();
    }
  }

  /** Waits until the background sync (if any) has ended; its event is then stale. */
  private void awaitSyncIdle() {
    Future<?> t = syncTask;
    syncTask = null;
    syncWanted = false;
    if (t == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        t.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the sync is file I/O: wait for it regardless
      } catch (ExecutionException | CancellationException e) {
        break; // reported through its event
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** On stop: makes what was applied durable and acknowledges it while the session lives. */
  void finishOnStop() {
    boolean pending = ackDueNanos >= 0 || syncTask != null;
    awaitSyncIdle();
    ackDueNanos = -1;
    ReplicaState s = machine.current();
    if (pending && ReplicaStateMachine.isLegal(s, FSYNC_PENDING)) {
      machine.transition(FSYNC_PENDING, "replica stopping");
      counters.durable = applier.sync();
      machine.transition(ACKNOWLEDGING, "durable up to " + counters.durable);
      sender.send(counters.durable);
    } else {
      counters.durable = applier.sync();
    }
    sender.awaitAnswers();
    LOG.info(
        "replica {}: stopped at sequence {} (durable {})",
        replicaId,
        counters.lastApplied,
        counters.durable);
  }

  /**
   * After the stream ended: waits for the background sync (nothing may sync the database while a
   * bootstrap replaces it) and syncs what was applied and not yet synced. The session is gone, so
   * there is no ack; the next stream's start_sequence tells the primary.
   */
  void afterStreamEnded() {
    boolean syncing = syncTask != null;
    awaitSyncIdle();
    if (ackDueNanos >= 0 || syncing) {
      ackDueNanos = -1;
      try {
        counters.durable = applier.sync();
      } catch (KevoException se) {
        LOG.warn("replica {}: sync failed: {}", replicaId, se.getMessage());
      }
    }
  }

  /** Stops the sync thread (after the last sync has ended). */
  void shutdown() {
    syncer.shutdown();
  }
}
