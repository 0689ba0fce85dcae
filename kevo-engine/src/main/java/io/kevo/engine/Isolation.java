package io.kevo.engine;

/** How a read-write transaction is checked at commit. */
public enum Isolation {
  /**
   * Snapshot isolation: reads see the snapshot taken at begin; commit fails if a key the
   * transaction <em>wrote</em> was committed by anyone after that snapshot (first committer wins).
   * Lost updates are impossible; write skew (two transactions each reading what the other writes,
   * writing disjoint keys) is allowed.
   */
  SNAPSHOT,
  /**
   * As {@link #SNAPSHOT}, and commit also fails if a key the transaction <em>read</em> — point
   * reads, including reads of absent keys, and every key range it scanned — was committed by anyone
   * after its snapshot. Rules out write skew: committed transactions behave as if run one at a
   * time.
   */
  SERIALIZABLE
}
