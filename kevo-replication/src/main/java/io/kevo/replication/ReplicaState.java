package io.kevo.replication;

/**
 * The states of a replica's replication loop (the seed's {@code ReplicaState}). The legal
 * transitions are a table in the replica's state machine; every change is checked against it and
 * logged.
 */
public enum ReplicaState {
  /** Opening a stream to the primary (or waiting to retry after a failure). */
  CONNECTING,
  /** Receiving entries from the primary. */
  STREAMING_ENTRIES,
  /** Applying received entries to the local engine. */
  APPLYING_ENTRIES,
  /** Making applied entries durable before acknowledging them. */
  FSYNC_PENDING,
  /** Telling the primary how far this replica is durable. */
  ACKNOWLEDGING,
  /** Caught up; waiting for the primary to write more. */
  WAITING_FOR_DATA,
  /**
   * Something failed; the replica will reconnect after a backoff, or once its own database takes
   * writes again after its disk was full (the status' last error says which). It stays here for
   * good when its database refuses writes until reopened, or when it was stopped.
   */
  ERROR,
  /**
   * The primary no longer retains this replica's position: fetching a snapshot of the primary and
   * replacing the local contents with it (reads are refused meanwhile).
   */
  BOOTSTRAPPING
}
