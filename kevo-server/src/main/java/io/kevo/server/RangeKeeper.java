package io.kevo.server;

import io.kevo.coordination.ShardRange;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KeyRange;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's database to the keys its shard owns, once a split of the shard is done ({@link
 * SplitRole} asks): when the shard map gives the shard less than the database keeps (the moved
 * keys; again after a replica's bootstrap from a whole snapshot), it drops the keys outside ({@link
 * KevoDB#retainOnly}), so they stop taking disk and stop counting in the shard's size. The job (a
 * flush and a compaction of the key space outside) runs on a thread of its own, one at a time; one
 * that fails is tried again at the next step.
 *
 * <p>It never widens: a database that keeps less than its shard owns lacks keys the shard serves (a
 * map edited by hand, or a data directory of another shard), which it reports as an error.
 *
 * <p>Thread-safety: {@link #keep} is called by the failover loop's thread only.
 */
final class RangeKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(RangeKeeper.class);

  private final KevoDB db;
  private final AtomicBoolean running = new AtomicBoolean();
  private KeyRange reported; // the range last reported as not kept
  private volatile String lastFailure; // logged once until it changes

  RangeKeeper(KevoDB db) {
    this.db = db;
  }

  /** The keys of {@code shard} as the engine names a range. */
  static KeyRange keys(ShardRange shard) {
    return new KeyRange(shard.start(), shard.end());
  }

  /**
   * Makes the database keep only {@code owned}, if it keeps more; returns at once.
   *
   * @return whether a job to narrow it is running after this call
   */
  boolean keep(String shard, KeyRange owned) {
    KeyRange kept = db.retained();
    if (kept.equals(owned)) {
      return false;
    }
    if (!kept.covers(owned)) {
      if (!owned.equals(reported)) {
        reported = owned;
        LOG.error(
            "shard {} owns the keys {}, but this node's database keeps only {}: keys of the shard"
                + " are missing here (was this data directory another shard's?)",
            shard,
            owned,
            kept);
      }
      return false;
    }
    if (!running.compareAndSet(false, true)) {
      return true;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                long started = System.nanoTime();
                db.retainOnly(owned);
                LOG.info(
                    "shard {}: dropped the keys outside {} from this node's database in {} ms",
                    shard,
                    owned,
                    (System.nanoTime() - started) / 1_000_000);
                lastFailure = null;
              } catch (RuntimeException e) {
                if (!e.toString().equals(lastFailure)) {
                  lastFailure = e.toString();
                  LOG.warn(
                      "shard {}: dropping the keys outside {} failed ({}); trying again",
                      shard,
                      owned,
                      e.toString());
                }
              } finally {
                running.set(false);
              }
            },
            "kevo-keep-" + shard);
    t.setDaemon(true);
    t.start();
    return true;
  }
}
