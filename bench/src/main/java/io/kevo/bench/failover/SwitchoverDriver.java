package io.kevo.bench.failover;

import io.kevo.coordination.ClusterRecords;
import io.kevo.coordination.ClusterView;
import io.kevo.coordination.FailoverRecord;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.SwitchoverRequest;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The planned switchover after the kill rounds, under the same writers: asks the coordinator to
 * move the primary role to the first other member by id (what {@code kevo switchover} does), waits
 * until the target leads in a later epoch, and measures the write pause the writers saw: from the
 * last write acknowledged in the old epoch to the first acknowledged in the new one. Used by the
 * driving thread only.
 */
final class SwitchoverDriver {
  private final FailoverCluster cluster;
  private final Writers writers;
  private final FailoverParams p;

  SwitchoverDriver(FailoverCluster cluster, Writers writers, FailoverParams p) {
    this.cluster = cluster;
    this.writers = writers;
    this.p = p;
  }

  /** What a switchover did: who to whom, in which epochs, and when it was asked for. */
  record Observation(
      String from, String to, long oldEpoch, long newEpoch, long requestNanos, double doneMs) {}

  Observation run() throws InterruptedException {
    Member primary = cluster.awaitStable(p.timeout());
    long oldEpoch = Member.epoch(primary.info().orElseThrow());
    ClusterView view = cluster.view();
    MemberInfo target =
        view.members().stream()
            .filter(m -> !m.id().equals(primary.id()))
            .min(Comparator.comparing(MemberInfo::id))
            .orElseThrow(() -> new IllegalStateException("no member to switch over to"));
    long acked = writers.acknowledged();
    TimeUnit.NANOSECONDS.sleep(p.steady().toNanos());
    if (writers.acknowledged() == acked) {
      throw new IllegalStateException("no write was acknowledged before the switchover");
    }
    ClusterRecords records = cluster.records();
    long request = System.nanoTime();
    records.requestSwitchover(SwitchoverRequest.to(target.id(), System.currentTimeMillis()));
    long deadline = request + p.timeout().toNanos();
    while (true) {
      Optional<FailoverRecord> f = records.lastFailover();
      if (f.isPresent() && f.get().to().equals(target.id()) && f.get().epoch() > oldEpoch) {
        double done = (System.nanoTime() - request) / 1e6;
        RoundDriver.awaitWritesIn(writers, p, f.get().epoch(), "after the switchover");
        return new Observation(primary.id(), target.id(), oldEpoch, f.get().epoch(), request, done);
      }
      Optional<SwitchoverRequest> r = records.switchover();
      if (r.isPresent() && r.get().isRefused()) {
        records.clearSwitchover();
        throw new IllegalStateException("switchover to " + target.id() + " " + r.get().state());
      }
      if (System.nanoTime() > deadline) {
        records.clearSwitchover();
        throw new IllegalStateException(
            "switchover to " + target.id() + " did not complete within " + p.timeout());
      }
      TimeUnit.MILLISECONDS.sleep(RoundDriver.POLL_MS);
    }
  }
}
