package io.kevo.replication;

import java.util.List;

/**
 * A snapshot of a {@link io.kevo.replication.primary.Primary}'s replication state for status and
 * {@code GetNodeInfo}. Counters are cumulative since the primary opened; byte counts are serialized
 * response sizes.
 *
 * @param lastSequence the primary's last written sequence
 * @param firstRetainedSequence the oldest sequence the log still holds
 * @param durableSequence the last sequence on the primary's stable storage
 * @param activeSessions streams open now
 * @param sessionsOpened streams accepted
 * @param sessionsTimedOut streams closed because the replica neither read nor acknowledged
 * @param streamsRefused streams refused (position not retained, ahead of the primary, bad request)
 * @param bytesSentRaw bytes of responses as they would be without compression
 * @param bytesSentWire bytes of responses as sent
 * @param entriesSent WAL entries (operations or fragments) sent, resends included
 * @param responsesSent responses with entries sent
 * @param heartbeatsSent responses without entries sent
 * @param resends negative acknowledgements honoured
 * @param recordsReadFromLog records sessions read from the log files (they lagged the in-memory
 *     tail)
 * @param tailBytes bytes held by the shared in-memory tail of recent records
 * @param holdsDropped replica WAL holds dropped by the retention limits
 * @param replicas every replica the primary knows, connected or not
 */
public record PrimaryStatus(
    long lastSequence,
    long firstRetainedSequence,
    long durableSequence,
    int activeSessions,
    long sessionsOpened,
    long sessionsTimedOut,
    long streamsRefused,
    long bytesSentRaw,
    long bytesSentWire,
    long entriesSent,
    long responsesSent,
    long heartbeatsSent,
    long resends,
    long recordsReadFromLog,
    long tailBytes,
    long holdsDropped,
    List<Replica> replicas) {
  public PrimaryStatus {
    replicas = List.copyOf(replicas);
  }

  /** Wire bytes per raw byte (1.0 without compression; lower is better). */
  public double compressionRatio() {
    return bytesSentRaw == 0 ? 1.0 : (double) bytesSentWire / bytesSentRaw;
  }

  /**
   * One replica as the primary sees it.
   *
   * <p>Lag in entries is the primary's last sequence minus the replica's last acknowledged one. Lag
   * in milliseconds is how long ago the primary wrote the oldest operation the replica has not
   * acknowledged (0 when it acknowledged everything): from samples taken at most every 10 ms, so it
   * may be over-estimated by up to 10 ms; for an operation older than the oldest sample (8192
   * samples back) it is a lower bound.
   *
   * @param replicaId the id the replica sent; {@code ""} for an anonymous replica
   * @param clientAddress the replica's client address (HOST:PORT) as it reported it, or {@code ""}
   * @param connected whether a stream of it is open
   * @param sessionId the id of that stream, or {@code ""} if disconnected
   * @param lastAckedSequence the last sequence it acknowledged as durable (or told it holds on
   *     connecting)
   * @param lagEntries operations written by the primary but not acknowledged
   * @param lagMillis see above
   * @param bytesSentRaw response bytes before compression, all its sessions since the primary
   *     opened
   * @param bytesSentWire response bytes as sent
   * @param entriesSent WAL entries sent
   * @param resends nacks honoured
   * @param connectCount streams it opened since the primary opened (0 for a replica only known from
   *     the positions file)
   * @param heldFromSequence the first sequence its WAL hold keeps, or -1 if it has none
   * @param holdDropped whether the retention limits dropped its hold
   * @param lastSeenMillis when it last connected, acknowledged or disconnected (clock millis)
   * @param learner whether its last stream was a learner's (a node of another shard copying this
   *     log for a split): it counts toward no acknowledgement level, and is not a member of this
   *     shard (not one to send this shard's reads to, nor to promote)
   */
  public record Replica(
      String replicaId,
      String clientAddress,
      boolean connected,
      String sessionId,
      long lastAckedSequence,
      long lagEntries,
      long lagMillis,
      long bytesSentRaw,
      long bytesSentWire,
      long entriesSent,
      long resends,
      long connectCount,
      long heldFromSequence,
      boolean holdDropped,
      long lastSeenMillis,
      boolean learner) {
    /** Wire bytes per raw byte (1.0 without compression; lower is better). */
    public double compressionRatio() {
      return bytesSentRaw == 0 ? 1.0 : (double) bytesSentWire / bytesSentRaw;
    }
  }
}
