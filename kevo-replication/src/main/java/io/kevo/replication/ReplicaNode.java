package io.kevo.replication;

/** A replica's replication process (the seed's {@code ReplicaNode}). Thread-safe. */
public interface ReplicaNode extends AutoCloseable {
  /** Starts connecting to the primary and applying its log; returns at once. */
  void start();

  /**
   * Stops streaming, waits for the record being applied, syncs and acknowledges what was applied.
   * Idempotent.
   */
  void stop();

  /** The last sequence applied on this replica (visible to its reads). */
  long getLastAppliedSequence();

  /** The current state of the replication state machine. */
  ReplicaState getCurrentState();

  /** The current state for humans (e.g. {@code "STREAMING_ENTRIES"}), as status shows it. */
  String getStateString();

  @Override
  default void close() {
    stop();
  }
}
