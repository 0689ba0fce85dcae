package io.kevo.replication.primary;

import io.grpc.stub.StreamObserver;
import io.kevo.proto.replication.Ack;
import io.kevo.proto.replication.AckResponse;
import io.kevo.proto.replication.Nack;
import io.kevo.proto.replication.NackResponse;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.PrimaryNode;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.StatusMapping;
import io.kevo.wire.WireMetadata;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Binds a {@link PrimaryNode} to {@code kevo.replication.WALReplicationService}. Runs behind {@link
 * SessionIdInterceptor}, which supplies session ids; failures become statuses through {@link
 * StatusMapping}. The primary is held as the seed's {@link PrimaryNode}; {@code GetEpochs}, which
 * the seed has no word for, is answered by its own function (the primary's term). Stateless and
 * thread-safe.
 */
final class ReplicationService extends WALReplicationServiceGrpc.WALReplicationServiceImplBase {
  private final PrimaryNode primary;
  private final Function<
          io.kevo.proto.replication.EpochsRequest, io.kevo.proto.replication.EpochHistory>
      epochs;

  ReplicationService(
      PrimaryNode primary,
      Function<io.kevo.proto.replication.EpochsRequest, io.kevo.proto.replication.EpochHistory>
          epochs) {
    this.primary = primary;
    this.epochs = epochs;
  }

  @Override
  public void streamWAL(WALStreamRequest request, StreamObserver<WALStreamResponse> responses) {
    streaming(responses, () -> primary.streamWal(requireSession(), request, responses));
  }

  @Override
  public void acknowledge(Ack request, StreamObserver<AckResponse> responses) {
    unary(responses, () -> primary.acknowledge(requireSession(), request));
  }

  @Override
  public void negativeAcknowledge(Nack request, StreamObserver<NackResponse> responses) {
    unary(responses, () -> primary.negativeAcknowledge(requireSession(), request));
  }

  @Override
  public void fetchSnapshot(
      io.kevo.proto.replication.SnapshotRequest request,
      StreamObserver<io.kevo.proto.replication.SnapshotChunk> responses) {
    streaming(responses, () -> primary.fetchSnapshot(request, responses));
  }

  @Override
  public void getEpochs(
      io.kevo.proto.replication.EpochsRequest request,
      StreamObserver<io.kevo.proto.replication.EpochHistory> responses) {
    unary(responses, () -> epochs.apply(request));
  }

  /** Answers a unary call with what {@code call} returns, or with its failure as a status. */
  private static <T> void unary(StreamObserver<T> responses, Supplier<T> call) {
    T r;
    try {
      r = call.get();
    } catch (RuntimeException e) {
      responses.onError(StatusMapping.toStatus(e));
      return;
    }
    responses.onNext(r);
    responses.onCompleted();
  }

  /**
   * Starts a streaming call: {@code start} answers on {@code responses} itself; a failure it throws
   * ends the stream with that failure as a status.
   */
  private static void streaming(StreamObserver<?> responses, Runnable start) {
    try {
      start.run();
    } catch (RuntimeException e) {
      responses.onError(StatusMapping.toStatus(e));
    }
  }

  private static String requireSession() {
    String id = SessionIdInterceptor.SESSION_ID.get();
    if (id == null || id.isEmpty()) {
      throw new ReplicationException(
          ReplicationException.Reason.INVALID_REQUEST,
          "missing " + WireMetadata.SESSION_ID.name() + " request metadata");
    }
    return id;
  }
}
