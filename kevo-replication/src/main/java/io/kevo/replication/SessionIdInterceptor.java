package io.kevo.replication;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Session identity on the wire: gives every {@code StreamWAL} call a new, unguessable session id,
 * sent as the {@code session-id} response header, and exposes to the service, through {@link
 * #SESSION_ID}, that id (for {@code StreamWAL}) or the {@code session-id} request metadata (for
 * {@code Acknowledge} and {@code NegativeAcknowledge}; null if absent). Stateless and thread-safe.
 */
final class SessionIdInterceptor implements ServerInterceptor {
  static final Context.Key<String> SESSION_ID = Context.key("kevo-replication-session-id");

  private static final String STREAM_WAL =
      WALReplicationServiceGrpc.getStreamWALMethod().getFullMethodName();

  private final Supplier<String> ids;

  SessionIdInterceptor() {
    this(() -> UUID.randomUUID().toString());
  }

  SessionIdInterceptor(Supplier<String> ids) {
    this.ids = ids;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String id;
    ServerCall<Q, R> forwarded = call;
    if (STREAM_WAL.equals(call.getMethodDescriptor().getFullMethodName())) {
      String generated = ids.get();
      id = generated;
      forwarded =
          new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
              responseHeaders.put(ReplicationMetadata.SESSION_ID, generated);
              super.sendHeaders(responseHeaders);
            }
          };
    } else {
      id = headers.get(ReplicationMetadata.SESSION_ID);
    }
    return Contexts.interceptCall(
        Context.current().withValue(SESSION_ID, id), forwarded, headers, next);
  }
}
