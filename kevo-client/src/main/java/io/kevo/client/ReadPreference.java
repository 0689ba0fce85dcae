package io.kevo.client;

/**
 * Which node serves a read ({@code Get}, {@code Scan}, a read-only transaction). Writes always go
 * to the primary. A replica applies the primary's log asynchronously, so a read it serves may miss
 * the latest writes; with {@link ClientOptions#sessionConsistency()} (the default) it never misses
 * this client's own: a replica that has not applied them holds the read briefly, else the read goes
 * to the primary.
 */
public enum ReadPreference {
  /** Every read goes to the primary. The default. */
  PRIMARY,
  /**
   * Reads go to the primary; to an available replica (round-robin) only while it is unreachable.
   */
  PRIMARY_PREFERRED,
  /**
   * Reads go to the available replicas in turn (round-robin); to the primary when none is available
   * or reachable.
   */
  REPLICA_PREFERRED
}
