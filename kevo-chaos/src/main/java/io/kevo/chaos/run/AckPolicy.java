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
 * #lostToFailover}), removes them and the reads that saw their values (true when they ran, on the
 * old primary), and checks the rest again: what remains must be a valid history. So the verdict
 * says exactly which losses async allowed, and nothing else may be lost or stale.
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
    Set<Long> lost = lostToFailover(history.ops(), history.faults());
    if (lost.isEmpty()) {
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
      if (op.outcome() == Outcome.OK && readsAny(op, lostValues)) {
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
                + " reads of them set aside)",
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
    TreeMap<Long, Long> lowestFirstByEpoch = new TreeMap<>();
    for (Fault f : faults) {
      Matcher m = PROMOTED.matcher(f.detail());
      if (f.kind().equals("failover") && m.find()) {
        lowestFirstByEpoch.merge(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Math::min);
      }
    }
    for (Op op : ops) {
      if (isAckedWrite(op)) {
        lowestFirstByEpoch.merge(op.epoch(), firstSequence(op), Math::min);
      }
    }
    Set<Long> lost = new HashSet<>();
    for (Op op : ops) {
      if (!isAckedWrite(op)) {
        continue;
      }
      for (Map.Entry<Long, Long> later : lowestFirstByEpoch.tailMap(op.epoch(), false).entrySet()) {
        if (later.getValue() <= op.sequence()) {
          lost.add(op.id());
          break;
        }
      }
    }
    return lost;
  }

  private static boolean isAckedWrite(Op op) {
    return op.outcome() == Outcome.OK && op.writes() && op.sequence() > 0 && op.epoch() > 0;
  }

  private static long firstSequence(Op op) {
    long writes = op.mops().stream().filter(Mop::isWrite).count();
    return op.sequence() - writes + 1;
  }
}
