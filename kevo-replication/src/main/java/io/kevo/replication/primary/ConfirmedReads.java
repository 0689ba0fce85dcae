package io.kevo.replication.primary;

import io.kevo.engine.ReadCeiling;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a primary whose writes wait for replicas ({@link
 * io.kevo.replication.PrimaryOptions#ackLevel()} other than {@code async}) lets its clients read:
 * only writes some replica has acknowledged as durable. A write no replica has may be lost in a
 * failover (the promoted replica lacks it); a read that saw it would be a dirty read. One replica
 * is enough whatever the level: a failover promotes the replica furthest ahead, which holds
 * everything any replica holds.
 *
 * <p>Installed as the engine's {@link ReadCeiling}: reads, snapshots and transactions read at the
 * highest sequence acknowledged through a session of this process ({@link Retention#confirmed()};
 * never a position loaded from disk, which may come from an older term). Right after the primary
 * opens (a restart, a promotion) it does not know which of the entries in its log were confirmed
 * before, so it refuses reads ({@link #refusal()}) until some replica has acknowledged its last
 * sequence at open; a database never written is confirmed at once. Thread-safe.
 */
final class ConfirmedReads implements ReadCeiling {
  private static final Logger LOG = LoggerFactory.getLogger(ConfirmedReads.class);

  private final LongSupplier confirmed;
  private final long openSequence;
  private volatile boolean resumed;

  /**
   * @param confirmed the highest sequence a replica acknowledged in this process
   * @param openSequence the primary's last sequence when it opened
   */
  ConfirmedReads(LongSupplier confirmed, long openSequence) {
    this.confirmed = confirmed;
    this.openSequence = openSequence;
    this.resumed = openSequence == 0;
  }

  @Override
  public long ceiling() {
    return confirmed.getAsLong();
  }

  /** The highest sequence a replica has confirmed; reads see up to there. */
  long confirmedSequence() {
    return confirmed.getAsLong();
  }

  /**
   * Why reads are refused now, or null once some replica has confirmed the last sequence at open.
   */
  String refusal() {
    if (resumed) {
      return null;
    }
    long c = confirmed.getAsLong();
    if (c >= openSequence) {
      resumed = true;
      LOG.info(
          "a replica confirmed sequence {} (this primary's last when it opened was {}): reads"
              + " resume",
          c,
          openSequence);
      return null;
    }
    return "this primary holds writes up to sequence "
        + openSequence
        + " its replicas have not confirmed yet (confirmed: "
        + c
        + "); reads resume once a replica has them";
  }
}
