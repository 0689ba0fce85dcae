package io.kevo.replication.replica;

import static io.kevo.replication.ReplicaState.APPLYING_ENTRIES;
import static io.kevo.replication.ReplicaState.CONNECTING;
import static io.kevo.replication.ReplicaState.ERROR;
import static io.kevo.replication.ReplicaState.STREAMING_ENTRIES;
import static io.kevo.replication.ReplicaState.WAITING_FOR_DATA;

import io.grpc.Channel;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoException;
import io.kevo.engine.KeyRange;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.Compressor;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicaState;
import io.kevo.replication.ReplicationException.Reason;
import io.kevo.replication.WalEntryApplier;
import io.kevo.replication.replica.ReplicaStream.Closed;
import io.kevo.replication.replica.ReplicaStream.Event;
import io.kevo.replication.replica.ReplicaStream.Headers;
import io.kevo.replication.replica.ReplicaStream.Message;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a replica's apply thread: connects, streams, and after every end of a stream waits,
 * bootstraps or reconnects, until the replica stops. It owns the event queue every other part of
 * the replica reports to (the stream's callbacks, the background sync, the answers to acks) and
 * dispatches each event in order to the part whose job it is: the {@link ApplyPipeline} (entries),
 * the {@link Acknowledger} (syncs and acks), the {@link ReplicaEpochs} check (before a stream and
 * on its headers), the {@link ReplicaBootstrap} (after a {@code POSITION_NOT_RETAINED} or {@code
 * DIVERGED} refusal), {@link LocalRefusal} (after a failure of the local database) and the backoff
 * of the {@link ReplicaConnection}. Every state change goes through the {@link
 * ReplicaStateMachine}.
 *
 * <p>Thread-safety: {@link #run()} runs on the apply thread only; {@link #requestStop()} and {@link
 * #stopping()} may be called from any thread.
 */
final class ReplicaLoop {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaLoop.class);

  /** Wakes the apply thread to notice {@link #stopping}. */
  private static final Object WAKE = new Object();

  private final KevoDB db;
  private final ReplicaOptions options;
  private final String replicaId;
  private final ReplicaStateMachine machine;
  private final ReplicaCounters counters;
  private final ReplicaConnection connection;
  private final ReplicaEpochs epochs;
  private final LocalRefusal localRefusal;
  private final Acknowledger acks;
  private final ApplyPipeline pipeline;
  private final ReplicaBootstrap bootstrap;
  private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private volatile boolean stopping;

  // Apply-thread state.
  private ReplicaStream stream;
  private long streamCount;
  private long lastHeardNanos;

  /**
   * @param appliedListener told (on the apply thread) the new last applied sequence after each
   *     group of records was applied
   */
  ReplicaLoop(
      KevoDB db,
      WalEntryApplier applier,
      Compressor compressor,
      ReplicaOptions options,
      String replicaId,
      ReplicaStateMachine machine,
      ReplicaCounters counters,
      ReplicaConnection connection,
      ReplicaEpochs epochs,
      LongConsumer appliedListener) {
    this.db = db;
    this.options = options;
    this.replicaId = replicaId;
    this.machine = machine;
    this.counters = counters;
    this.connection = connection;
    this.epochs = epochs;
    this.localRefusal = new LocalRefusal(db, replicaId, options);
    this.acks =
        new Acknowledger(
            replicaId,
            applier,
            options,
            machine,
            connection,
            counters,
            localRefusal,
            events,
            this::stopping,
            this::hasQueuedMessage);
    GapNacker nacker = new GapNacker(replicaId, options, connection, counters);
    this.pipeline =
        new ApplyPipeline(
            replicaId, applier, compressor, options, counters, nacker, acks, appliedListener);
    this.bootstrap =
        new ReplicaBootstrap(
            db, options, replicaId, machine, connection, counters, epochs, this::stopping);
  }

  /** Whether the replica was asked to stop. */
  boolean stopping() {
    return stopping;
  }

  /** Asks the apply thread to stop (see {@link Replica#stop()}); returns at once. */
  void requestStop() {
    stopping = true;
    events.add(WAKE);
  }

  /** The apply thread's body: returns once the replica stops or replication cannot go on. */
  void run() {
    try {
      boolean first = true;
      while (!stopping) {
        if (!first) {
          counters.reconnects.incrementAndGet();
        }
        if (machine.current() != CONNECTING) {
          machine.transition(
              CONNECTING, "reconnecting after " + connection.failures() + " failure(s) in a row");
        }
        first = false;
        try {
          String mismatch = rangeMismatch();
          if (mismatch != null) {
            ReplicaStreamEnded refusal =
                new ReplicaStreamEnded(mismatch, Reason.POSITION_NOT_RETAINED, false, null);
            if (!options.bootstrap()) {
              throw refusal; // retried after the backoff
            }
            // Not a failure: a learner starting on a database that lacks its range.
            LOG.info("replica {}: {}", replicaId, mismatch);
            ReplicaStreamEnded failed = bootstrap.run(refusal);
            if (failed != null) {
              backOff(failed);
            }
            continue;
          }
          streamOnce();
          return; // stopping
        } catch (ReplicaStreamEnded e) {
          if (!onStreamEnded(e)) {
            return; // the local database needs a reopen
          }
        }
      }
    } catch (VirtualMachineError e) {
      // Not ours to survive: the thread's uncaught-exception handler decides (a server halts).
      counters.lastError = "replication stopped: the JVM failed";
      throw e;
    } catch (RuntimeException | Error e) {
      // A bug or an engine failure we cannot stream past; status shows it.
      counters.lastError = "replication stopped: " + e;
      LOG.error("replica {}: replication thread failed", replicaId, e);
    } finally {
      closeStream("replica stopping");
      acks.shutdown();
    }
  }

  /** Opens a stream and consumes it until it ends (throws) or the replica stops (returns). */
  private void streamOnce() {
    long expected = db.wal().nextSequence();
    pipeline.startAt(expected);
    Channel channel = connection.connect();
    epochs.check(connection, expected);
    epochs.releaseOpeningHold();
    EpochHistory.Term mine = epochs.history().last();
    WALStreamRequest request =
        WALStreamRequest.newBuilder()
            .setStartSequence(expected)
            .setProtocolVersion(ReplicaOptions.PROTOCOL_VERSION)
            .setCompressionSupported(options.preferredCodec() != CompressionCodec.NONE)
            .setPreferredCodec(options.preferredCodec())
            .setListenerAddress(options.listenerAddress())
            .setReplicaId(replicaId)
            .setAcceptPacked(options.acceptPacked())
            .setLastEpoch(mine == null ? 0 : mine.epoch())
            .setLastTermId(mine == null ? "" : mine.termId())
            .setLearner(options.learner())
            .build();
    stream = new ReplicaStream(++streamCount, events, options.queueCapacity());
    acks.streamStarted(stream);
    LOG.info(
        "replica {}: streaming from the primary at sequence {} (stream {}{})",
        replicaId,
        expected,
        stream.id(),
        options.learner() ? ", as a learner" : "");
    lastHeardNanos = nanos();
    stream.start(channel, request);
    while (!stopping) {
      long now = nanos();
      if (acks.isDue(now)) {
        acks.syncAndAck();
        settle();
        continue;
      }
      long idleDeadline = lastHeardNanos + options.idleTimeout().toNanos();
      long wait = idleDeadline - now;
      if (acks.dueNanos() >= 0) {
        wait = Math.min(wait, acks.dueNanos() - now);
      }
      // Poll before judging idleness: after a long apply, queued messages still count.
      Object o = poll(wait);
      if (o == null && nanos() >= idleDeadline) {
        throw new ReplicaStreamEnded(
            "no message from the primary for "
                + options.idleTimeout().toMillis()
                + " ms (idle timeout): the stream is deemed dead",
            null,
            false,
            null);
      }
      if (acks.onEvent(o)) {
        continue;
      }
      if (o instanceof Event ev && ev.stream() == stream) {
        try {
          handle(ev);
        } catch (KevoException e) {
          throw localRefusal.ended("apply", e);
        }
      }
    }
    acks.finishOnStop();
  }

  private void handle(Event ev) {
    if (ev instanceof Headers h) {
      epochs.checkStreamTerm(h.epochTerm());
      lastHeardNanos = nanos();
      counters.sessionId = h.sessionId();
      counters.connectedSince = options.clock().instant();
      if (machine.current() == CONNECTING) {
        machine.transition(STREAMING_ENTRIES, "stream open, session " + h.sessionId());
      }
    } else if (ev instanceof Message m) {
      stream.taken();
      lastHeardNanos = nanos();
      onMessage(m.response());
    } else if (ev instanceof Closed c) {
      throw ReplicaStreamEnded.fromClose(c.error(), pipeline.expected(), options.maxBackoff());
    }
  }

  private void onMessage(WALStreamResponse response) {
    boolean heartbeat = response.getEntriesCount() == 0 && response.getPackedEntries().isEmpty();
    if (machine.current() == CONNECTING) {
      machine.transition(STREAMING_ENTRIES, "first message, session " + counters.sessionId);
    } else if (machine.current() == WAITING_FOR_DATA && !heartbeat) {
      machine.transition(STREAMING_ENTRIES, "entries received");
    }
    connection.delivered();
    counters.delivered();
    counters.wireBytes.addAndGet(response.getSerializedSize());
    if (response.getAckRequested()) {
      acks.ackRequested(response.getPrimaryLastSequence());
    }
    counters.lag.onMessage(
        response.getPrimaryLastSequence(),
        response.getPrimaryTimeMicros(),
        options.clock().millis());
    List<WALEntry> entries = pipeline.unpack(response);
    if (entries == null) {
      settle();
      return;
    }
    if (!entries.isEmpty()) {
      machine.transition(APPLYING_ENTRIES, entries.size() + " entries received");
      pipeline.apply(entries);
    }
    pipeline.renackIfStuck();
    if (!heartbeat || machine.current() != WAITING_FOR_DATA) {
      settle();
    }
  }

  /** After a message: the next state depends on whether more is queued. */
  private void settle() {
    acks.syncIfDue();
    ReplicaState next = hasQueuedMessage() ? STREAMING_ENTRIES : WAITING_FOR_DATA;
    machine.transitionIfNot(next, next == STREAMING_ENTRIES ? "more queued" : "caught up");
  }

  private boolean hasQueuedMessage() {
    for (Object o : events) {
      if (o instanceof Message m && m.stream() == stream) {
        return true;
      }
    }
    return false;
  }

  /**
   * A learner of a key range streams only onto a database that keeps exactly that range: one that
   * holds nothing yet, or other keys (every key, or another split's range, whose moving keys it may
   * lack), bootstraps from a snapshot of the range first. Says why it must, or {@code null} when it
   * need not (always for a replica of every key).
   */
  private String rangeMismatch() {
    KeyRange want = options.keyRange();
    if (want.isAll()) {
      return null;
    }
    KeyRange kept = db.retained();
    if (kept.equals(want) && db.wal().nextSequence() > 1) {
      return null;
    }
    return "this learner's database keeps "
        + (db.wal().nextSequence() == 1 ? "nothing yet" : "the keys " + kept)
        + ", not the range it learns "
        + want
        + ": it bootstraps from a snapshot of that range";
  }

  /** After a stream ended: waits, bootstraps or reconnects; false if replication must stop. */
  private boolean onStreamEnded(ReplicaStreamEnded e) {
    closeStream(e.getMessage());
    acks.afterStreamEnded();
    connection.failed();
    counters.failed(e.getMessage(), e.refusal);
    machine.transition(ERROR, e.getMessage());
    e = localRefusal.afterEnd(e, this::stopping, this::poll);
    if (e == null) {
      return true; // the local database takes writes again: reconnect now
    } else if (e.local == ReplicaStreamEnded.Local.STOP) {
      counters.lastError = e.getMessage();
      return false;
    }
    boolean diverged = e.refusal == Reason.DIVERGED;
    if ((e.refusal == Reason.POSITION_NOT_RETAINED || diverged)
        && options.bootstrap()
        && !stopping) {
      if (diverged) {
        epochs.reportDivergence(counters.lastApplied);
      }
      e = bootstrap.run(e);
      if (e == null) {
        return true; // installed; CONNECTING
      }
    }
    backOff(e);
    return true;
  }

  /** Logs why the stream ended and waits out the reconnection backoff (or a stop). */
  private void backOff(ReplicaStreamEnded e) {
    long delay = connection.delayMillis(e.maxBackoff);
    if (e.refusal != null) {
      LOG.warn("replica {}: {}; reconnecting in {} ms", replicaId, e.getMessage(), delay);
    } else {
      LOG.info(
          "replica {}: {}; reconnecting in {} ms ({} failure(s) in a row)",
          replicaId,
          e.getMessage(),
          delay,
          connection.failures());
    }
    long deadline = nanos() + TimeUnit.MILLISECONDS.toNanos(delay);
    for (long left = delay * 1_000_000; !stopping && left > 0; left = deadline - nanos()) {
      poll(left); // stale events of the old stream are dropped
    }
  }

  private void closeStream(String why) {
    if (stream != null) {
      stream.cancel(why);
      stream = null;
    }
    acks.streamClosed();
    pipeline.dropPartial();
    counters.disconnected();
  }

  private Object poll(long nanos) {
    try {
      return events.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      // Nobody should interrupt this thread; treat it as a request to stop.
      Thread.currentThread().interrupt();
      stopping = true;
      return WAKE;
    }
  }

  private long nanos() {
    return options.nanoTime().nanoTime();
  }
}
