package io.kevo.client;

import io.grpc.Status;
import io.kevo.coordination.ShardRange;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link KevoClient}'s calls on a sharded cluster: each key's call goes to its shard's group client
 * through {@link ShardRouting} (which follows the map and re-routes refused keys); a batch must lie
 * in one shard; a scan is each overlapped shard's part of the range in turn, in key order. Calls
 * that describe or hold state on one group (node info, statistics, compaction, transactions,
 * session positions) are not made across shards: {@link KevoClient#shard(byte[])} gives the group
 * client of a key's shard for them. Thread-safe.
 */
final class ShardedCalls {
  private final ShardRouting routing;
  private final boolean retryWrites;

  ShardedCalls(ShardRouting routing, boolean retryWrites) {
    this.routing = routing;
    this.retryWrites = retryWrites;
  }

  ShardRouting routing() {
    return routing;
  }

  Optional<byte[]> get(byte[] key) {
    return routing.route(key, true, g -> g.get(key));
  }

  CompletableFuture<Optional<byte[]>> getAsync(byte[] key) {
    return routeAsync(key, true, g -> g.getAsync(key), 0);
  }

  WriteResult put(byte[] key, byte[] value, WriteSpec spec) {
    return routing.route(key, retryWrites, g -> g.put(key, value, spec));
  }

  CompletableFuture<WriteResult> putAsync(byte[] key, byte[] value, WriteSpec spec) {
    return routeAsync(key, retryWrites, g -> g.putAsync(key, value, spec), 0);
  }

  WriteResult delete(byte[] key, WriteSpec spec) {
    return routing.route(key, retryWrites, g -> g.delete(key, spec));
  }

  CompletableFuture<WriteResult> deleteAsync(byte[] key, WriteSpec spec) {
    return routeAsync(key, retryWrites, g -> g.deleteAsync(key, spec), 0);
  }

  WriteResult batch(List<Op> ops, WriteSpec spec) {
    if (ops.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one operation");
    }
    routing.soleOwner(keys(ops));
    return routing.route(ops.get(0).key(), retryWrites, g -> g.batch(ops, spec));
  }

  CompletableFuture<WriteResult> batchAsync(List<Op> ops, WriteSpec spec) {
    if (ops.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("a batch needs at least one operation"));
    }
    try {
      routing.soleOwner(keys(ops));
    } catch (KevoClientException e) {
      return CompletableFuture.failedFuture(e);
    }
    return routeAsync(ops.get(0).key(), retryWrites, g -> g.batchAsync(ops, spec), 0);
  }

  private static List<byte[]> keys(List<Op> ops) {
    List<byte[]> keys = new ArrayList<>(ops.size());
    for (Op op : ops) {
      keys.add(op.key());
    }
    return keys;
  }

  /** {@link ShardRouting#route} for a call that answers later. */
  private <T> CompletableFuture<T> routeAsync(
      byte[] key, boolean redoable, Function<KevoClient, CompletableFuture<T>> call, int attempt) {
    KevoClient group;
    CompletableFuture<T> first;
    try {
      group = routing.groupOf(key);
      first = call.apply(group);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return first.exceptionallyCompose(
        failure -> {
          Throwable cause =
              failure instanceof CompletionException && failure.getCause() != null
                  ? failure.getCause()
                  : failure;
          if (cause instanceof KevoClientException e
              && attempt < ShardRouting.MAX_REROUTES
              && ShardRouting.electing(e, redoable)) {
            return CompletableFuture.runAsync(
                    () -> {},
                    CompletableFuture.delayedExecutor(
                        group.retrier().backoffNanos(attempt + 1), TimeUnit.NANOSECONDS))
                .thenCompose(v -> routeAsync(key, redoable, call, attempt + 1));
          }
          if (cause instanceof KevoClientException e
              && ShardRouting.refusedMapVersion(e) >= 0
              && attempt < ShardRouting.MAX_REROUTES) {
            // Not on this callback thread: read the map on a timer, after the backoff if the node
            // lags or named a map not published yet (a split flipping).
            long seen = ShardRouting.refusedMapVersion(e);
            long backoff = group.retrier().backoffNanos(attempt + 1);
            boolean lags = routing.nodeLags(seen);
            return CompletableFuture.runAsync(
                    routing::reread,
                    CompletableFuture.delayedExecutor(lags ? backoff : 0, TimeUnit.NANOSECONDS))
                .thenCompose(
                    v ->
                        lags || routing.holds(seen)
                            ? CompletableFuture.completedFuture(null)
                            : CompletableFuture.runAsync(
                                routing::reread,
                                CompletableFuture.delayedExecutor(backoff, TimeUnit.NANOSECONDS)))
                .thenCompose(v -> routeAsync(key, redoable, call, attempt + 1));
          }
          return CompletableFuture.failedFuture(cause);
        });
  }

  /**
   * The pairs {@code spec} selects across the shards, in key order. A prefix is scanned as the
   * range of its keys; a suffix filter is kept only when the scan stays in one shard (a node
   * applies it to its whole range).
   */
  KevoScan scan(ScanSpec spec) {
    byte[] from;
    byte[] to;
    byte[] prefix = spec.prefix();
    if (prefix != null && prefix.length > 0) {
      from = prefix;
      to = ShardRange.prefixEnd(prefix);
    } else {
      from = spec.start() == null ? new byte[0] : spec.start();
      to = spec.end() == null || spec.end().length == 0 ? null : spec.end();
    }
    List<ShardRouting.Part> parts = routing.parts(from, to);
    byte[] suffix = spec.suffix();
    boolean hasSuffix = suffix != null && suffix.length > 0;
    if (parts.size() == 1) {
      // One shard: the spec as given.
      ShardRouting.Part only = parts.get(0);
      return routing.group(only.shard()).scan(spec);
    }
    if (hasSuffix) {
      throw new KevoClientException(
          Status.Code.FAILED_PRECONDITION,
          "a scan with a suffix filter across shards is not supported: its range spans shards "
              + parts.stream().map(ShardRouting.Part::shard).toList()
              + "; scan each shard's range (KevoClient.shard) or give a range within one shard",
          null);
    }
    KevoClient first = routing.group(parts.get(0).shard());
    return new KevoScan(
        "Scan", () -> new Concatenated(parts, spec.limit()), first.retrier(), false);
  }

  /** The parts' scans one after the other, each opened when the previous one ends. */
  private final class Concatenated implements Iterator<KeyValue>, AutoCloseable {
    private final List<ShardRouting.Part> parts;
    private final int limit;
    private int next;
    private int delivered;
    private KevoScan current;

    Concatenated(List<ShardRouting.Part> parts, int limit) {
      this.parts = parts;
      this.limit = limit;
    }

    @Override
    public boolean hasNext() {
      while (true) {
        if (limit > 0 && delivered >= limit) {
          close();
          return false;
        }
        if (current != null && current.hasNext()) {
          return true;
        }
        if (current != null) {
          current.close();
          current = null;
        }
        if (next >= parts.size()) {
          return false;
        }
        ShardRouting.Part p = parts.get(next++);
        ScanSpec.Builder b = ScanSpec.builder().start(p.start());
        if (p.end() != null) {
          b.end(p.end());
        }
        if (limit > 0) {
          b.limit(limit - delivered);
        }
        current = routing.group(p.shard()).scan(b.build());
      }
    }

    @Override
    public KeyValue next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      delivered++;
      return current.next();
    }

    @Override
    public void close() {
      if (current != null) {
        current.close();
        current = null;
      }
      next = parts.size();
    }
  }
}
