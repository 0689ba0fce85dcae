package io.kevo.chaos.check;

import io.kevo.chaos.check.WriteIndex.KeyWrite;
import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides which acknowledged writes' sequences can be trusted to order them, and reports the ones
 * that cannot.
 *
 * <p>An acknowledged write occupies the sequences {@code [sequence - writes + 1, sequence]} (a
 * transaction's batch takes one per write). Two kinds of evidence that sequences lie, each itself a
 * symptom of lost writes (a failover promoted a node that lacked acknowledged writes, and the new
 * primary handed their sequences out again):
 *
 * <ul>
 *   <li>{@code sequence-reused}: two acknowledged writes claim a common sequence;
 *   <li>{@code sequence-regression}: a write acknowledged before another was invoked carries a
 *       sequence at or above the later one's (epoch first, when every write reports one).
 * </ul>
 *
 * The writes involved (for a regression, the earlier ones) are untrusted: checks must not order
 * anything by their sequences, so a reused sequence cannot produce a false staleness report.
 * Immutable once built.
 */
final class SequenceAudit {
  /** An ordering key: epoch (0 when epochs are not used) then sequence. */
  record Position(long epoch, long sequence) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      int c = Long.compare(epoch, o.epoch);
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
  }

  private final Set<Long> untrusted = new HashSet<>();
  private final boolean useEpochs;

  private SequenceAudit(boolean useEpochs) {
    this.useEpochs = useEpochs;
  }

  /** Audits the acknowledged writes of {@code ops}, reporting to {@code log} as {@code checker}. */
  static SequenceAudit of(List<Op> ops, AnomalyLog log, String checker) {
    List<Op> writes =
        ops.stream()
            .filter(o -> o.outcome() == Outcome.OK && o.sequence() > 0 && o.writes())
            .toList();
    SequenceAudit audit = new SequenceAudit(writes.stream().allMatch(o -> o.epoch() > 0));
    audit.findReuse(writes, log, checker);
    audit.findRegressions(writes, log, checker);
    return audit;
  }

  /** Whether {@code w} is acknowledged with a sequence that may be used to order it. */
  boolean trusted(KeyWrite w) {
    return w.ok() && w.sequence() > 0 && !untrusted.contains(w.op().id());
  }

  /** Where a trusted write stands in commit order. */
  Position position(KeyWrite w) {
    return new Position(useEpochs ? w.op().epoch() : 0, w.sequence());
  }

  private static long first(Op o) {
    return o.sequence() - o.mops().stream().filter(Mop::isWrite).count() + 1;
  }

  private void findReuse(List<Op> writes, AnomalyLog log, String checker) {
    List<Op> byFirst = new ArrayList<>(writes);
    byFirst.sort(Comparator.comparingLong(SequenceAudit::first).thenComparingLong(Op::id));
    List<Op> cluster = new ArrayList<>();
    long end = Long.MIN_VALUE;
    for (Op o : byFirst) {
      if (first(o) > end) {
        report(cluster, log, checker);
        cluster.clear();
      }
      cluster.add(o);
      end = Math.max(end, o.sequence());
    }
    report(cluster, log, checker);
  }

  private void report(List<Op> cluster, AnomalyLog log, String checker) {
    if (cluster.size() < 2) {
      return;
    }
    cluster.forEach(o -> untrusted.add(o.id()));
    StringBuilder text = new StringBuilder("Acknowledged writes claim the same sequences: ");
    for (int i = 0; i < Math.min(4, cluster.size()); i++) {
      Op o = cluster.get(i);
      text.append(i == 0 ? "" : "; ")
          .append(OpText.brief(o))
          .append(" at sequence ")
          .append(o.sequence())
          .append(" epoch ")
          .append(o.epoch());
    }
    text.append(cluster.size() > 4 ? "; and " + (cluster.size() - 4) + " more" : "")
        .append(". A sequence is reused when a node that lacked acknowledged writes became")
        .append(" primary and handed their sequences out again: the earlier writes were lost.");
    log.add(
        new Anomaly(
            checker,
            "sequence-reused",
            null,
            text.toString(),
            cluster.stream().limit(10).toList()));
  }

  private Position lastPosition(Op o) {
    return new Position(useEpochs ? o.epoch() : 0, o.sequence());
  }

  private void findRegressions(List<Op> writes, AnomalyLog log, String checker) {
    List<Op> trusted = writes.stream().filter(o -> !untrusted.contains(o.id())).toList();
    List<Op> byInvoke = new ArrayList<>(trusted);
    byInvoke.sort(Comparator.comparingLong(Op::invokeNanos));
    List<Op> byComplete = new ArrayList<>(trusted);
    byComplete.sort(Comparator.comparingLong(Op::completeNanos));
    TreeMap<Position, Op> done = new TreeMap<>(); // completed before the current invocation
    int c = 0;
    for (Op later : byInvoke) {
      while (c < byComplete.size() && byComplete.get(c).completeNanos() < later.invokeNanos()) {
        Op earlier = byComplete.get(c++);
        done.put(lastPosition(earlier), earlier);
      }
      Position from = new Position(useEpochs ? later.epoch() : 0, first(later));
      Map<Position, Op> above = done.tailMap(from, true);
      if (above.isEmpty()) {
        continue;
      }
      List<Op> earlier = new ArrayList<>(above.values());
      above.clear();
      earlier.forEach(o -> untrusted.add(o.id()));
      Op e = earlier.get(earlier.size() - 1);
      List<Op> shown = new ArrayList<>();
      shown.add(later);
      earlier.stream().limit(9).forEach(shown::add);
      log.add(
          new Anomaly(
              checker,
              "sequence-regression",
              null,
              OpText.brief(e)
                  + " was acknowledged at "
                  + OpText.time(e.completeNanos())
                  + " with sequence "
                  + e.sequence()
                  + " (epoch "
                  + e.epoch()
                  + "), yet "
                  + OpText.brief(later)
                  + ", invoked later at "
                  + OpText.time(later.invokeNanos())
                  + ", was acknowledged with sequence "
                  + later.sequence()
                  + " (epoch "
                  + later.epoch()
                  + "): sequences went back, so "
                  + (earlier.size() == 1
                      ? "the earlier write was"
                      : earlier.size() + " earlier writes were")
                  + " lost or misnumbered.",
              shown));
    }
  }
}
