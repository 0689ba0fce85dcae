package io.kevo.server;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.kevo.engine.FatalErrorListener;

/**
 * Keeps a {@link VirtualMachineError} thrown by a call's handler from disappearing into gRPC. gRPC
 * catches what a handler throws and closes the call with {@code UNKNOWN}; on a pool thread it then
 * rethrows the error, which ends the thread, but on the event loop (where {@code Get} runs) it only
 * logs it, and the node would go on with a JVM whose state cannot be trusted. This interceptor
 * hands the error to {@code sink} first, on the handler's thread, then lets gRPC do what it does.
 *
 * <p>The server's sink is the thread's uncaught-exception handler ({@link #UNCAUGHT}), as if nobody
 * had caught the error: the process that owns the JVM decides there; {@code kevo server} halts.
 * Installed for every service of the server (the replication services too). Thread-safe.
 */
final class FatalErrorInterceptor implements ServerInterceptor {
  /** Hands the error to the thread's uncaught-exception handler. */
  static final FatalErrorListener UNCAUGHT =
      (t, e) -> t.getUncaughtExceptionHandler().uncaughtException(t, e);

  private final FatalErrorListener sink;

  FatalErrorInterceptor(FatalErrorListener sink) {
    this.sink = sink;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    ServerCall.Listener<Q> listener;
    try {
      // A streaming method's handler runs here, in startCall.
      listener = next.startCall(call, headers);
    } catch (VirtualMachineError e) {
      throw report(e);
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        try {
          super.onMessage(message);
        } catch (VirtualMachineError e) {
          throw report(e);
        }
      }

      @Override
      public void onHalfClose() {
        try {
          super.onHalfClose();
        } catch (VirtualMachineError e) {
          throw report(e);
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } catch (VirtualMachineError e) {
          throw report(e);
        }
      }

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } catch (VirtualMachineError e) {
          throw report(e);
        }
      }

      @Override
      public void onReady() {
        try {
          super.onReady();
        } catch (VirtualMachineError e) {
          throw report(e);
        }
      }
    };
  }

  /** Tells the sink (which must not throw, and may not return) and gives the error back. */
  private VirtualMachineError report(VirtualMachineError e) {
    try {
      sink.onFatalError(Thread.currentThread(), e);
    } catch (Throwable ignored) {
      // gRPC still gets the error below.
    }
    return e;
  }
}
