package io.kevo.replication.primary;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kevo.engine.WalRecord;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.SessionManager;
import io.kevo.replication.StatusMapping;
import io.kevo.replication.wire.EncodedRecord;
import io.kevo.replication.wire.RecordEntries;
import io.kevo.replication.wire.ResponseBatcher;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's stream on the primary. Thread-safe: every event (the stream became ready, the log
 * grew, an ack, a nack, a heartbeat, close) only records what happened and schedules a drain, or
 * arms the linger timer that will (the log grew within the linger), or nothing (an ack while the
 * in-flight budget has room: the next drain frees what it covers); the drains of one session run
 * one at a time on the primary's sender executor (never on the engine's writer thread, nor on
 * gRPC's callback threads), and only a drain touches the stream and the send state below.
 *
 * <p>What a drain sends: records from {@link #nextSequence} on, taken from the shared {@link
 * WalTail} while they are there, else read from the log files ({@link
 * io.kevo.replication.WalProvider}) in slices, cut into responses of at most {@code batchBytes}
 * ({@link ResponseBatcher}, {@link RecordEntries}). It sends only while the gRPC stream is ready
 * (flow control) and while the bytes sent but not yet acknowledged are under {@code inFlightBytes},
 * checked between records (a record larger than the budget is sent to its end, or it could never be
 * acknowledged); so a replica that stops reading or acking costs the primary at most one slice, one
 * record and gRPC's own small buffer, never more as the primary keeps writing.
 *
 * <p>The primary is seen only through the {@link SessionContext} every session of it shares; what
 * the primary calls here are the session's commands ({@link #acknowledge}, {@link #rewind}, {@link
 * #requestAck}, {@link #close}, ...), each of which records and schedules.
 *
 * <p>Positions are record-granular: a nack or start inside an atomic batch resends the whole batch
 * (batches are never split).
 */
final class PrimarySession implements SessionManager.Session {
  private static final Logger LOG = LoggerFactory.getLogger(PrimarySession.class);

  /** Responses one drain sends before yielding the thread to other sessions. */
  private static final int RESPONSES_PER_DRAIN = 16;

  /**
   * Encoded bytes copied from the tail at a time: the copy stays an ordinary young object (well
   * below half a G1 region); a response (256 KiB by default) is filled from two or more of them.
   */
  private static final long TAIL_SLICE_BYTES = 128 << 10;

  private record Sent(long lastSequence, long bytes) {}

  private final String id;
  private final SessionContext context;
  private final StreamObserver<WALStreamResponse> responses;
  private final ServerCallStreamObserver<WALStreamResponse> flow; // null: always ready
  private final Executor executor;
  private final ResponseBatcher batcher;
  private final int fragmentBytes;
  private final long sliceBytes;
  private final boolean learner;
  private Retention.Tracked replica;

  // Cross-thread signals.
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicLong rewindTo = new AtomicLong(-1);
  private final AtomicLong ackedUpTo = new AtomicLong(-1);
  private final AtomicReference<WALStreamResponse> heartbeat = new AtomicReference<>();
  private final AtomicReference<StatusRuntimeException> closeWith = new AtomicReference<>();
  private final AtomicReference<StatusRuntimeException> closeWhenSent = new AtomicReference<>();
  private volatile long closeWhenSentUpTo; // written before closeWhenSent is set
  private volatile boolean cancelled;
  // The in-flight budget held sending back: an ack must wake a drain. Written by the drain.
  private volatile boolean budgetFull;
  private volatile boolean closed;
  private volatile long lastAckMillis;
  private volatile long notReadySinceMillis;

  // Owned by the drain.
  private long nextSequence;
  private final ArrayDeque<EncodedRecord> upcoming = new ArrayDeque<>();
  private RecordEntries current;
  private boolean currentStarted; // some entry of `current` went into a response
  private WALEntry pendingEntry;
  private final ArrayDeque<Sent> inFlight = new ArrayDeque<>();
  private long inFlightBytes;
  private boolean sentAny;
  private volatile long lastSendNanos; // of the last response with entries (read by logGrew)
  private final long lingerNanos;
  private final long fullEnoughBytes; // a response this large goes at once
  private final long askAckBytes; // unacknowledged bytes past which responses ask for acks
  private final AtomicBoolean lingerArmed = new AtomicBoolean();
  // A new session asks at once: the replica's answer confirms what it already holds, which a
  // primary that just opened waits for before it serves reads (see ConfirmedReads).
  private final AtomicBoolean ackRequested = new AtomicBoolean(true);
  private volatile long sentUpTo; // last sequence whose entries were all sent

