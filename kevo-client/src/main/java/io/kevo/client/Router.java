package io.kevo.client;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.kevo.wire.WireMetadata;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Chooses the node for each call and runs one attempt of it there, following redirects.
 *
 * <ul>
 *   <li>{@link Route#WRITE}: the primary; while none is known, the first seed not down.
 *   <li>{@link Route#READ}: by {@link ClientOptions#readPreference()} — the primary, or the next
 *       readable replica (reported available, not down) in round-robin order, falling back to the
 *       primary; {@code PRIMARY_PREFERRED} takes a replica only while the primary is down.
 *   <li>A pinned node ({@link #callOn}): a transaction's node, or the first seed for admin calls.
 * </ul>
 *
 * <p>A routed call refused with {@code FAILED_PRECONDITION} and a {@code kevo-primary} trailer was
 * not applied, so it is sent to the named primary, whatever kind of call it is, at most {@link
 * ClientOptions#maxRedirects()} times per attempt; then it fails. A call to a pinned node is never
 * redirected (a transaction lives on the node that began it). Any call failing with {@code
 * UNAVAILABLE} marks its node down; a routed one also marks the topology stale, so that the next
 * attempt (routed afresh) first re-reads it. A read refused by a replica that has not applied its
 * {@code kevo-min-sequence} ({@code UNAVAILABLE} with {@code kevo-applied-sequence}) does not mark
 * the replica down (it is only behind): a routed read goes on to the primary, within the same
 * redirect budget. Retrying is the {@link Retrier}'s business: one call here is one attempt.
 * Thread-safe.
 */
final class Router {
  private static final ClientLog LOG = ClientLog.of(Router.class);

  /** What kind of node a call needs. */
  enum Route {
    WRITE,
    READ
  }

  private final ClientOptions options;
  private final NodePool pool;
  private final Seeds seeds;
  private final TopologyTracker tracker;
  private final AtomicInteger nextReplica = new AtomicInteger();

  Router(ClientOptions options, Seeds seeds, NodePool pool, TopologyTracker tracker) {
    this.options = options;
    this.seeds = seeds;
    this.pool = pool;
    this.tracker = tracker;
  }

  /** The first seed: the node admin calls ({@code GetStats}, {@code GetNodeInfo}...) go to. */
  Node home() {
    return pool.node(seeds.first());
  }

  /**
   * The node for a {@code route} call, re-reading a stale topology first, on this thread if it
   * {@code mayBlock}, else in the background.
   */
  Node pick(Route route, boolean mayBlock) {
    tracker.beforeCall(mayBlock);
    return pool.node(address(route, tracker.known()));
  }

  private String address(Route route, Topology t) {
    String primary = t.hasPrimary() ? t.primary() : firstSeedUp();
    if (route == Route.WRITE) {
      return primary; // even if down: no other node can take it
    }
    return switch (options.readPreference()) {
      case PRIMARY -> primary;
      case PRIMARY_PREFERRED -> tracker.isDown(primary) ? nextReplica(t).orElse(primary) : primary;
      case REPLICA_PREFERRED -> nextReplica(t).orElse(primary);
    };
  }

  private Optional<String> nextReplica(Topology t) {
    List<String> readable =
        t.replicas().stream()
            .filter(r -> r.available() && !tracker.isDown(r.address()))
            .map(Topology.Replica::address)
            .toList();
    if (readable.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(readable.get(Math.floorMod(nextReplica.getAndIncrement(), readable.size())));
  }

  /** The primary as currently known (or the first seed up): where a lagging replica's read goes. */
  Node primary() {
    Topology t = tracker.known();
    return pool.node(t.hasPrimary() ? t.primary() : firstSeedUp());
  }

  private String firstSeedUp() {
    List<String> all = seeds.all();
    return all.stream().filter(a -> !tracker.isDown(a)).findFirst().orElse(all.get(0));
  }

  /** One attempt of a {@code route} call, following redirects; blocks. */
  <T> T call(String name, Route route, Function<Node, T> rpc) {
    Node node = pick(route, true);
    StringBuilder trail = new StringBuilder(node.address());
    for (int hops = 0; ; hops++) {
      try {
        T value = rpc.apply(node);
        tracker.markUp(node.address());
        return value;
      } catch (RuntimeException e) {
        if (route == Route.READ && Consistency.isLagging(e) && hops < options.maxRedirects()) {
          Node p = primary();
          if (!p.address().equals(node.address())) {
            LOG.debug("{} is behind the read's minimum sequence; reading from {}", node, p);
            trail.append(" -> ").append(p.address());
            node = p;
            continue;
          }
        }
        String primary = failed(node, e);
        if (primary == null) {
          throw e;
        }
        if (hops == options.maxRedirects()) {
          throw redirectLimit(name, trail + ", which named " + primary, e);
        }
        tracker.redirected(node.address(), primary);
        trail.append(" -> ").append(primary);
        node = pool.node(primary);
      }
    }
  }

  /** {@link #call} without blocking: redirects are followed as the answers arrive. */
  <T> ListenableFuture<T> callAsync(
      String name, Route route, Function<Node, ListenableFuture<T>> rpc) {
    Node node = pick(route, false);
    return attemptAsync(name, route, node, rpc, 0, node.address());
  }

  private <T> ListenableFuture<T> attemptAsync(
      String name,
      Route route,
      Node node,
      Function<Node, ListenableFuture<T>> rpc,
      int hops,
      String trail) {
    ListenableFuture<T> answered =
        Futures.transform(
            rpc.apply(node),
            v -> {
              tracker.markUp(node.address());
              return v;
            },
            MoreExecutors.directExecutor());
    return Futures.catchingAsync(
        answered,
        Throwable.class,
        t -> {
          if (route == Route.READ && Consistency.isLagging(t) && hops < options.maxRedirects()) {
            Node p = primary();
            if (!p.address().equals(node.address())) {
              return attemptAsync(name, route, p, rpc, hops + 1, trail + " -> " + p.address());
            }
          }
          String primary = failed(node, t);
          if (primary == null) {
            return Futures.immediateFailedFuture(t);
          }
          if (hops == options.maxRedirects()) {
            return Futures.immediateFailedFuture(
                redirectLimit(name, trail + ", which named " + primary, t));
          }
          tracker.redirected(node.address(), primary);
          return attemptAsync(
              name, route, pool.node(primary), rpc, hops + 1, trail + " -> " + primary);
        },
        MoreExecutors.directExecutor());
  }

  /** One attempt of a call to {@code node} and nowhere else; blocks. */
  <T> T callOn(Node node, Function<Node, T> rpc) {
    try {
      T value = rpc.apply(node);
      tracker.markUp(node.address());
      return value;
    } catch (RuntimeException e) {
      // A pinned call cannot go elsewhere, so its failure asks for no refresh: the next routed
      // call to that node fails (and refreshes) by itself if the node is still down.
      String primary = failed(node, e, false);
      if (primary != null) {
        tracker.redirected(node.address(), primary); // learn from it, but do not follow
      }
      throw e;
    }
  }

  /** {@code it}, reporting a failure of the stream from {@code node} like a failed call. */
  <T> Iterator<T> reporting(Node node, Iterator<T> it) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          return it.hasNext();
        } catch (RuntimeException e) {
          failed(node, e);
          throw e;
        }
      }

      @Override
      public T next() {
        try {
          return it.next();
        } catch (RuntimeException e) {
          failed(node, e);
          throw e;
        }
      }
    };
  }

  /**
   * Accounts for a call to {@code node} that failed with {@code failure}: UNAVAILABLE marks the
   * node down. Returns the primary's address if the node refused the call and named it, else null.
   */
  private String failed(Node node, Throwable failure) {
    return failed(node, failure, true);
  }

  private String failed(Node node, Throwable failure, boolean routed) {
    if (!KevoClientException.isStatus(failure)) {
      return null;
    }
    Status.Code code = Status.fromThrowable(failure).getCode();
    if (Consistency.isLagging(failure)) {
      return null; // the node is up, only behind: not down
    }
    if (code == Status.Code.UNAVAILABLE) {
      tracker.markDown(node.address(), routed);
      // gRPC waits out a growing reconnect backoff (up to minutes) after failed connects; a node
      // that restarted must be reachable on the next attempt, so connect again at once.
      node.channel().resetConnectBackoff();
      return null;
    }
    if (code != Status.Code.FAILED_PRECONDITION) {
      return null;
    }
    Metadata trailers = Status.trailersFromThrowable(failure);
    String primary = trailers == null ? null : trailers.get(WireMetadata.PRIMARY);
    if (primary == null) {
      return null;
    }
    if (!TopologyTracker.valid(primary)) {
      LOG.warn("{} named a malformed primary address '{}'; not following it", node, primary);
      return null;
    }
    return primary;
  }

  private KevoClientException redirectLimit(String name, String trail, Throwable last) {
    KevoClientException e = KevoClientException.of(last);
    return new KevoClientException(
        Status.Code.FAILED_PRECONDITION,
        e.serverMessage(),
        name
            + " found no primary after following "
            + options.maxRedirects()
            + " redirects ("
            + trail
            + "); the nodes disagree about which is the primary. Last answer: "
            + e.getMessage(),
        last);
  }
}
