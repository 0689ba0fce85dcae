package io.kevo.replication.replica;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kevo.proto.replication.AckResponse;
import io.kevo.replication.ReplicaOptions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's Acknowledge calls on the current stream: asynchronous, at most one in flight (acks
 * are cumulative, so a position that becomes durable meanwhile is sent when the call answers), the
 * answer coming back as an {@link AckDone} event on the replica's queue, so that applying never
 * waits for a network round trip. An ack that finds the primary unreachable ends the stream.
 *
 * <p>Not thread-safe: owned by the replica's apply thread; gRPC's answers only enqueue events.
 */
final class AckSender {
  private static final Logger LOG = LoggerFactory.getLogger(AckSender.class);

  /** The answer to an Acknowledge call of {@code stream}: a response, or an error. */
  record AckDone(ReplicaStream stream, long upTo, AckResponse response, Throwable error) {}

  private final String replicaId;
  private final ReplicaOptions options;
  private final ReplicaConnection connection;
  private final ReplicaCounters counters;
  private final BlockingQueue<Object> events;
  private final BooleanSupplier stopping;
  private final LongSupplier nanoTime;

  private ReplicaStream stream; // the current stream, or null
  private boolean ackInFlight; // an Acknowledge call of the current stream has not answered yet
  // Acknowledged on the current stream: a new primary (restarted, promoted) knows nothing of what
  // this replica acknowledged to another, and waits for it to confirm what it holds.
  private long streamAcked;
  private long ackWanted = -1; // durable position to acknowledge once it has; -1: none

  AckSender(
      String replicaId,
      ReplicaOptions options,
      ReplicaConnection connection,
      ReplicaCounters counters,
      BlockingQueue<Object> events,
      BooleanSupplier stopping) {
    this.replicaId = replicaId;
    this.options = options;
    this.connection = connection;
    this.counters = counters;
    this.events = events;
    this.stopping = stopping;
    this.nanoTime = options.nanoTime()::nanoTime;
  }

  /** A new stream ({@code s}): nothing acknowledged or in flight on it yet. */
  void streamStarted(ReplicaStream s) {
    stream = s;
    ackInFlight = false;
    ackWanted = -1;
    streamAcked = 0;
  }

  /** The stream is gone: answers still coming for it are stale. */
  void streamClosed() {
    stream = null;
  }

  /** What this stream has acknowledged, or will once the call in flight answers. */
  long coveredUpTo() {
    return Math.max(streamAcked, ackWanted);
  }

  /**
   * An answer arrived: handled if it is of the current stream, else dropped (stale).
   *
   * @throws ReplicaStreamEnded if the primary is unreachable
   */
  void onAnswer(AckDone a) {
    if (a.stream() == stream) {
      onAckDone(a);
    }
  }

  /**
   * Starts an Acknowledge call up to {@code upTo}, or, while one is in flight, remembers {@code
   * upTo} for when it answers (acks are cumulative, so one call in flight is enough).
   */
  void send(long upTo) {
    if (ackInFlight) {
      ackWanted = Math.max(ackWanted, upTo);
      return;
    }
    ackInFlight = true;
    counters.acksSent.incrementAndGet();
    ReplicaStream s = stream;
    StreamObserver<AckResponse> answer =
        new StreamObserver<>() {
          private AckResponse response;

          @Override
          public void onNext(AckResponse r) {
            response = r;
          }

          @Override
          public void onError(Throwable t) {
            events.add(new AckDone(s, upTo, null, t));
          }

          @Override
          public void onCompleted() {
            events.add(new AckDone(s, upTo, response, null));
          }
        };
    try {
      connection.acknowledge(upTo, answer);
    } catch (RuntimeException e) {
      answer.onError(e);
    }
  }

  private void onAckDone(AckDone a) {
    ackInFlight = false;
    if (a.error() == null) {
      if (a.response() != null && a.response().getSuccess()) {
        counters.acked = Math.max(counters.acked, a.upTo());
        streamAcked = Math.max(streamAcked, a.upTo());
      } else {
        LOG.warn(
            "replica {}: the primary refused ack {}: {}",
            replicaId,
            a.upTo(),
            a.response() == null ? "no answer" : a.response().getMessage());
      }
    } else {
      // Acks are cumulative: the next one covers this one.
      Status status = Status.fromThrowable(a.error());
      counters.lastError = "ack " + a.upTo() + " failed: " + status;
      LOG.warn("replica {}: {}", replicaId, counters.lastError);
      if (!stopping.getAsBoolean()
          && (status.getCode() == Status.Code.DEADLINE_EXCEEDED
              || status.getCode() == Status.Code.UNAVAILABLE)) {
        // The primary cannot be reached on this path. Keeping the stream would hide it: while
        // messages buffered before a black hole remain, each one resets the idle timeout, so the
        // stream could look alive for many ack deadlines. Replace it (the next start_sequence
        // tells the primary our position).
        throw new ReplicaStreamEnded(
            counters.lastError + " (the primary is unreachable)", null, false, a.error());
      }
    }
    if (ackWanted > streamAcked) {
      long next = ackWanted;
      ackWanted = -1;
      send(next);
    } else {
      ackWanted = -1;
    }
  }

  /** On stop: waits (at most one RPC deadline) until the acks of the current stream answered. */
  void awaitAnswers() {
    long deadline = nanoTime.getAsLong() + options.rpcTimeout().toNanos();
    while ((ackInFlight || ackWanted >= 0) && nanoTime.getAsLong() < deadline) {
      Object o;
      try {
        o = events.poll(Math.max(0, deadline - nanoTime.getAsLong()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (o instanceof AckDone a && a.stream() == stream) {
        onAckDone(a);
      }
    }
  }
}
