package io.kevo.server;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends, at shutdown, the streams of the services it intercepts that would never end on their own: a
 * health {@code Watch} (a load balancer's, or gRPC's client-side health checking) stays open as
 * long as its client wants, and {@code HealthStatusManager.enterTerminalState()} only reports
 * {@code NOT_SERVING} on it; a reflection session lasts as long as its tool keeps it. Left open,
 * either holds the server's termination for the whole grace period.
 *
 * <p>{@link #endAll()} closes them with {@code UNAVAILABLE}. Unary calls are not tracked: they end
 * by themselves. Thread-safe: every use of a tracked call goes through one lock per call, since the
 * service's own thread may be sending on it when the shutdown ends it.
 */
final class OpenStreams implements ServerInterceptor {
  private final Set<Endable<?, ?>> open = ConcurrentHashMap.newKeySet();
  private volatile boolean ending;

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (call.getMethodDescriptor().getType() == MethodDescriptor.MethodType.UNARY) {
      return next.startCall(call, headers);
    }
    Endable<Q, R> e = new Endable<>(call);
    open.add(e);
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(e, headers);
    } catch (RuntimeException ex) {
      open.remove(e);
      throw ex;
    }
    if (ending) {
      e.end(); // began while endAll ran: it may have missed this one
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onComplete() {
        open.remove(e);
        super.onComplete();
      }

      @Override
      public void onCancel() {
        open.remove(e);
        super.onCancel();
      }
    };
  }

  /** Ends every tracked stream, and any that begins from now on. Idempotent. */
  void endAll() {
    ending = true;
    for (Endable<?, ?> e : open) {
      e.end();
    }
  }

  /** A call that can be closed from another thread than the service's: one lock for both. */
  private static final class Endable<Q, R>
      extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
    private boolean closed; // guarded by this

    Endable(ServerCall<Q, R> call) {
      super(call);
    }

    void end() {
      Status status =
          StatusMapper.toStatus(
              new ServerException(
                  ServerException.Reason.SHUTTING_DOWN, "the server is shutting down"));
      close(status, new Metadata());
    }

    @Override
    public synchronized void request(int numMessages) {
      if (!closed) {
        super.request(numMessages);
      }
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closed) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (!closed) {
        super.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }
  }
}
