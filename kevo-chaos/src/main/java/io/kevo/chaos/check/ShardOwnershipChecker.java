package io.kevo.chaos.check;

import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import io.kevo.chaos.history.ShardLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks, across the shards of a sharded run, that every acknowledged write was taken by a shard
 * that owned its keys: a node of shard {@code X} must not acknowledge a write of a key that the map
 * in force gave to another shard (a {@code write-outside-its-shard}: the write went where the key's
 * owner does not look, so it is lost to the readers, or two shards take the same key).
 *
 * <p>The map in force at an instant is known only as closely as the harness saw it: it records each
 * map when it reads it, a little after the change. So an operation passes if its node's shard owns
 * all its written keys in any map that may have been in force during it: the last one seen at or
 * before its invocation, any seen while it ran, and the first one seen after it completed. A write
 * acknowledged by the old owner after the harness saw the new map is caught; the old owner's writes
 * acknowledged just before a split's flip are not (the fence must have drained them, and the
 * linearizability and lost-write checkers judge their values).
 *
 * <p>Operations whose node is not named for a shard ({@link ShardLayout#shardOfNode}) are not
 * judged. {@code opsChecked} counts the acknowledged writes judged. Stateless apart from its
 * options; thread-safe.
 */
public final class ShardOwnershipChecker {
  /** The checker's name in results. */
  public static final String NAME = "shard-ownership";

  private final CheckOptions options;

  public ShardOwnershipChecker(CheckOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * @param ops the run's operations, in any order
   * @param maps the maps the harness saw, in the order seen ({@link ShardLayout#seenIn}); empty
   *     gives UNKNOWN
   */
  public CheckResult check(List<Op> ops, List<ShardLayout.Seen> maps) {
    if (maps.isEmpty()) {
      return new CheckResult(
          NAME, Status.UNKNOWN, 0, 0, List.of(), "shard ownership unknown (no shard map)", null);
    }
    AnomalyLog log = new AnomalyLog(options.maxAnomalies());
    long judged = 0;
    for (Op op : ops) {
      String shard = ShardLayout.shardOfNode(op.node());
      if (op.outcome() != Outcome.OK || !op.writes() || shard == null) {
        continue;
      }
      judged++;
      List<ShardLayout.Seen> candidates = inForce(maps, op);
      if (candidates.stream().noneMatch(s -> ownsWrites(s.layout(), shard, op))) {
        log.add(outside(op, shard, candidates));
      }
    }
    Status status = log.count() == 0 ? Status.VALID : Status.INVALID;
    String summary =
        log.count() == 0
            ? "every acknowledged write taken by its key's shard ("
                + OpText.count(judged)
                + " writes, "
                + maps.size()
                + (maps.size() == 1 ? " map)" : " maps)")
            : OpText.count(log.count()) + " writes acknowledged outside their key's shard";
    TreeMap<String, String> details = new TreeMap<>();
    details.put("writesJudged", Long.toString(judged));
    details.put("mapsSeen", Integer.toString(maps.size()));
    details.put("finalMapVersion", Long.toString(maps.get(maps.size() - 1).layout().version()));
    return new CheckResult(NAME, status, judged, log.count(), log.kept(), summary, details);
  }

  /** The maps that may have been in force while {@code op} ran (see the class comment). */
  static List<ShardLayout.Seen> inForce(List<ShardLayout.Seen> maps, Op op) {
    List<ShardLayout.Seen> out = new ArrayList<>();
    ShardLayout.Seen before = null;
    for (ShardLayout.Seen s : maps) {
      if (s.nanos() <= op.invokeNanos()) {
        before = s;
      } else if (s.nanos() <= op.completeNanos()) {
        out.add(s);
      } else {
        out.add(s);
        break;
      }
    }
    if (before != null) {
      out.add(0, before);
    }
    return out;
  }

  private static boolean ownsWrites(ShardLayout map, String shard, Op op) {
    for (Mop m : op.mops()) {
      if (m.isWrite() && !map.ownerOf(m.key()).equals(shard)) {
        return false;
      }
    }
    return true;
  }

  private static Anomaly outside(Op op, String shard, List<ShardLayout.Seen> candidates) {
    String key = op.mops().stream().filter(Mop::isWrite).findFirst().orElseThrow().key();
    StringBuilder owners = new StringBuilder();
    for (ShardLayout.Seen s : candidates) {
      owners
          .append(owners.length() == 0 ? "" : ", ")
          .append("map version ")
          .append(s.layout().version())
          .append(" (seen at ")
          .append(OpText.time(s.nanos()))
          .append(") gives it to ")
          .append(s.layout().ownerOf(key));
    }
    return new Anomaly(
        NAME,
        "write-outside-its-shard",
        key,
        OpText.full(op)
            + " was acknowledged by "
            + op.node()
            + " of shard "
            + shard
            + ", but no map in force while it ran gave "
            + key
            + " to "
            + shard
            + ": "
            + owners
            + ".",
        List.of(op));
  }
}
