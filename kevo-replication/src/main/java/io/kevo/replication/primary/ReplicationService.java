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
    try {
      primary.streamWal(requireSession(), request, responses);
    } catch (RuntimeException e) {
      responses.onError(StatusMapping.toStatus(e));
    }
  }

  @Override
  public void acknowledge(Ack request, StreamObserver<AckResponse> responses) {
    AckResponse r;
    try {
      r = primary.acknowledge(requireSession(), request);
    } catch (RuntimeException e) {
      responses.onError(StatusMapping.toStatus(e));
      return;
    }
    responses.onNext(r);
    responses.onCompleted();
  }

  @Override
  public void negativeAcknowledge(Nack request, StreamObserver<NackResponse> responses) {
    NackResponse r;
    try {
      r = primary.negativeAcknowledge(requireSession(), request);
    } catch (RuntimeException e) {
      responses.onError(StatusMapping.toStatus(e));
      return;
    }
    responses.onNext(r);
    responses.onCompleted();
  }

  @Override
  public void fetchSnapshot(
      io.kevo.proto.replication.SnapshotRequest request,
      StreamObserver<io.kevo.proto.replication.SnapshotChunk> responses) {
    try {
      primary.fetchSnapshot(request, responses);
    } catch (RuntimeException e) {
      responses.onError(StatusMapping.toStatus(e));
    }
  }

  @Override
  public void getEpochs(
      io.kevo.proto.replication.EpochsRequest request,
      StreamObserver<io.kevo.proto.replication.EpochHistory> responses) {
    io.kevo.proto.replication.EpochHistory r;
    try {
      r = epochs.apply(request);
    } catch (RuntimeException e) {
      responses.onError(StatusMapping.toStatus(e));
      return;
    }
    responses.onNext(r);
    responses.onCompleted();
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
