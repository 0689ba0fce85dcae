package io.kevo.bench.failover;

import io.kevo.coordination.ClusterView;
import io.kevo.coordination.FailoverRecord;
import io.kevo.coordination.MemberInfo;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one kill round on a {@link FailoverCluster} under running {@link Writers}: waits until the
 * cluster is settled, the minimum interval since the last failover has passed and writes flow to
 * the primary for {@link FailoverParams#steady()}; kills the primary with SIGKILL; polls ZooKeeper
 * every {@link #POLL_MS} ms until the killed member's session has expired and a new primary is
 * shown; waits for writes to be acknowledged again; restarts the killed node on its data directory
 * (same command line: it rejoins as a replica) and waits until it follows and has caught up. Used
 * by the driving thread only.
 */
final class RoundDriver {
  static final long POLL_MS = 20;

  private final FailoverCluster cluster;
  private final Writers writers;
  private final FailoverParams p;

  RoundDriver(FailoverCluster cluster, Writers writers, FailoverParams p) {
    this.cluster = cluster;
    this.writers = writers;
    this.p = p;
  }

  RoundObservation run(int round) throws IOException, InterruptedException {
    Member primary = cluster.awaitStable(p.timeout());
    double waited = awaitMinInterval();
    long oldEpoch = Member.epoch(primary.info().orElseThrow());
    awaitWritesIn(oldEpoch, "before the kill");
    long acked = writers.acknowledged();
    TimeUnit.NANOSECONDS.sleep(p.steady().toNanos());
    if (writers.acknowledged() == acked) {
      throw new IllegalStateException("no write was acknowledged in the steady window");
    }
    long killWall = System.currentTimeMillis();
    long kill = System.nanoTime();
    primary.kill();
    double gone = msSince(kill);

    double expired = -1;
    double elected = -1;
    MemberInfo next = null;
    long deadline = kill + p.timeout().toNanos();
    while (expired < 0 || elected < 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "round "
                + round
                + ": "
                + (expired < 0 ? primary.id() + "'s session did not expire" : "no new primary")
                + " within "
                + p.timeout().toSeconds()
                + " s of the kill");
      }
      ClusterView view = cluster.view();
      double now = msSince(kill);
      if (expired < 0 && view.member(primary.id()).isEmpty()) {
        expired = now;
      }
      Optional<MemberInfo> shown = view.primaryMember().filter(m -> m.epoch() > oldEpoch);
      if (elected < 0 && shown.isPresent()) {
        elected = now;
        next = shown.get();
      }
      TimeUnit.MILLISECONDS.sleep(POLL_MS);
    }
    awaitWritesAbove(oldEpoch);

    long restart = System.nanoTime();
    primary.start();
    Member stable = cluster.awaitStable(p.timeout());
    cluster.awaitCaughtUp(stable, p.timeout());
    double rejoin = msSince(restart);
    return new RoundObservation(
        round,
        primary.id(),
        next.id(),
        oldEpoch,
        next.epoch(),
        kill,
        killWall,
        waited,
        gone,
        expired,
        elected,
        rejoin);
  }

  /** Sleeps until {@code --failover-min-interval} has passed since the last failover; ms slept. */
  private double awaitMinInterval() throws InterruptedException {
    Optional<FailoverRecord> last = cluster.view().lastFailover();
    if (last.isEmpty()) {
      return 0;
    }
    long wait = last.get().atMillis() + p.minInterval().toMillis() - System.currentTimeMillis();
    if (wait <= 0) {
      return 0;
    }
    TimeUnit.MILLISECONDS.sleep(wait);
    return wait;
  }

  private void awaitWritesIn(long epoch, String when) throws InterruptedException {
    awaitWritesIn(writers, p, epoch, when);
  }

  /** Waits until {@code writers} have had a write acknowledged in {@code epoch} or later. */
  static void awaitWritesIn(Writers writers, FailoverParams p, long epoch, String when)
      throws InterruptedException {
    long deadline = System.nanoTime() + p.timeout().toNanos();
    while (writers.latestEpoch() < epoch) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no write acknowledged in epoch "
                + epoch
                + " "
                + when
                + "; failures "
                + writers.failures());
      }
      TimeUnit.MILLISECONDS.sleep(POLL_MS);
    }
  }

  private void awaitWritesAbove(long epoch) throws InterruptedException {
    awaitWritesIn(epoch + 1, "after the kill");
  }

  private static double msSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e6;
  }
}
