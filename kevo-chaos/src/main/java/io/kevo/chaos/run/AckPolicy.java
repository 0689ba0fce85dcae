package io.kevo.chaos.run;

import io.kevo.chaos.check.Anomaly;
import io.kevo.chaos.check.CheckOptions;
import io.kevo.chaos.check.CheckResult;
import io.kevo.chaos.check.HistoryChecker;
import io.kevo.chaos.check.Status;
import io.kevo.chaos.check.Verdict;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an acknowledgement level promises, applied to a history. At {@code replica:N} and {@code
 * all} nothing acknowledged may be lost: the checkers' verdict on the whole history stands.
 *
 * <p>At {@code async} the documentation allows one loss: a write acknowledged by the primary alone
 * is lost if the primary dies before a replica has it and another node is promoted. Such a write
 * shows in the history by its sequence: a later epoch (a promoted primary) wrote at or below it, so
 * the new term began before it and it was discarded. The policy finds these writes ({@link
 * #lostToFailover}), removes them, the reads that saw their values, and the reads of the discarded
 * branch (a read reports the sequence and epoch it read at: a later epoch began at or below it, so
 * it may have seen writes of unknown outcome that the failover took back; on the old primary, or on
 * a replica not yet repointed), and checks the rest again: what remains must be a valid history. So
 * the verdict says exactly which losses async allowed, and nothing else may be lost or stale.
 */
final class AckPolicy {
  static final String NAME = "async-losses";

  /** What {@code kevo promote} prints of the new epoch, quoted in a failover's detail. */
  private static final Pattern PROMOTED =
      Pattern.compile("epoch (\\d+) \\(term \\S+, from sequence (\\d+)\\)");

  private AckPolicy() {}

  static Verdict apply(String ack, Verdict checked, History history, CheckOptions options) {
    if (!"async".equals(ack)) {
      return checked;
    }
    TreeMap<Long, Long> epochStarts = epochStarts(history.ops(), history.faults());
    Set<Long> lost = lostToFailover(history.ops(), epochStarts);
    Set<Long> readsOfLostBranch = readsOfDiscardedBranch(history.ops(), epochStarts);
    if (lost.isEmpty() && readsOfLostBranch.isEmpty()) {
      return checked;
    }
    Set<String> lostValues = new HashSet<>();
    List<Op> lostOps = new ArrayList<>();
    for (Op op : history.ops()) {
      if (lost.contains(op.id())) {
        lostOps.add(op);
        for (Mop m : op.mops()) {
          if (m.kind() == Mop.Kind.PUT) {
            lostValues.add(m.value());
          }
        }
      }
    }
    List<Op> rest = new ArrayList<>();
    int readsOfLost = 0;
    for (Op op : history.ops()) {
      if (lost.contains(op.id())) {
        continue;
      }
      if (op.outcome() == Outcome.OK
          && (readsAny(op, lostValues) || readsOfLostBranch.contains(op.id()))) {
        readsOfLost++;
        continue;
      }
      rest.add(op);
    }
    Verdict again =
        new HistoryChecker(options)
            .check(new History(rest, history.faults(), history.finalStates()));
    List<Anomaly> listed = new ArrayList<>();
    for (Op op : lostOps) {
      if (listed.size() >= options.maxAnomalies()) {
        break;
      }
      listed.add(
          new Anomaly(
              NAME,
              "lost-to-failover",
              op.mops().get(0).key(),
              "acknowledged at async in epoch "
                  + op.epoch()
                  + " with sequence "
                  + op.sequence()
                  + ", discarded when a later epoch began at or below that sequence",
              List.of(op)));
    }
    CheckResult allowed =
        new CheckResult(
            NAME,
            Status.VALID,
            lostOps.size(),
            lostOps.size(),
            listed,
            lostOps.size()
                + " writes acknowledged at async lost to failovers (allowed; "
                + readsOfLost
                + " reads of them or of the discarded branch set aside)",
            new TreeMap<>(Map.of("lost", Integer.toString(lostOps.size()))));
    List<CheckResult> results = new ArrayList<>(again.results());
    results.add(allowed);
    return Verdict.of(history.ops().size(), results);
  }

  private static boolean readsAny(Op op, Set<String> values) {
    for (Mop m : op.mops()) {
      if (m.kind() == Mop.Kind.READ && m.value() != null && values.contains(m.value())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The acknowledged writes whose sequences a later epoch reused: the writes a failover discarded.
   * A later epoch's first sequence is what {@code kevo promote} said (the failover fault's detail
   * quotes it), or else the lowest its acknowledged writes used. A write's sequences run from its
   * last ({@link Op#sequence()}) down by its number of writes.
   */
  static Set<Long> lostToFailover(List<Op> ops, List<Fault> faults) {
    return lostToFailover(ops, epochStarts(ops, faults));
  }

  /**
   * Each epoch's first sequence, as far as the history tells: what {@code kevo promote} said (the
   * failover fault's detail quotes it), or else the lowest its acknowledged writes used.
   */
  static TreeMap<Long, Long> epochStarts(List<Op> ops, List<Fault> faults) {
    TreeMap<Long, Long> starts = new TreeMap<>();
    for (Fault f : faults) {
      Matcher m = PROMOTED.matcher(f.detail());
      if (f.kind().equals("failover") && m.find()) {
        starts.merge(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Math::min);
      }
    }
    for (Op op : ops) {
      if (isAckedWrite(op)) {
        starts.merge(op.epoch(), firstSequence(op), Math::min);
      }
    }
    return starts;
  }

  private static Set<Long> lostToFailover(List<Op> ops, TreeMap<Long, Long> epochStarts) {
    Set<Long> lost = new HashSet<>();
    for (Op op : ops) {
      if (isAckedWrite(op) && discarded(op.epoch(), op.sequence(), epochStarts)) {
        lost.add(op.id());
      }
    }
    return lost;
  }

  /**
   * The reads that read at a sequence (reported with their epoch) that a later epoch began at or
   * below: they read the branch the failover discarded, and may have seen its writes, acknowledged
   * or not. On the old primary before it died; on a replica that still followed it (its sequence
   * there also meets a read-your-writes token of the new epoch by number alone, though the token's
   * write is not in its branch).
   */
  static Set<Long> readsOfDiscardedBranch(List<Op> ops, TreeMap<Long, Long> epochStarts) {
    Set<Long> out = new HashSet<>();
    for (Op op : ops) {
      if (op.outcome() == Outcome.OK
          && op.readOnly()
          && op.epoch() > 0
          && op.sequence() > 0
          && discarded(op.epoch(), op.sequence(), epochStarts)) {
        out.add(op.id());
      }
    }
    return out;
  }

  /** Whether {@code sequence} of {@code epoch} lies where a later epoch began at or below it. */
  private static boolean discarded(long epoch, long sequence, TreeMap<Long, Long> epochStarts) {
    for (long start : epochStarts.tailMap(epoch, false).values()) {
      if (start <= sequence) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAckedWrite(Op op) {
    return op.outcome() == Outcome.OK && op.writes() && op.sequence() > 0 && op.epoch() > 0;
  }

  private static long firstSequence(Op op) {
    long writes = op.mops().stream().filter(Mop::isWrite).count();
    return op.sequence() - writes + 1;
  }
}
