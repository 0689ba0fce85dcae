package io.kevo.replication.primary;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kevo.engine.WalAccess;
import io.kevo.proto.replication.Ack;
import io.kevo.proto.replication.AckResponse;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.proto.replication.Nack;
import io.kevo.proto.replication.NackResponse;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.StatusMapping;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A primary's sessions from admission to end: admits a {@code StreamWAL} call (checks the request,
 * the replica's term and its position, attaches it to its {@link Retention} entry, registers it in
 * {@link Sessions}, supersedes an older stream of the same replica), routes acks and nacks to their
 * session, and unregisters a session once it has ended. At close it ends every stream, after
 * sending what was written where the replica keeps up.
 *
 * <p>Thread-safe: gRPC threads admit and route; sessions report their end on the sender threads.
 * Admission and close are serialized by a lock, so no stream is admitted once close has begun.
 */
final class SessionRouter implements SessionContext.EndListener {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRouter.class);

  private final WalAccess wal;
  private final WalTail tail;
  private final Retention retention;
  private final Sessions sessions;
  private final AckWaiters acks;
  private final PrimaryTerm term;
  private final PrimaryCounters counters;
  private SessionContext context; // set once by the primary's constructor, before any stream
  private final Object lifecycle = new Object();
  private boolean closed; // guarded by lifecycle

  SessionRouter(
      WalAccess wal,
      WalTail tail,
      Retention retention,
      Sessions sessions,
      AckWaiters acks,
      PrimaryTerm term,
      PrimaryCounters counters) {
    this.wal = wal;
    this.tail = tail;
    this.retention = retention;
    this.sessions = sessions;
    this.acks = acks;
    this.term = term;
    this.counters = counters;
  }

  /** What the sessions admitted from now on share (which reports their end here). */
  void use(SessionContext context) {
    this.context = context;
  }

  /**
   * Admits a stream; see {@link Primary#streamWal}.
   *
   * @throws ReplicationException when the stream is refused (without touching {@code responses})
   */
  void streamWal(
      String sessionId, WALStreamRequest request, StreamObserver<WALStreamResponse> responses) {
    String replicaId = request.getReplicaId();
    String address = request.getListenerAddress();
    if (replicaId.length() > 256 || address.length() > 1024) {
      counters.streamsRefused.increment();
      throw new ReplicationException(
          ReplicationException.Reason.INVALID_REQUEST,
          "replica_id (at most 256 characters) or listener_address (1024) too long");
    }
    term.checkNotStale(
        request.getLastEpoch(),
        request.getLastTermId(),
        request.getReplicaId(),
        request.getListenerAddress());
    long start = Math.max(1, request.getStartSequence());
    CompressionCodec codec = negotiate(request);
    PrimarySession session =
        new PrimarySession(
            sessionId,
            context,
            responses,
            codec,
            request.getAcceptPacked(),
            start,
            request.getLearner());
    PrimarySession[] previous = new PrimarySession[1];
    Retention.Tracked t;
    synchronized (lifecycle) {
      if (closed) {
        throw closing();
      }
      // The hold comes first, then the check: the log cannot be trimmed past `start` in between.
      t = retention.attach(replicaId, address, start, session, previous);
      session.install(t);
      try {
        checkPosition(start);
      } catch (ReplicationException e) {
        retention.refused(t, session);
        counters.streamsRefused.increment();
        supersede(previous[0], sessionId);
        LOG.info(
            "refused stream of replica '{}' from sequence {}: {}",
            replicaId,
            start,
            e.getMessage());
        throw e;
      }
      sessions.registerSession(sessionId, session);
    }
    counters.sessionsOpened.increment();
    supersede(previous[0], sessionId);
    LOG.info(
        "session {}: {} '{}' ({}) streams from sequence {}, codec {}{}",
        sessionId,
        request.getLearner() ? "learner" : "replica",
        replicaId,
        address,
        start,
        codec,
        request.getAcceptPacked() && codec != CompressionCodec.NONE ? " packed" : "");
    session.schedule();
  }

  /** An ack of a session; see {@link Primary#acknowledge}. */
  AckResponse acknowledge(String sessionId, Ack request) {
    PrimarySession s = session(sessionId);
    long upTo = request.getAcknowledgedUpTo();
    // What the replica can hold: what it had when the stream began (start_sequence - 1, which
    // covers what earlier streams sent it) plus what this stream has sent since. Beyond that it
    // claims records it cannot have (a confused replica, or a bug): crediting it, even capped,
    // would answer success to a false claim, so it is refused and nothing moves.
    long sent = s.sentUpTo();
    if (upTo > sent) {
      LOG.warn(
          "session {}: refused an ack of {}, beyond what it was sent ({})", sessionId, upTo, sent);
      throw new ReplicationException(
          ReplicationException.Reason.INVALID_REQUEST,
          "acknowledged_up_to "
              + upTo
              + " is beyond the last sequence sent on this session ("
              + sent
              + "); nothing acknowledged");
    }
    s.acknowledge(upTo);
    retention.acknowledged(s.replica(), upTo, s.learner());
    acks.acknowledged();
    return AckResponse.newBuilder().setSuccess(true).build();
  }

  /** A nack of a session: it resends from the sequence missing, if the primary still has it. */
  NackResponse negativeAcknowledge(String sessionId, Nack request) {
    PrimarySession s = session(sessionId);
    long from = Math.max(1, request.getMissingFromSequence());
    checkPosition(from);
    s.rewind(from);
    return NackResponse.newBuilder().setSuccess(true).setMessage("resending from " + from).build();
  }

  /** Asks every live stream for an acknowledgement soon (a write waits for replicas). */
  void requestAcks() {
    for (PrimarySession s : sessions.all()) {
      s.requestAck();
    }
  }

  @Override
  public void sessionEnded(PrimarySession s, StatusRuntimeException status) {
    sessions.unregister(s);
    retention.detach(s.replica(), s);
    acks.disconnected();
    LOG.info(
        "session {}: stream ended ({} {})",
        s.id(),
        status.getStatus().getCode(),
        status.getStatus().getDescription());
  }

  /** Refuses streams from now on; false if that was done before. */
  boolean beginClose() {
    synchronized (lifecycle) {
      if (closed) {
        return false;
      }
      closed = true;
      return true;
    }
  }

  /**
   * Ends every stream with {@code ending} once it has been sent everything up to {@code last},
   * waiting at most {@code flushMillis} for that, then ends the rest at once and waits at most
   * {@code closeMillis} for them to be gone.
   */
  void endAll(long last, StatusRuntimeException ending, long flushMillis, long closeMillis) {
    for (PrimarySession s : sessions.all()) {
      s.closeAfterSending(last, ending);
    }
    try {
      if (!sessions.awaitEmpty(TimeUnit.MILLISECONDS.toNanos(flushMillis))) {
        LOG.info(
            "{} replica stream(s) not sent up to sequence {} within {} ms; ending them anyway",
            sessions.countSessions(),
            last,
            flushMillis);
        for (PrimarySession s : sessions.all()) {
          s.close(ending);
        }
        sessions.awaitEmpty(TimeUnit.MILLISECONDS.toNanos(closeMillis));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The error a stream refused or ended by close gets. */
  static ReplicationException closing() {
    return new ReplicationException(
        ReplicationException.Reason.CLOSED, "the replication primary is closing");
  }

  private static CompressionCodec negotiate(WALStreamRequest r) {
    if (!r.getCompressionSupported()) {
      return CompressionCodec.NONE;
    }
    return switch (r.getPreferredCodec()) {
      case ZSTD -> CompressionCodec.ZSTD;
      case SNAPPY -> CompressionCodec.SNAPPY;
      default -> CompressionCodec.NONE;
    };
  }

  /** Whether the primary can send from {@code sequence} (the log or the tail holds it). */
  private void checkPosition(long sequence) {
    long next = wal.nextSequence();
    if (sequence > next) {
      throw EngineWalProvider.aheadOfPrimary(sequence, next);
    }
    long first = wal.firstRetainedSequence();
    if (sequence < first && tail.from(sequence, 1) == null) {
      throw EngineWalProvider.notRetained(sequence, first, null);
    }
  }

  private PrimarySession session(String sessionId) {
    return sessions
        .getSession(sessionId)
        .orElseThrow(
            () ->
                new ReplicationException(
                    ReplicationException.Reason.UNKNOWN_SESSION,
                    "no live replication session " + sessionId));
  }

  private static void supersede(PrimarySession old, String by) {
    if (old != null) {
      old.close(
          StatusMapping.toStatus(
              new ReplicationException(
                  ReplicationException.Reason.SUPERSEDED,
                  "superseded by session " + by + " of the same replica")));
    }
  }
}
