package io.kevo.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kevo.engine.KevoException;
import io.kevo.engine.TransactionMode;
import io.kevo.wire.WireMetadata;
import java.util.concurrent.TimeUnit;

/**
 * The consistency metadata of one {@code KevoService} call ({@link io.kevo.wire.WireMetadata}):
 * what the request asked ({@code kevo-ack}, {@code kevo-min-sequence}, {@code kevo-tx-mode}, the
 * call's deadline) and what the response reports in its trailers ({@code kevo-sequence}, {@code
 * kevo-epoch}, {@code kevo-ack-replicas}). A handler takes it with {@link #current()} on the thread
 * that started the call and may set the reported values from any thread before it answers: the
 * trailers are written when the call closes. Thread-safe (volatile fields, one writer at a time).
 */
final class CallState {
  private static final Context.Key<CallState> KEY = Context.key("kevo-call-state");
  private static final CallState NONE = new CallState(null, null, null, null);

  private final String ack;
  private final String minSequence;
  private final String txMode;
  private final Deadline deadline;
  private volatile long sequence = -1;
  private volatile long epoch;
  private volatile int ackReplicas = -1;

  private CallState(String ack, String minSequence, String txMode, Deadline deadline) {
    this.ack = ack;
    this.minSequence = minSequence;
    this.txMode = txMode;
    this.deadline = deadline;
  }

  /** The state of the call running on this thread (an empty one outside the interceptor). */
  static CallState current() {
    CallState s = KEY.get();
    return s != null ? s : NONE;
  }

  /** The raw {@code kevo-ack} value, or null. */
  String ack() {
    return ack;
  }

  /**
   * {@code kevo-min-sequence}, or 0 if absent.
   *
   * @throws ServerException BAD_REQUEST if it is not a non-negative decimal number
   */
  long minSequence() {
    if (minSequence == null) {
      return 0;
    }
    try {
      long v = Long.parseLong(minSequence.trim());
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new ServerException(
        ServerException.Reason.BAD_REQUEST,
        "kevo-min-sequence must be a non-negative decimal number, got '" + minSequence + "'");
  }

  /**
   * {@code kevo-tx-mode}, or {@code serverDefault} if absent.
   *
   * @throws ServerException BAD_REQUEST if it names no mode
   */
  TransactionMode transactionMode(TransactionMode serverDefault) {
    if (txMode == null) {
      return serverDefault;
    }
    try {
      return TransactionMode.parse(txMode);
    } catch (KevoException e) {
      throw new ServerException(
          ServerException.Reason.BAD_REQUEST,
          "kevo-tx-mode must be optimistic or pessimistic, got '" + txMode + "'");
    }
  }

  /** Nanoseconds left before the client's deadline, or {@code Long.MAX_VALUE} if it set none. */
  long nanosLeft() {
    return deadline == null ? Long.MAX_VALUE : deadline.timeRemaining(TimeUnit.NANOSECONDS);
  }

  /** Reports {@code kevo-sequence} and {@code kevo-epoch} in the trailers. */
  void reportSequence(long sequence, long epoch) {
    if (this != NONE) {
      this.epoch = epoch;
      this.sequence = sequence;
    }
  }

  /** Reports {@code kevo-ack-replicas} in the trailers. */
  void reportAckReplicas(int n) {
    if (this != NONE) {
      this.ackReplicas = n;
    }
  }

  private void addTo(Metadata trailers) {
    long s = sequence;
    if (s >= 0) {
      trailers.put(WireMetadata.SEQUENCE, Long.toString(s));
      trailers.put(WireMetadata.EPOCH, Long.toString(epoch));
    }
    int n = ackReplicas;
    if (n >= 0) {
      trailers.put(WireMetadata.ACK_REPLICAS, Integer.toString(n));
    }
  }

  /** Puts a {@link CallState} in each call's context and its values in the call's trailers. */
  static final class Interceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      Context ctx = Context.current();
      CallState state =
          new CallState(
              headers.get(WireMetadata.ACK),
              headers.get(WireMetadata.MIN_SEQUENCE),
              headers.get(WireMetadata.TX_MODE),
              ctx.getDeadline());
      ServerCall<Q, R> wrapped =
          new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
              state.addTo(trailers);
              super.close(status, trailers);
            }
          };
      return Contexts.interceptCall(ctx.withValue(KEY, state), wrapped, headers, next);
    }
  }
}
