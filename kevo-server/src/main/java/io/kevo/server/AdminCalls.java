package io.kevo.server;

import static io.kevo.server.Calls.unary;

import io.grpc.stub.StreamObserver;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.ScanOptions;
import io.kevo.proto.CompactResponse;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetStatsResponse;

/**
 * The node-level calls of {@code KevoService}: {@code GetStats} (described in {@link StatsMapper};
 * * the key count stops at {@link ServerOptions#statsKeyCountLimit()}), {@code Compact} (flushes
 * and compacts the whole key range; {@code force} is accepted and ignored: every compaction is a
 * full one) and {@code GetNodeInfo} ({@link NodeInfoReport}). Thread-safe.
 */
final class AdminCalls {
  private final KevoDB db;
  private final ServerOptions options;
  private final RpcMetrics metrics;
  private final NodeInfoReport nodeInfo;

  AdminCalls(KevoDB db, ServerOptions options, RpcMetrics metrics, NodeInfoReport nodeInfo) {
    this.db = db;
    this.options = options;
    this.metrics = metrics;
    this.nodeInfo = nodeInfo;
  }

  void stats(StreamObserver<GetStatsResponse> out) {
    unary(out, () -> StatsMapper.toProto(db.stats(), countKeys(), metrics));
  }

  void compact(StreamObserver<CompactResponse> out) {
    unary(
        out,
        () -> {
          db.compactRange(null, null);
          return CompactResponse.newBuilder().setSuccess(true).build();
        });
  }

  void nodeInfo(StreamObserver<GetNodeInfoResponse> out) {
    unary(out, nodeInfo::build);
  }

  private long countKeys() {
    long limit = options.statsKeyCountLimit();
    long n = 0;
    try (KevoIterator it = db.scan(ScanOptions.ALL)) {
      while (n < limit && it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }
}
