package io.kevo.replication;

import io.grpc.stub.StreamObserver;
import io.kevo.proto.replication.Ack;
import io.kevo.proto.replication.AckResponse;
import io.kevo.proto.replication.Nack;
import io.kevo.proto.replication.NackResponse;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;

/**
 * The primary's side of WAL replication (the seed's {@code PrimaryNode}), behind the {@code
 * kevo.replication.WALReplicationService} gRPC service. Thread-safe.
 *
 * <p>The gRPC layer extracts the {@code session-id} request metadata and passes it explicitly (the
 * seed carried it in the call context).
 */
public interface PrimaryNode extends AutoCloseable {
  /**
   * Serves one replica's stream: entries from {@code request.start_sequence} (inclusive) onwards,
   * then new ones as they are written, with heartbeats while idle. Returns at once; the stream runs
   * until the replica cancels, the session times out, or the node closes. {@code responses} is the
   * server side of the call (a {@code ServerCallStreamObserver} in production, used for flow
   * control).
   *
   * @param sessionId the id the gRPC layer already sent to the replica in the {@code session-id}
   *     response header
   */
  void streamWal(
      String sessionId, WALStreamRequest request, StreamObserver<WALStreamResponse> responses);

  /**
   * Records that the replica of session {@code sessionId} has made everything up to {@code
   * request.acknowledged_up_to} durable.
   *
   * @throws ReplicationException {@link ReplicationException.Reason#UNKNOWN_SESSION} for an id no
   *     live session has; {@link ReplicationException.Reason#INVALID_REQUEST} (nothing recorded)
   *     for a sequence beyond what the session's replica can hold: past both its start position and
   *     what the stream has sent it
   */
  AckResponse acknowledge(String sessionId, Ack request);

  /**
   * Asks session {@code sessionId} to resend from {@code request.missing_from_sequence}; returns at
   * once, the resend happens on the stream.
   *
   * @throws ReplicationException {@link ReplicationException.Reason#UNKNOWN_SESSION}, or {@link
   *     ReplicationException.Reason#POSITION_NOT_RETAINED} / {@link
   *     ReplicationException.Reason#AHEAD_OF_PRIMARY} for a sequence the primary cannot send
   */
  NackResponse negativeAcknowledge(String sessionId, Nack request);

  /**
   * Sends a consistent snapshot of the primary to a replica that must bootstrap (header, file
   * chunks with CRC-32C, trailer; see {@code replication.proto}), with flow control, and holds the
   * log after the snapshot for the replica once the transfer completes. Returns at once.
   */
  void fetchSnapshot(
      io.kevo.proto.replication.SnapshotRequest request,
      StreamObserver<io.kevo.proto.replication.SnapshotChunk> responses);

  /** Ends every stream and releases the node's resources. Idempotent; throws nothing. */
  @Override
  void close();
}
