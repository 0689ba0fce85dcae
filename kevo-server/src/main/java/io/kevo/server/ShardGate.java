package io.kevo.server;

import com.google.protobuf.ByteString;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardRange;
import io.kevo.coordination.SplitRecord;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.DeleteRequest;
import io.kevo.proto.GetRequest;
import io.kevo.proto.Operation;
import io.kevo.proto.PutRequest;
import io.kevo.proto.ScanRequest;
import io.kevo.proto.TxDeleteRequest;
import io.kevo.proto.TxGetRequest;
import io.kevo.proto.TxPutRequest;
import io.kevo.proto.TxScanRequest;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a client request's keys belong to this node, in a cluster that may be sharded (issue 20).
 * The node knows its cluster's shard map as the coordinator last told it ({@link #mapChanged},
 * {@link #mapAbsent}) and judges each request by its keys ({@link #refusal}):
 *
 * <ul>
 *   <li>a node of shard {@code ID} ({@code --shard ID}) serves the keys of that shard's range in
 *       the newest map; any other key is refused with WRONG_SHARD naming the shard that owns it and
 *       the map's version, so that a client with an older map learns where to go. A scan must lie
 *       within the range: a client scanning across shards asks each shard for its part. A
 *       transaction's keys must all be this shard's. Until the node has read the map, keyed
 *       requests are refused with SHARD_MAP_UNKNOWN (retry); a map without this shard, or no map at
 *       all, refuses them for good, saying why.
 *   <li>a node without {@code --shard} serves every key while its cluster has no map, and none once
 *       it has one: its data would be outside any shard.
 * </ul>
 *
 * Requests without keys (statistics, node info, beginning and ending transactions) always pass.
 * Thread-safe: the map is replaced whole by the coordinator's thread and read by the call threads.
 */
final class ShardGate {
  private static final Logger LOG = LoggerFactory.getLogger(ShardGate.class);

  /** What the node knows of the map. */
  private record View(ShardMap map, boolean absent) {}

  private static final View UNREAD = new View(null, false);
  private static final View ABSENT = new View(null, true);

  private final String cluster;
  private final String shard; // null: a node of an unsharded cluster
  private final WriteDrain writes = new WriteDrain();
  private volatile View view = UNREAD;
  private volatile SplitRecord fence; // a split of this shard that stops the moving keys; or null

  /**
   * @param cluster the cluster's name, for messages
   * @param shard the shard this node serves, or null for none (an unsharded cluster's node)
   */
  ShardGate(String cluster, String shard) {
    this.cluster = cluster;
    this.shard = shard;
  }

  /** The shard this node serves, or null. */
  String shard() {
    return shard;
  }

  /** The client writes under way, for a split's fence. */
  WriteDrain writes() {
    return writes;
  }

  /**
   * Whether this node's shard is in the map it holds: false for a node of a shard a split has not
   * created yet (it must not lead a group that owns nothing), and while the map is unread.
   */
  boolean shardInMap() {
    View v = view;
    return shard != null && v.map() != null && v.map().shard(shard).isPresent();
  }

  /** The map this node holds, or null (unread, or none). */
  ShardMap map() {
    return view.map();
  }

  /**
   * A split of this node's shard fences the keys it gives away: from now on they are refused, until
   * this node holds a map that gives them to the new shard or the split is given up ({@link
   * #unfence}).
   */
  void fence(SplitRecord split) {
    SplitRecord before = fence;
    fence = split;
    if (before == null || before.mapVersion() != split.mapVersion()) {
      LOG.info(
          "shard {} stops serving the keys from {} on: they move to shard {} (split)",
          shard,
          ShardRange.keyText(split.at()),
          split.to());
    }
  }

  /**
   * The fence is lifted: the split was given up (this node serves its whole range again), or the
   * map it holds gives the moving keys away (it refuses them by the map from now on).
   */
  void unfence() {
    SplitRecord before = fence;
    fence = null;
    if (before != null) {
      View v = view;
      boolean givenAway =
          v.map() != null
              && v.map().shard(before.to()).map(r -> r.contains(before.at())).orElse(false);
      if (givenAway) {
        LOG.info(
            "shard {}: the shard map gives the keys from {} on to shard {}",
            shard,
            ShardRange.keyText(before.at()),
            before.to());
      } else {
        LOG.info(
            "shard {} serves its whole range again: the split {} ended", shard, before.describe());
      }
    }
  }

  /**
   * The split fencing this node's moving keys while its map still gives them to this shard (a map
   * that flipped another shard's split does not lift it); else null.
   */
  private SplitRecord fenceIn(View v) {
    SplitRecord f = fence;
    if (f == null || v.map() == null) {
      return null;
    }
    return v.map().shard(shard).map(r -> r.contains(f.at())).orElse(false) ? f : null;
  }

  /** The coordinator holds {@code map} (newer than any before). */
  void mapChanged(ShardMap map) {
    view = new View(map, false);
    if (shard == null) {
      LOG.error(
          "cluster {} is sharded (shard map version {}): this node was started without --shard and"
              + " refuses every keyed request; start it with --shard ID",
          cluster,
          map.version());
    } else if (map.shard(shard).isEmpty()) {
      LOG.error(
          "cluster {}'s shard map version {} has no shard {}: this node refuses every keyed"
              + " request",
          cluster,
          map.version(),
          shard);
    } else {
      LOG.info(
          "shard {} of cluster {} owns {} (shard map version {})",
          shard,
          cluster,
          map.shard(shard).orElseThrow().text(),
          map.version());
    }
  }

  /** The coordinator holds no map: the cluster is not sharded. */
  void mapAbsent() {
    view = ABSENT;
    if (shard != null) {
      LOG.error(
          "cluster {} is not sharded (no shard map): this node of shard {} refuses every keyed"
              + " request; run kevo cluster init, or start it without --shard",
          cluster,
          shard);
    }
  }

  /**
   * Why this node must not serve {@code request}, or null if it may.
   *
   * @param request a client service request message
   */
  ServerException refusal(Object request) {
    View v = view;
    if (shard == null && v.map() == null) {
      return null; // an unsharded cluster: every key is this node's
    }
    if (request instanceof GetRequest r) {
      return key(v, r.getKey(), false);
    } else if (request instanceof PutRequest r) {
      return key(v, r.getKey(), false);
    } else if (request instanceof DeleteRequest r) {
      return key(v, r.getKey(), false);
    } else if (request instanceof TxGetRequest r) {
      return key(v, r.getKey(), true);
    } else if (request instanceof TxPutRequest r) {
      return key(v, r.getKey(), true);
    } else if (request instanceof TxDeleteRequest r) {
      return key(v, r.getKey(), true);
    } else if (request instanceof BatchWriteRequest r) {
      return batch(v, r);
    } else if (request instanceof ScanRequest r) {
      return scan(v, r.getPrefix(), r.getSuffix(), r.getStartKey(), r.getEndKey());
    } else if (request instanceof TxScanRequest r) {
      return scan(v, r.getPrefix(), r.getSuffix(), r.getStartKey(), r.getEndKey());
    }
    return null;
  }

  private ServerException batch(View v, BatchWriteRequest r) {
    for (Operation op : r.getOperationsList()) {
      ServerException e = key(v, op.getKey(), false);
      if (e != null && e.reason() == ServerException.Reason.WRONG_SHARD) {
        return ServerException.wrongShard(
            e.getMessage() + "; nothing of the batch was written (a batch spans one shard only)",
            e.shardOwner(),
            e.shardMapVersion());
      }
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  private ServerException key(View v, ByteString keyBytes, boolean inTransaction) {
    ServerException unusable = unusable(v);
    if (unusable != null) {
      return unusable;
    }
    byte[] key = keyBytes.toByteArray();
    ShardRange mine = v.map().shard(shard).orElseThrow();
    if (mine.contains(key)) {
      SplitRecord f = fenceIn(v);
      return f != null && f.moves(key)
          ? moving("key " + ShardRange.keyText(key) + " is moving", f)
          : null;
    }
    return redirect(
        v,
        v.map().ownerOf(key),
        "key " + ShardRange.keyText(key) + " belongs to shard ",
        mine,
        inTransaction ? "; a transaction spans one shard only" : "");
  }

  /**
   * A scan's keys as Kevo scans them ({@link ScanRequests}): a prefix bounds them to the prefix's
   * range; a suffix alone filters every key; else {@code [start, end)}.
   */
  private ServerException scan(
      View v, ByteString prefix, ByteString suffix, ByteString start, ByteString end) {
    ServerException unusable = unusable(v);
    if (unusable != null) {
      return unusable;
    }
    byte[] from;
    byte[] to; // null: no upper bound
    if (!prefix.isEmpty()) {
      from = prefix.toByteArray();
      to = ShardRange.prefixEnd(from);
    } else if (!suffix.isEmpty()) {
      from = new byte[0];
      to = null;
    } else {
      from = start.toByteArray();
      to = end.isEmpty() ? null : end.toByteArray();
    }
    ShardRange mine = v.map().shard(shard).orElseThrow();
    byte[] myEnd = mine.end();
    boolean startsInside = Arrays.compareUnsigned(from, mine.start()) >= 0;
    boolean endsInside = myEnd == null || (to != null && Arrays.compareUnsigned(to, myEnd) <= 0);
    if (startsInside && endsInside) {
      SplitRecord f = fenceIn(v);
      boolean reachesMoving = f != null && (to == null || Arrays.compareUnsigned(to, f.at()) > 0);
      return reachesMoving ? moving("the scan reaches keys that are moving", f) : null;
    }
    // Name the shard holding the first keys this node lacks: the scan's start, else its end's.
    return redirect(
        v,
        v.map().ownerOf(startsInside ? myEnd : from),
        "the scan reaches keys of shard ",
        mine,
        ": scan each shard's part of the range on that shard");
  }

  /**
   * WRONG_SHARD naming the split's new shard and the map version that will give it the keys: a
   * client retries once it reads that map.
   */
  private ServerException moving(String what, SplitRecord f) {
    return ServerException.wrongShard(
        what
            + " from shard "
            + shard
            + " to shard "
            + f.to()
            + " (a split at "
            + ShardRange.keyText(f.at())
            + "): retry once the shard map reaches version "
            + (f.mapVersion() + 1),
        f.to(),
        f.mapVersion() + 1);
  }

  /**
   * WRONG_SHARD naming {@code owner}: "{@code what}OWNER (shard map version N); this node serves
   * shard ID RANGE{@code advice}".
   */
  private ServerException redirect(
      View v, ShardRange owner, String what, ShardRange mine, String advice) {
    return ServerException.wrongShard(
        what
            + owner.id()
            + " (shard map version "
            + v.map().version()
            + "); this node serves shard "
            + shard
            + " "
            + mine.text()
            + advice,
        owner.id(),
        v.map().version());
  }

  /** Why no key can be served at all, or null if this node's shard is in the map. */
  private ServerException unusable(View v) {
    if (shard == null) {
      // A map exists (refusal() let the unsharded case through).
      return ServerException.wrongShard(
          "cluster "
              + cluster
              + " is sharded (shard map version "
              + v.map().version()
              + "), and this node serves no shard: it was started without --shard",
          null,
          v.map().version());
    }
    if (v.absent()) {
      return ServerException.wrongShard(
          "cluster "
              + cluster
              + " is not sharded (no shard map), and this node was started for shard "
              + shard
              + ": run kevo cluster init, or start it without --shard",
          null,
          0);
    }
    if (v.map() == null) {
      return new ServerException(
          ServerException.Reason.SHARD_MAP_UNKNOWN,
          "this node of shard "
              + shard
              + " has not read cluster "
              + cluster
              + "'s shard map from the coordinator yet; retry");
    }
    if (v.map().shard(shard).isEmpty()) {
      return ServerException.wrongShard(
          "cluster "
              + cluster
              + "'s shard map (version "
              + v.map().version()
              + ") has no shard "
              + shard
              + ", which this node was started for",
          null,
          v.map().version());
    }
    return null;
  }
}
