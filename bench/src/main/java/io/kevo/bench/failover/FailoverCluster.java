package io.kevo.bench.failover;

import io.kevo.bench.run.LocalCoordination;
import io.kevo.coordination.ClusterRecords;
import io.kevo.coordination.ClusterView;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.EmbeddedZooKeeper;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetNodeInfoResponse.NodeRole;
import io.kevo.proto.ReplicaInfo;
import io.kevo.testkit.KevoDistribution;
import io.kevo.testkit.NodeProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The cluster a failover run kills rounds of: an {@link EmbeddedZooKeeper} in this JVM (127.0.0.1,
 * an ephemeral port, files under the run directory), and {@code kevo server} processes of the
 * distribution on 127.0.0.1, each with {@code --coordinator}, {@code --cluster}, {@code --node-id},
 * {@code --replication-ack replica:1} and {@code --failover-min-interval}; the session timeout and
 * the grace are the server's defaults. Also holds a coordinator session of its own to read the
 * {@link ClusterView}.
 *
 * <p>Used by the driving thread only; {@link #close()} kills every node, closes the session and
 * stops ZooKeeper, and throws nothing.
 */
final class FailoverCluster implements AutoCloseable {
  static final String CLUSTER = "c1";
  private static final long POLL_MS = 20;

  private final LocalCoordination coordination;
  private final Coordinator coordinator;
  private final List<Member> members = new ArrayList<>();

  private FailoverCluster(LocalCoordination coordination) {
    this.coordination = coordination;
    this.coordinator = coordination.coordinator();
  }

  /**
   * Starts ZooKeeper in {@code dir/zookeeper} and {@code p.nodes()} nodes {@code n1...} in {@code
   * dir/n1...}, each waited for until it listens (not until a primary is elected).
   */
  static FailoverCluster start(Path dir, FailoverParams p)
      throws IOException, InterruptedException {
    FailoverCluster c = new FailoverCluster(LocalCoordination.start(dir, CLUSTER));
    try {
      KevoDistribution kevo = KevoDistribution.locate();
      for (int i = 1; i <= p.nodes(); i++) {
        String id = "n" + i;
        Path nodeDir = dir.resolve(id);
        NodeProcess process =
            new NodeProcess(
                kevo,
                id,
                nodeDir,
                nodeDir.resolve("db"),
                0,
                p.nodeJvmArgs(id),
                serverArgs(c.coordination.connectString(), id, p));
        Member m = new Member(id, process);
        c.members.add(m);
        m.start();
      }
    } catch (Throwable t) {
      c.close();
      throw t;
    }
    return c;
  }

  /** The {@code kevo server} options of node {@code id}, besides data, listen and port file. */
  static List<String> serverArgs(String connectString, String id, FailoverParams p) {
    return List.of(
        "--coordinator",
        connectString,
        "--cluster",
        CLUSTER,
        "--node-id",
        id,
        "--replication-ack",
        "replica:1",
        "--failover-min-interval",
        p.minInterval().toMillis() + "ms");
  }

  List<Member> members() {
    return List.copyOf(members);
  }

  /** Every member's client address, for the writers' client. */
  List<String> addresses() {
    return members.stream().map(Member::address).toList();
  }

  /** The cluster's records (primary, failover, switchover). */
  ClusterRecords records() {
    return new ClusterRecords(coordinator);
  }

  /** What ZooKeeper says of the cluster now. */
  ClusterView view() {
    return ClusterView.read(coordinator);
  }

  /**
   * Waits until every running member answers, exactly one is primary, every other one is its
   * replica, and the primary lists them all as available replicas.
   *
   * @return the primary
   * @throws IllegalStateException if that does not happen {@code within}
   */
  Member awaitStable(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "no member answered";
    while (System.nanoTime() < deadline) {
      List<Member> primaries = new ArrayList<>();
      List<GetNodeInfoResponse> infos = new ArrayList<>();
      boolean allAnswer = true;
      for (Member m : running()) {
        Optional<GetNodeInfoResponse> info = m.info();
        if (info.isEmpty()) {
          allAnswer = false;
          last = m.id() + " does not answer";
          break;
        }
        infos.add(info.get());
        if (info.get().getNodeRole() == NodeRole.PRIMARY) {
          primaries.add(m);
        }
      }
      Optional<Member> primary =
          primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
      if (allAnswer && primary.isPresent()) {
        String why = notFollowing(primary.get(), infos);
        if (why == null) {
          return primary.get();
        }
        last = why;
      } else if (allAnswer) {
        last = primaries.isEmpty() ? "no primary" : primaries.size() + " primaries";
      }
      TimeUnit.MILLISECONDS.sleep(POLL_MS);
    }
    throw new IllegalStateException(
        "the cluster did not settle within " + within.toSeconds() + " s: " + last);
  }

  /** Why not every other running member follows {@code primary}; null if they all do. */
  private String notFollowing(Member primary, List<GetNodeInfoResponse> infos) {
    List<Member> live = running();
    GetNodeInfoResponse pInfo = infos.get(live.indexOf(primary));
    for (int i = 0; i < live.size(); i++) {
      Member m = live.get(i);
      if (m != primary && !primary.address().equals(infos.get(i).getPrimaryAddress())) {
        return m.id() + " does not follow " + primary.id() + " yet";
      }
    }
    long available = pInfo.getReplicasList().stream().filter(ReplicaInfo::getAvailable).count();
    if (available < live.size() - 1) {
      return primary.id() + " has " + available + " available replicas of " + (live.size() - 1);
    }
    return null;
  }

  /**
   * Waits until every running replica has applied what the primary had when this was called.
   *
   * @throws IllegalStateException if that does not happen {@code within}
   */
  void awaitCaughtUp(Member primary, Duration within) throws InterruptedException {
    long target = primary.info().map(GetNodeInfoResponse::getLastSequence).orElseThrow();
    long deadline = System.nanoTime() + within.toNanos();
    for (Member m : running()) {
      if (m == primary) {
        continue;
      }
      while (m.info().map(Member::applied).orElse(-1L) < target) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              m.id()
                  + " did not apply sequence "
                  + target
                  + " within "
                  + within.toSeconds()
                  + " s");
        }
        TimeUnit.MILLISECONDS.sleep(POLL_MS);
      }
    }
  }

  private List<Member> running() {
    return members.stream().filter(Member::running).toList();
  }

  @Override
  public void close() {
    members.forEach(Member::close);
    coordination.close();
  }
}