  PrimarySession(
      String id,
      SessionContext context,
      StreamObserver<WALStreamResponse> responses,
      CompressionCodec codec,
      boolean packed,
      long startSequence,
      boolean learner) {
    this.id = id;
    this.learner = learner;
    this.context = context;
    this.responses = responses;
    this.flow = responses instanceof ServerCallStreamObserver<WALStreamResponse> s ? s : null;
    this.executor = context.sender();
    PrimaryOptions o = context.options();
    this.batcher = new ResponseBatcher(o.batchBytes(), codec, packed, context.compressor());
    this.fragmentBytes = RecordEntries.fragmentBytesFor(o.batchBytes());
    this.sliceBytes = Math.max(1L << 20, 4L * o.batchBytes());
    this.nextSequence = startSequence;
    this.sentUpTo = startSequence - 1;
    this.lastAckMillis = context.clock().millis();
    this.lingerNanos = o.sendLinger().toNanos();
    this.fullEnoughBytes = o.batchBytes() / 2;
    this.askAckBytes = o.inFlightBytes() / 2;
  }

  /** Hooks flow control and cancellation; call on the gRPC thread before the handler returns. */
  void install(Retention.Tracked replica) {
    this.replica = replica;
    if (flow != null) {
      flow.setOnReadyHandler(this::schedule);
      flow.setOnCancelHandler(
          () -> {
            cancelled = true;
            closeWith.compareAndSet(null, Status.CANCELLED.asRuntimeException());
            schedule();
          });
    }
  }

  @Override
  public String id() {
    return id;
  }

  Retention.Tracked replica() {
    return replica;
  }

  /**
   * Whether the replica streams as a learner ({@code WALStreamRequest.learner}): its acks move its
   * retention only, never an acknowledgement level nor the confirmed sequence.
   */
  boolean learner() {
    return learner;
  }

  long sentUpTo() {
    return sentUpTo;
  }

  @Override
  public boolean offer(WALStreamResponse response) {
    if (closed || closeWith.get() != null) {
      return false;
    }
    if (!ready()) {
      markNotReady();
      return false;
    }
    heartbeat.set(response);
    schedule();
    return true;
  }

  /**
   * A write waits for this replica's acknowledgement: the next response (an empty one if there is
   * nothing to send) carries {@code ack_requested}, and nothing lingers meanwhile.
   */
  void requestAck() {
    ackRequested.set(true);
    schedule();
  }

  /**
   * Records an ack; frees what it covers of the in-flight budget on the next drain, which it wakes
   * only if that budget held sending back (any later drain trims it first).
   */
  void acknowledge(long upTo) {
    lastAckMillis = context.clock().millis();
    ackedUpTo.accumulateAndGet(upTo, Math::max);
    if (budgetFull) {
      schedule();
    }
  }

  /** Resend from {@code sequence} on the stream (validated by the caller). */
  void rewind(long sequence) {
    rewindTo.set(sequence);
    replica.resends.incrementAndGet();
    context.counters().resends.increment();
    schedule();
  }

  /** Ends the stream with {@code status} (asynchronously, on the drain). */
  void close(StatusRuntimeException status) {
    closeWith.compareAndSet(null, status);
    schedule();
  }

  /**
   * Ends the stream with {@code status} once every record up to {@code lastSequence} has been
   * handed to it (asynchronously, on the drain): at shutdown, what the primary wrote reaches the
   * replica before the stream ends. Sending goes on as usual meanwhile (flow control, in-flight
   * cap) but never lingers; a replica that stops reading keeps the stream open, so the caller
   * bounds the wait and then calls {@link #close}.
   */
  void closeAfterSending(long lastSequence, StatusRuntimeException status) {
    closeWhenSentUpTo = lastSequence;
    closeWhenSent.compareAndSet(null, status);
    schedule();
  }

  /**
   * Whether the replica has neither read (the stream stayed not ready) nor acknowledged for longer
   * than {@code timeoutMillis}.
   */
  boolean stalled(long nowMillis, long timeoutMillis) {
    long since = notReadySinceMillis;
    return since != 0
        && nowMillis - since > timeoutMillis
        && nowMillis - lastAckMillis > timeoutMillis;
  }

  /**
   * The log grew. Drains, unless a linger timer is armed: that timer drains when the linger ends
   * and sees every record appended before it fires, so waking a drain per record meanwhile would
   * only cost a thread hand-off each (the records are appended to the tail before this is called).
   */
  void logGrew() {
    if (lingerArmed.get()) {
      return;
    }
    if (wip.get() == 0 && mayLinger()) {
      // The drain this would wake would only arm the linger timer: arm it from here and save that
      // thread hand-off per response. Unlike the drain, this cannot see how full the response
      // would be; a response half full within the linger waits for the timer (at most the linger).
      // While writes wait for acks, such a write's requestAck follows at once and wakes the drain
      // that sends it; the timer then only sends the records of writes that do not wait.
      long wait =
          context.acksWanted() ? lingerNanos : lastSendNanos + lingerNanos - System.nanoTime();
      if (wait > 0 && armLinger(wait)) {
        return;
      }
    }
    schedule();
  }

