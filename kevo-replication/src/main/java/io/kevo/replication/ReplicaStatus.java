package io.kevo.replication;

import java.time.Duration;
import java.time.Instant;

/**
 * A point-in-time view of a {@link io.kevo.replication.replica.Replica}, for the server's status
 * and {@code kevo status}. Immutable.
 *
 * @param replicaId the id this replica streams under
 * @param state the state machine's current state
 * @param running whether the replica was started and not yet stopped
 * @param timeInState how long the replica has been in {@code state}
 * @param transitions how many state transitions it made so far
 * @param lastAppliedSequence the last sequence applied (visible to reads); 0 if none
 * @param durableSequence the last sequence known durable on this replica
 * @param ackedSequence the last sequence acknowledged to (and accepted by) the primary; 0 if none
 * @param primaryLastSequence the primary's last written sequence as of its latest message; 0 if not
 *     known
 * @param lagEntries {@code primaryLastSequence - lastAppliedSequence}, at least 0
 * @param lagMillis how long the oldest write not yet applied here has existed on the primary: the
 *     primary's clock ({@code primary_time_micros}) when it first reported a last sequence beyond
 *     what is applied now, subtracted from the primary's current clock estimated as its latest
 *     {@code primary_time_micros} plus the local time elapsed since that message arrived. Only
 *     differences of one clock are used, so skew between the nodes does not matter; it is a lower
 *     bound by at most one heartbeat interval. 0 when caught up, -1 when unknown (the primary sends
 *     no clock)
 * @param wireBytesReceived serialized size of every stream message received
 * @param uncompressedBytesReceived payload bytes after decompression
 * @param entriesApplied operations applied
 * @param batchesApplied atomic batches applied (each counted once; their operations in {@code
 *     entriesApplied})
 * @param duplicatesIgnored operations received again that were already applied
 * @param nacksSent NegativeAcknowledge calls made
 * @param acksSent Acknowledge calls made
 * @param checksumFailures entries whose payload failed its CRC-32
 * @param malformedEntries entries that did not decode or did not fit the stream
 * @param reconnects connections opened after the first
 * @param lastError the latest failure, for humans (null if none)
 * @param refusal the primary's latest refusal of the stream, until a stream delivers again (e.g.
 *     {@link ReplicationException.Reason#POSITION_NOT_RETAINED}: a bootstrap is needed); null if
 *     none
 * @param sessionId the current stream's session id; null when not connected
 * @param connectedSince when the current stream opened; null when not connected
 * @param bootstrap the progress of the bootstrap running now (state {@link
 *     ReplicaState#BOOTSTRAPPING}); null when none runs
 * @param bootstrapsCompleted snapshots fetched and installed since the replica started
 */
public record ReplicaStatus(
    String replicaId,
    ReplicaState state,
    boolean running,
    Duration timeInState,
    long transitions,
    long lastAppliedSequence,
    long durableSequence,
    long ackedSequence,
    long primaryLastSequence,
    long lagEntries,
    long lagMillis,
    long wireBytesReceived,
    long uncompressedBytesReceived,
    long entriesApplied,
    long batchesApplied,
    long duplicatesIgnored,
    long nacksSent,
    long acksSent,
    long checksumFailures,
    long malformedEntries,
    long reconnects,
    String lastError,
    ReplicationException.Reason refusal,
    String sessionId,
    Instant connectedSince,
    BootstrapProgress bootstrap,
    long bootstrapsCompleted) {

  /** Whether the primary refused this replica's position and a snapshot bootstrap is needed. */
  public boolean needsBootstrap() {
    return refusal == ReplicationException.Reason.POSITION_NOT_RETAINED;
  }
}
