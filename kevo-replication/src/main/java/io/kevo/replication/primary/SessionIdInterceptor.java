package io.kevo.replication.primary;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.replication.EpochHistory;
import io.kevo.wire.WireMetadata;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Session identity on the wire: gives every {@code StreamWAL} call a new, unguessable session id,
 * sent as the {@code session-id} response header, and exposes to the service, through {@link
 * #SESSION_ID}, that id (for {@code StreamWAL}) or the {@code session-id} request metadata (for
 * {@code Acknowledge} and {@code NegativeAcknowledge}; null if absent). {@code StreamWAL}'s headers
 * also carry the primary's term ({@code kevo-epoch}, {@code kevo-epoch-term}) when given. Stateless
 * and thread-safe.
 */
final class SessionIdInterceptor implements ServerInterceptor {
  static final Context.Key<String> SESSION_ID = Context.key("kevo-replication-session-id");

  private static final String STREAM_WAL =
      WALReplicationServiceGrpc.getStreamWALMethod().getFullMethodName();

  private final Supplier<String> ids;
  private final EpochHistory.Term term;

  SessionIdInterceptor() {
    this(() -> UUID.randomUUID().toString(), null);
  }

  SessionIdInterceptor(Supplier<String> ids) {
    this(ids, null);
  }

  /**
   * @param term the primary's current term, sent in {@code StreamWAL}'s headers; null: none
   */
  SessionIdInterceptor(Supplier<String> ids, EpochHistory.Term term) {
    this.ids = ids;
    this.term = term;
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
              responseHeaders.put(WireMetadata.SESSION_ID, generated);
              if (term != null) {
                responseHeaders.put(WireMetadata.EPOCH, Long.toString(term.epoch()));
                responseHeaders.put(WireMetadata.EPOCH_TERM, term.termId());
              }
              super.sendHeaders(responseHeaders);
            }
          };
    } else {
      id = headers.get(WireMetadata.SESSION_ID);
    }
    return Contexts.interceptCall(
        Context.current().withValue(SESSION_ID, id), forwarded, headers, next);
  }
}