  void schedule() {
    if (wip.getAndIncrement() == 0) {
      try {
        executor.execute(this::drainLoop);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        wip.set(0); // the primary is closed; its close ended this stream
      }
    }
  }

  private void drainLoop() {
    int missed = 1;
    do {
      try {
        if (!drain()) {
          // Yielded to other sessions with work left: run again later.
          wip.set(0);
          schedule();
          return;
        }
      } catch (RuntimeException e) {
        if (!(e instanceof ReplicationException)) {
          LOG.error("session {}: sending failed", id, e);
        }
        closeWith.compareAndSet(null, StatusMapping.toStatus(e));
        finish();
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private boolean ready() {
    return flow == null || flow.isReady();
  }

  private void markNotReady() {
    if (notReadySinceMillis == 0) {
      notReadySinceMillis = context.clock().millis();
    }
  }

  /** One round of sending; false if it stopped early to be fair to other sessions. */
  private boolean drain() {
    if (closed) {
      return true;
    }
    if (closeWith.get() != null) {
      finish();
      return true;
    }
    long rw = rewindTo.getAndSet(-1);
    if (rw >= 0) {
      applyRewind(rw);
    }
    freeAcked();
    int sent = 0;
    while (true) {
      if (!ready()) {
        markNotReady();
        return true;
      }
      notReadySinceMillis = 0;
      if (inFlightBytes >= context.options().inFlightBytes()
          && batcher.count() == 0
          && !midRecord()) {
        // Say so before looking at the acks again: an ack recorded after this look sees the flag
        // and wakes a drain, one recorded before it is seen here.
        budgetFull = true;
        if (freeAcked()) {
          continue; // look again with what they freed
        }
        break;
      }
      if (budgetFull) {
        budgetFull = false; // a volatile write only when it changes, not per response
      }
      fill();
      if (batcher.count() == 0) {
        break;
      }
      if (linger()) {
        break;
      }
      List<WALEntry> entries = batcher.entries();
      long last = entries.get(entries.size() - 1).getSequenceNumber();
      int count = entries.size();
      WALStreamResponse r = batcher.createResponse();
      long raw = batcher.size();
      // Before sending: an ack of what this response completes may arrive before send returns.
      boolean unfinished = current != null && (pendingEntry != null || current.hasNext());
      sentUpTo = unfinished ? current.record().firstSequence() - 1 : nextSequence - 1;
      WALStreamResponse stamped = stamp(r);
      long wire = stamped.getSerializedSize();
      inFlight.addLast(new Sent(last, wire));
      inFlightBytes += wire;
      replica.bytesRaw.addAndGet(raw);
      replica.bytesWire.addAndGet(wire);
      replica.entriesSent.addAndGet(count);
      context.counters().sent(raw, wire, count);
      batcher.clear();
      lastSendNanos = System.nanoTime();
      send(stamped);
      heartbeat.set(null); // this response carries what a heartbeat would
      if (++sent >= RESPONSES_PER_DRAIN) {
        return false;
      }
    }
    WALStreamResponse hb = heartbeat.getAndSet(null);
    if (sent == 0 && batcher.count() == 0 && (hb != null || !sentAny || ackRequested.get())) {
      // The first message goes out at once (it carries the session-id header).
      context.counters().heartbeats.increment();
      send(stamp(hb != null ? hb : WALStreamResponse.getDefaultInstance()));
    }
    StatusRuntimeException last = closeWhenSent.get();
    if (last != null && batcher.count() == 0 && sentUpTo >= closeWhenSentUpTo) {
      closeWith.compareAndSet(null, last);
      finish();
    }
    return true;
  }

  /** Frees the in-flight budget that acks cover; whether they covered anything new. */
  private boolean freeAcked() {
    long acked = ackedUpTo.get();
    boolean freed = false;
    while (!inFlight.isEmpty() && inFlight.peekFirst().lastSequence() <= acked) {
      inFlightBytes -= inFlight.pollFirst().bytes();
      freed = true;
    }
    return freed;
  }

  /**
   * Whether part of the current record went into a response and part has not. A replica
   * acknowledges whole records only, so the in-flight budget must not stop a record half sent (nor
   * hold back a response already filled, which may end one): an atomic batch larger than the budget
   * would never be acknowledged and the stream would stall for good. Such a record is sent to its
   * end, paced by flow control alone.
   */
  private boolean midRecord() {
    return current != null && currentStarted && (pendingEntry != null || current.hasNext());
  }

  /**
   * Whether to hold back the response being filled: it is less than half full and the previous one
   * went out less than {@code sendLinger} ago. Arms a timer that drains again when the linger ends
   * (a later record may drain sooner). The first response after a quiet spell goes at once.
   */
  private boolean linger() {
    if (batcher.size() >= fullEnoughBytes || !mayLinger()) {
      return false;
    }
    long wait = lastSendNanos + lingerNanos - System.nanoTime();
    return wait > 0 && armLinger(wait);
  }

  /** Whether nothing forbids holding back a response: no write waits for an ack, no close. */
  private boolean mayLinger() {
    return lingerNanos > 0 && !ackRequested.get() && closeWhenSent.get() == null;
  }

  /**
   * Arms the linger timer unless it is armed already; false if the sender is closing (then send
   * what there is). The timer drains on the sender thread it fires on, without a hand-off to
   * another one.
   */
  private boolean armLinger(long waitNanos) {
    if (lingerArmed.compareAndSet(false, true)) {
      try {
        context.sender().schedule(this::lingerEnded, waitNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        lingerArmed.set(false);
        return false;
      }
    }
    return true;
  }

  private void lingerEnded() {
    lingerArmed.set(false);
    if (wip.getAndIncrement() == 0) {
      drainLoop();
    }
  }

  /** Adds entries to the batcher up to its budget. */
  private void fill() {
    while (true) {
      if (pendingEntry == null) {
        if (current == null || !current.hasNext()) {
          EncodedRecord r = nextRecord();
          if (r == null) {
            return;
          }
          current = new RecordEntries(r, fragmentBytes);
          currentStarted = false;
        }
        pendingEntry = current.next();
      }
      if (!batcher.add(pendingEntry)) {
        return;
      }
      pendingEntry = null;
      currentStarted = true;
    }
  }

  /** The record containing {@link #nextSequence}, advancing past it; null when caught up. */
  private EncodedRecord nextRecord() {
    while (true) {
      if (upcoming.isEmpty()) {
        List<EncodedRecord> got = context.tail().from(nextSequence, TAIL_SLICE_BYTES);
        if (got != null) {
          upcoming.addAll(got);
        } else {
          List<WalRecord> read = context.log().getEntriesFrom(nextSequence, sliceBytes);
          context.counters().recordsReadFromLog.add(read.size());
          for (WalRecord r : read) {
            upcoming.add(EncodedRecord.of(r));
          }
        }
        if (upcoming.isEmpty()) {
          return null;
        }
      }
      EncodedRecord r = upcoming.pollFirst();
      if (r.lastSequence() >= nextSequence) {
        nextSequence = r.lastSequence() + 1;
        return r;
      }
    }
  }

  private void applyRewind(long sequence) {
    LOG.info("session {}: resending from sequence {} (was at {})", id, sequence, nextSequence);
    nextSequence = sequence;
    upcoming.clear();
    current = null;
    currentStarted = false;
    pendingEntry = null;
    batcher.clear();
    sentUpTo = sequence - 1;
    // What was sent from `sequence` on is resent, so it no longer counts as in flight.
    while (!inFlight.isEmpty() && inFlight.peekLast().lastSequence() >= sequence) {
      inFlightBytes -= inFlight.pollLast().bytes();
    }
  }

  /**
   * Adds the primary's position and clock, and {@code ack_requested} if a write waits for an
   * acknowledgement, one waited lately ({@link SessionContext#acksWanted()}: the entries of the
   * next write that will wait then carry the question, instead of a message after them), or half
   * the in-flight budget is used.
   */
  private WALStreamResponse stamp(WALStreamResponse r) {
    boolean ask =
        ackRequested.getAndSet(false) || inFlightBytes >= askAckBytes || context.acksWanted();
    return r.toBuilder()
        .setPrimaryLastSequence(context.lastSequence())
        .setPrimaryTimeMicros(context.nowMicros())
        .setAckRequested(ask)
        .build();
  }

  private void send(WALStreamResponse stamped) {
    sentAny = true;
    responses.onNext(stamped);
  }

  /** Ends the stream (once) and unregisters the session. Runs on the drain. */
  private void finish() {
    if (closed) {
      return;
    }
    closed = true;
    StatusRuntimeException status = closeWith.get();
    if (!cancelled) {
      try {
        responses.onError(status);
      } catch (RuntimeException e) {
        LOG.debug("session {}: ending the stream failed", id, e);
      }
    }
    upcoming.clear();
    current = null;
    pendingEntry = null;
    batcher.clear();
    context.log().release(nextSequence);
    context.ended(this, status);
  }
}
