package io.kevo.server;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.CommitTransactionRequest;
import io.kevo.proto.DeleteRequest;
import io.kevo.proto.PutRequest;

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
      private WriteDrain.Phase writing; // a write admitted: counted until the call ends

      @Override
      public void onComplete() {
        ended();
        super.onComplete();
      }

      @Override
      public void onCancel() {
        ended();
        super.onCancel();
      }

      private void ended() {
        WriteDrain.Phase w = writing;
        if (w != null) {
          writing = null;
          w.leave();
        }
      }

      @Override
      public void onMessage(ReqT message) {
        if (refused) {
          return;
        }
        if (writing == null && isWrite(message)) {
          // Entered before the check: a fence that begins after this check waits for the write.
          writing = gate.writes().enter();
        }
        ServerException refusal = gate.refusal(message);
        if (refusal == null) {
          super.onMessage(message);
          return;
        }
        refused = true;
        ended();
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

  /** Whether {@code message} asks for a write (whose entries a split's fence must wait for). */
  private static boolean isWrite(Object message) {
    return message instanceof PutRequest
        || message instanceof DeleteRequest
        || message instanceof BatchWriteRequest
        || message instanceof CommitTransactionRequest;
  }
}
