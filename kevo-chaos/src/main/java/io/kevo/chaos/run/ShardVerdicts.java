package io.kevo.chaos.run;

import io.kevo.chaos.check.Anomaly;
import io.kevo.chaos.check.CheckOptions;
import io.kevo.chaos.check.CheckResult;
import io.kevo.chaos.check.HistoryChecker;
import io.kevo.chaos.check.LinearizabilityChecker;
import io.kevo.chaos.check.LostWriteChecker;
import io.kevo.chaos.check.ShardOwnershipChecker;
import io.kevo.chaos.check.Status;
import io.kevo.chaos.check.Verdict;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.NodeState;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.ShardLayout;
import io.kevo.coordination.ShardRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdict of a sharded run: one per shard, and one of the merged history.
 *
 * <ul>
 *   <li><b>Per shard</b>: every checker of an unsharded run ({@link HistoryChecker}, then what the
 *       acknowledgement level allows, {@link AckPolicy}) on the shard's part of the history ({@link
 *       ShardLayout#part}): the operations on the keys the <em>final</em> map gives it, projected
 *       onto those keys, and its own nodes' final states. Grouping by the final map's owner rather
 *       than by the node an operation went to keeps a key that a split moved in one part, with its
 *       whole history (on the source shard before the split, on the new shard after it); its
 *       sequences still compare there, because the new shard's log continues the source's.
 *   <li><b>Merged</b>: the whole history at once: linearizability of the operations sent to the
 *       primaries, no acknowledged write lost against the shard primaries' final contents taken
 *       together, and {@link ShardOwnershipChecker} (every acknowledged write taken by its key's
 *       shard), the one property only the merged history shows. Replica reads and convergence are
 *       judged per shard only: sequences of different shards do not compare, and different shards
 *       hold different keys. The first two checkers work per key, so they find what the shards'
 *       parts found; merged, they also make sure no operation fell between the parts.
 * </ul>
 *
 * Each is one result of the verdict, named {@code shard s1}... and {@code merged}: its status is
 * the worst of its checkers', its summary lists theirs, its details hold each checker's status and
 * summary (under the checker's name) and details (under {@code checker.detail}).
 */
final class ShardVerdicts {
  static final String MERGED = "merged";

  private ShardVerdicts() {}

  static Verdict judge(String ack, History history, List<ShardLayout.Seen> maps) {
    CheckOptions checks = CheckOptions.DEFAULT;
    ShardLayout last = maps.get(maps.size() - 1).layout();
    List<CheckResult> results = new ArrayList<>();
    for (ShardRange range : last.ranges()) {
      History part = last.part(history, range.id());
      Verdict v = AckPolicy.apply(ack, new HistoryChecker(checks).check(part), part, checks);
      results.add(
          fold(
              "shard " + range.id(),
              ShardLayout.text(range) + ", " + count(part.ops().size()) + " ops",
              v.results(),
              part.ops().size(),
              checks));
    }
    results.add(merged(ack, history, last, maps, checks));
    results.add(NodeFaults.check(history));
    Verdict v = Verdict.of(history.ops().size(), results);
    // The one line names each part: its summary alone starts with the range, not the shard.
    StringBuilder line =
        new StringBuilder(v.status().name())
            .append(": ")
            .append(count(history.ops().size()))
            .append(" ops");
    for (CheckResult r : results) {
      line.append("; ")
          .append(r.checker().equals(NodeFaults.NAME) ? "" : r.checker() + " ")
          .append(r.summary());
    }
    return new Verdict(v.status(), line.toString(), v.ops(), v.results());
  }

  private static CheckResult merged(
      String ack,
      History history,
      ShardLayout last,
      List<ShardLayout.Seen> maps,
      CheckOptions checks) {
    List<CheckResult> results = new ArrayList<>();
    String scope = count(history.ops().size()) + " ops";
    if ("async".equals(ack)) {
      // The async policy finds losses by one group's sequences and epochs; merged, shards' numbers
      // would mix. Each shard's part applied it; here only what needs no sequence is judged.
      scope += " (linearizability and lost writes judged per shard at async)";
    } else {
      List<Op> primary =
          history.ops().stream().filter(o -> o.target() == Op.Target.PRIMARY).toList();
      results.add(new LinearizabilityChecker(checks).check(primary, "on the shards' primaries"));
      results.add(new LostWriteChecker(checks).check(history.ops(), primaries(history, last)));
    }
    results.add(new ShardOwnershipChecker(checks).check(history.ops(), maps));
    return fold(MERGED, scope, results, history.ops().size(), checks);
  }

  /**
   * The shard primaries' final contents together, as one primary's; null (unknown) unless every
   * shard of the final map has exactly one node that ended as its primary.
   */
  static NodeState primaries(History history, ShardLayout last) {
    Map<String, String> data = new TreeMap<>();
    long sequence = 0;
    for (String shard : last.shards()) {
      List<NodeState> primaries =
          history.finalStates().stream()
              .filter(s -> shard.equals(ShardLayout.shardOfNode(s.node())))
              .filter(s -> s.role().equalsIgnoreCase("primary"))
              .toList();
      if (primaries.size() != 1) {
        return null;
      }
      data.putAll(primaries.get(0).data());
      sequence = Math.max(sequence, primaries.get(0).lastSequence());
    }
    return NodeState.of("primaries", "primary", sequence, data);
  }

  /** {@code 1,234}, as the checkers count. */
  private static String count(long n) {
    return String.format(java.util.Locale.ROOT, "%,d", n);
  }

  /**
   * Checkers' results as one, named {@code name}: the worst status, a summary of {@code scope} and
   * every checker's summary, every detail under its checker's name.
   */
  static CheckResult fold(
      String name, String scope, List<CheckResult> results, long ops, CheckOptions checks) {
    Status status = Status.VALID;
    long count = 0;
    List<Anomaly> anomalies = new ArrayList<>();
    TreeMap<String, String> details = new TreeMap<>();
    StringBuilder summary = new StringBuilder(scope).append(':');
    for (CheckResult r : results) {
      status = status.and(r.status());
      count += r.anomalyCount();
      for (Anomaly a : r.anomalies()) {
        if (anomalies.size() < checks.maxAnomalies()) {
          anomalies.add(a);
        }
      }
      details.put(r.checker(), r.status() + ": " + r.summary());
      r.details().forEach((k, v) -> details.put(r.checker() + "." + k, v));
      summary.append(summary.charAt(summary.length() - 1) == ':' ? " " : ", ").append(r.summary());
    }
    return new CheckResult(name, status, ops, count, anomalies, summary.toString(), details);
  }
}
