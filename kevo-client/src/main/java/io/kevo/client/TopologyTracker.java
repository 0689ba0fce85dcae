package io.kevo.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.ReplicaInfo;
import io.kevo.wire.ReplicationStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the client knows of the cluster, and how it learns more: the last {@link Topology} read with
 * {@code GetNodeInfo}, plus the nodes it recently failed to reach ("down" marks, which expire after
 * {@link ClientOptions#unavailableNodeBackoff()} or when the node answers).
 *
 * <p>When the topology is re-read: at the first routed call (the topology starts out stale); after
 * a call failed with {@code UNAVAILABLE} (which marks it stale); after ZooKeeper reported other
 * members or another primary ({@link ZkDiscovery}, which marks it stale); after a redirect (in the
 * background); every {@link ClientOptions#topologyRefreshInterval()}; and on request. A refresh
 * asks the known nodes that are not down — the primary ZooKeeper names if any, the primary, then
 * the replicas, then the {@link Seeds} — and takes the first answer. If every known node is down it
 * asks nobody: the node that just failed would fail again, and the caller's own retry probes it
 * anyway.
 *
 * <p>How an answer becomes a topology: a STANDALONE node is the primary of a cluster without
 * replicas; a PRIMARY gives itself and its replicas (unless it reports itself {@code superseded} by
 * a newer epoch: then the next node is asked); a REPLICA gives the primary's address, which is then
 * asked in turn; if the primary does not confirm, the replica's view is kept (with the replica
 * itself, an available replica, merged into the replicas known before).
 *
 * <p>Thread-safe. Refreshes are serialized; a caller that waited for another caller's refresh uses
 * its result. Background refreshes run on one daemon thread of their own, so a slow node never
 * delays retries.
 */
final class TopologyTracker implements AutoCloseable {
  private static final ClientLog LOG = ClientLog.of(TopologyTracker.class);

  private final ClientOptions options;
  private final Seeds seeds;
  private final NodePool pool;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final Map<String, Instant> downUntil = new ConcurrentHashMap<>();
  private final AtomicBoolean stale = new AtomicBoolean(true);
  private final AtomicBoolean refreshQueued = new AtomicBoolean();
  private final ReentrantLock refreshLock = new ReentrantLock();
  private volatile Topology current = Topology.unknown();
  private volatile long generation;
  private volatile String lastHint; // the primary ZooKeeper named at the last seedsChanged()

  TopologyTracker(ClientOptions options, Seeds seeds, NodePool pool, Clock clock) {
    this.options = options;
    this.seeds = seeds;
    this.lastHint = seeds.primaryHint();
    this.pool = pool;
    this.clock = clock;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kevo-client-topology");
              t.setDaemon(true);
              return t;
            });
    long every = options.topologyRefreshInterval().toNanos();
    if (every > 0) {
      executor.scheduleWithFixedDelay(this::refreshQuietly, every, every, TimeUnit.NANOSECONDS);
    }
  }

  /** The topology as last read, without the down marks. */
  Topology known() {
    return current;
  }

  /** The topology as last read, with the nodes down now. */
  Topology snapshot() {
    return current.withUnreachable(downNow());
  }

  /** Whether {@code address} failed with UNAVAILABLE less than the node backoff ago. */
  boolean isDown(String address) {
    Instant until = downUntil.get(address);
    return until != null && clock.instant().isBefore(until);
  }

  /** {@code address} answered a call: it is reachable. */
  void markUp(String address) {
    if (downUntil.remove(address) != null) {
      LOG.debug("node {} is reachable again", address);
    }
  }

  /**
   * Before a routed call: re-reads the topology if it is stale, on the caller's thread if it {@code
   * mayBlock}, else in the background (the call then goes where the current topology says).
   */
  void beforeCall(boolean mayBlock) {
    if (stale.compareAndSet(true, false)) {
      if (mayBlock) {
        refresh();
      } else {
        refreshSoon();
      }
    }
  }

  /**
   * {@code from} refused a write and named {@code primary}: use it as the primary from now on, and
   * re-read the topology in the background.
   */
  void redirected(String from, String primary) {
    LOG.debug("{} redirected to primary {}", from, primary);
    if (!primary.equals(current.primary())) {
      current = current.withPrimary(primary);
    }
    refreshSoon();
  }

  /**
   * ZooKeeper reported other members or another primary ({@link ZkDiscovery}; one caller, its event
   * thread): the next routed call re-reads the topology first. A newly named primary is asked even
   * if a call to it failed lately: it was elected after that failure (a replica refuses writes with
   * {@code UNAVAILABLE} while its cluster has no primary), so the news is the fresher.
   */
  void seedsChanged() {
    String hint = seeds.primaryHint();
    if (hint != null && !hint.equals(lastHint) && downUntil.remove(hint) != null) {
      LOG.debug("{} is the primary now, as ZooKeeper says; no longer passed over", hint);
    }
    lastHint = hint;
    stale.set(true);
  }

  /** Re-reads the topology in the background; at most one such refresh is queued at a time. */
  void refreshSoon() {
    if (!refreshQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(
          () -> {
            refreshQueued.set(false);
            refreshQuietly();
          });
    } catch (RejectedExecutionException e) {
      refreshQueued.set(false); // closed
    }
  }

  /**
   * Re-reads the topology now from the first known node that answers; keeps the old one if none
   * does. Blocks for up to {@link ClientOptions#deadline()} per node asked.
   *
   * @return the topology afterwards, with the nodes down now
   */
  Topology refresh() {
    long seen = generation;
    refreshLock.lock();
    try {
      if (generation != seen) {
        return snapshot(); // someone refreshed while we waited
      }
      for (String address : candidates()) {
        Optional<GetNodeInfoResponse> info = ask(address);
        if (info.isEmpty()) {
          continue;
        }
        Topology next = interpret(address, info.get());
        if (next == null) {
          continue;
        }
        Topology previous = current;
        current = next;
        generation++;
        if (!Objects.equals(next.primary(), previous.primary())
            || !next.replicas().equals(previous.replicas())) {
          LOG.info(
              "topology from {}: primary {}, replicas {}",
              address,
              next.primary(),
              next.replicas());
        }
        return snapshot();
      }
      LOG.debug("no known node answered GetNodeInfo; keeping {}", current);
      return snapshot();
    } finally {
      refreshLock.unlock();
    }
  }

  /** Stops background refreshes. Idempotent. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.debug("background topology refresh failed", e);
    }
  }

  /**
   * The nodes to ask, skipping those down: the primary ZooKeeper names (it is the one most likely
   * to be current after a failover, and if it is not, its answer says so), the primary, replicas,
   * seeds.
   */
  private List<String> candidates() {
    Topology t = current;
    Set<String> all = new LinkedHashSet<>();
    String hint = seeds.primaryHint();
    if (hint != null) {
      all.add(hint);
    }
    if (t.hasPrimary()) {
      all.add(t.primary());
    }
    t.replicas().forEach(r -> all.add(r.address()));
    all.addAll(seeds.all());
    return all.stream().filter(a -> !isDown(a)).toList();
  }

  /** {@code GetNodeInfo} on {@code address}, without retry; empty if it failed. */
  private Optional<GetNodeInfoResponse> ask(String address) {
    try {
      GetNodeInfoResponse info =
          pool.node(address)
              .blocking(options.deadline())
              .getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
      markUp(address);
      return Optional.of(info);
    } catch (StatusRuntimeException e) {
      LOG.debug("GetNodeInfo on {} failed: {}", address, e.getStatus());
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        markDown(address, false); // the refresh under way already accounts for it
      }
      return Optional.empty();
    }
  }

  /** The topology {@code address}'s answer describes; null if the answer is unusable. */
  private Topology interpret(String address, GetNodeInfoResponse info) {
    Instant now = clock.instant();
    switch (info.getNodeRole()) {
      case STANDALONE:
        return new Topology(address, List.of(), Set.of(), now, address);
      case PRIMARY:
        if (ReplicationStatus.of(info).superseded().isPresent()) {
          // Another node was promoted to a newer epoch: this one refuses writes; ask the others.
          LOG.debug("{} is a superseded primary: {}", address, info.getReplicationMap());
          return null;
        }
        return new Topology(address, replicas(info, address), Set.of(), now, address);
      case REPLICA:
        String primary = info.getPrimaryAddress().isEmpty() ? null : info.getPrimaryAddress();
        if (primary != null && !primary.equals(address) && !isDown(primary) && valid(primary)) {
          Optional<GetNodeInfoResponse> confirmed = ask(primary);
          if (confirmed.isPresent()
              && confirmed.get().getNodeRole() == GetNodeInfoResponse.NodeRole.PRIMARY) {
            return new Topology(
                primary, replicas(confirmed.get(), primary), Set.of(), now, primary);
          }
        }
        // The primary did not confirm. A replica often knows only itself, so merge what it says
        // into the replicas known already rather than forget the others.
        String known = primary != null && valid(primary) ? primary : current.primary();
        Map<String, Topology.Replica> merged = new LinkedHashMap<>();
        current.replicas().forEach(r -> merged.put(r.address(), r));
        replicas(info, known).forEach(r -> merged.put(r.address(), r));
        merged.put(address, new Topology.Replica(address, info.getLastSequence(), true));
        merged.remove(known);
        return new Topology(known, List.copyOf(merged.values()), Set.of(), now, address);
      default:
        LOG.debug("{} reported an unknown role {}", address, info.getNodeRoleValue());
        return null;
    }
  }

  /** The replicas {@code info} lists, without {@code primary}, duplicates or bad addresses. */
  private static List<Topology.Replica> replicas(GetNodeInfoResponse info, String primary) {
    Map<String, Topology.Replica> out = new LinkedHashMap<>();
    for (ReplicaInfo r : info.getReplicasList()) {
      String a = r.getAddress();
      if (!a.equals(primary) && valid(a)) {
        out.putIfAbsent(a, new Topology.Replica(a, r.getLastSequence(), r.getAvailable()));
      }
    }
    return List.copyOf(out.values());
  }

  /** Whether {@code address} is {@code HOST:PORT}; a node that advertises garbage is ignored. */
  static boolean valid(String address) {
    try {
      ClientOptions.parseEndpoint(address);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Marks {@code address} down after a call to it failed with UNAVAILABLE; if {@code
   * requestRefresh}, the topology is stale too.
   */
  void markDown(String address, boolean requestRefresh) {
    Instant until = clock.instant().plus(options.unavailableNodeBackoff());
    if (downUntil.put(address, until) == null) {
      LOG.debug("node {} is unreachable; passed over until {}", address, until);
    }
    if (requestRefresh) {
      stale.set(true);
    }
  }

  private Set<String> downNow() {
    Set<String> out = new LinkedHashSet<>();
    downUntil
        .keySet()
        .forEach(
            a -> {
              if (isDown(a)) {
                out.add(a);
              }
            });
    return out;
  }
}
