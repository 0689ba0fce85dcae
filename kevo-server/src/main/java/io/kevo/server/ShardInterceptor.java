package io.kevo.server;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;

/**
 * Refuses a client call whose request holds keys this node's shard does not serve ({@link
 * ShardGate}), before the service sees the request: the call ends with the gate's status and
 * trailers, and nothing of it runs. Installed innermost, so that metrics and call tracking see the
 * refusal like any other answer. Thread-safe.
 */
final class ShardInterceptor implements ServerInterceptor {
  private final ShardGate gate;

  ShardInterceptor(ShardGate gate) {
    this.gate = gate;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(call, headers)) {
      // Call events arrive one at a time (gRPC serialises a call's listener), so no lock.
      private boolean refused;

      @Override
      public void onMessage(ReqT message) {
        if (refused) {
          return;
        }
        ServerException refusal = gate.refusal(message);
        if (refusal == null) {
          super.onMessage(message);
          return;
        }
        refused = true;
        StatusRuntimeException e = StatusMapper.toException(refusal);
        Metadata trailers = e.getTrailers() != null ? e.getTrailers() : new Metadata();
        call.close(e.getStatus(), trailers);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose(); // else the service would answer a call that has ended
        }
      }
    };
  }
}
