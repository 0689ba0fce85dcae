package io.kevo.replication;

import java.util.List;

/**
 * The primary's snapshot transfers (replica bootstraps), for status. Immutable.
 *
 * @param active transfers running now
 * @param completed transfers that sent everything
 * @param failed transfers that ended early (cancelled, stalled, failed, primary closing)
 * @param refused requests refused because {@link PrimaryOptions#maxConcurrentBootstraps()} ran
 * @param bytesSent file bytes sent by every transfer so far
 * @param transfers the running ones
 */
public record SnapshotTransferStatus(
    int active,
    long completed,
    long failed,
    long refused,
    long bytesSent,
    List<Transfer> transfers) {

  /**
   * One running transfer.
   *
   * @param sequence the snapshot's sequence; -1 while it is being taken
   * @param startedMillis the primary clock's time when it was requested
   */
  public record Transfer(
      String snapshotId,
      String replicaId,
      long sequence,
      long bytesSent,
      long totalBytes,
      long startedMillis) {}
}
