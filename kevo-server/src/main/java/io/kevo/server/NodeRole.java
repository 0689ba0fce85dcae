package io.kevo.server;

/** What a node does in a replicated deployment. */
public enum NodeRole {
  /** A single node: reads and writes, no replication. */
  STANDALONE,
  /** Takes writes and streams its WAL to replicas (kevo.replication.WALReplicationService). */
  PRIMARY,
  /** Follows a primary's WAL; serves reads, refuses client writes with the primary's address. */
  REPLICA
}
