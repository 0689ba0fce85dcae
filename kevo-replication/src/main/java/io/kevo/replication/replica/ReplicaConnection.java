package io.kevo.replication.replica;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.kevo.proto.replication.Ack;
import io.kevo.proto.replication.AckResponse;
import io.kevo.proto.replication.EpochsRequest;
import io.kevo.proto.replication.Nack;
import io.kevo.proto.replication.NackResponse;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.replication.ReplicaOptions;
import io.kevo.wire.WireMetadata;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A replica's way to its primary: the channel of the current connection attempt, the unary calls
 * made on it (each with the RPC deadline, and acks and nacks with the stream's {@code session-id}),
 * and the reconnect backoff after failures in a row.
 *
 * <p>Not thread-safe: owned by the replica's apply thread. (The answer to an asynchronous
 * Acknowledge call arrives on a gRPC thread, through the observer the caller passed.)
 */
final class ReplicaConnection {
  private final Supplier<? extends Channel> primary;
  private final ReplicaOptions options;
  private final ReplicaCounters counters;
  private final ReplicaBackoff backoff;
  private Channel channel; // of the current connection attempt
  private int failures; // consecutive connections that delivered nothing

  /**
   * @param primary called once per connection attempt; the caller owns the channels it returns
   * @param counters where the current session id is read from
   */
  ReplicaConnection(
      Supplier<? extends Channel> primary, ReplicaOptions options, ReplicaCounters counters) {
    this.primary = primary;
    this.options = options;
    this.counters = counters;
    this.backoff =
        new ReplicaBackoff(options.initialBackoff(), options.maxBackoff(), options.random().get());
  }

  /**
   * A channel for a new connection attempt, which later calls use.
   *
   * @throws ReplicaStreamEnded if the supplier fails
   */
  Channel connect() {
    try {
      channel = newChannel();
    } catch (RuntimeException e) {
      throw new ReplicaStreamEnded("cannot get a channel to the primary: " + e, null, false, e);
    }
    return channel;
  }

  /** A channel from the supplier, not kept (a bootstrap's). */
  Channel newChannel() {
    return Objects.requireNonNull(primary.get(), "the primary channel supplier gave null");
  }

  /** {@code GetEpochs} on the current channel; throws what the call throws. */
  io.kevo.proto.replication.EpochHistory getEpochs(EpochsRequest request) {
    return WALReplicationServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(options.rpcTimeout().toNanos(), TimeUnit.NANOSECONDS)
        .getEpochs(request);
  }

  /** {@code NegativeAcknowledge} from {@code from} within the current session. */
  NackResponse nack(long from) {
    return WALReplicationServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sessionHeaders()))
        .withDeadlineAfter(options.rpcTimeout().toNanos(), TimeUnit.NANOSECONDS)
        .negativeAcknowledge(Nack.newBuilder().setMissingFromSequence(from).build());
  }

  /** Starts an {@code Acknowledge} call up to {@code upTo} within the current session. */
  void acknowledge(long upTo, StreamObserver<AckResponse> answer) {
    WALReplicationServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sessionHeaders()))
        .withDeadlineAfter(options.rpcTimeout().toNanos(), TimeUnit.NANOSECONDS)
        .acknowledge(Ack.newBuilder().setAcknowledgedUpTo(upTo).build(), answer);
  }

  private Metadata sessionHeaders() {
    Metadata md = new Metadata();
    String sessionId = counters.sessionId;
    if (sessionId != null) {
      md.put(WireMetadata.SESSION_ID, sessionId);
    }
    return md;
  }

  /** Connections (or bootstrap attempts) in a row that delivered nothing. */
  int failures() {
    return failures;
  }

  /** One more failure in a row. */
  void failed() {
    failures++;
  }

  /** The primary delivered: the next failure backs off from the start. */
  void delivered() {
    failures = 0;
  }

  /** How long to wait before reconnecting: the maximum, or the backoff for the failures so far. */
  long delayMillis(boolean maxBackoff) {
    return maxBackoff ? options.maxBackoff().toMillis() : backoff.delayMillis(failures);
  }
}
