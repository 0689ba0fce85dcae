package io.kevo.chaos.run;

import io.kevo.chaos.check.Anomaly;
import io.kevo.chaos.check.CheckResult;
import io.kevo.chaos.check.LinearizabilityChecker;
import io.kevo.chaos.check.LostWriteChecker;
import io.kevo.chaos.check.Status;
import io.kevo.chaos.check.Verdict;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.Op;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * What an acknowledgement level promises, applied to a verdict. At {@code replica:N} and {@code
 * all} nothing acknowledged may be lost, so the checkers' verdict stands. At {@code async} the
 * documentation allows one loss: a write acknowledged by the primary alone is lost if the primary
 * dies before a replica has it and another node is promoted. So at {@code async} a lost write is
 * allowed when it was acknowledged before a failover began; and a linearizability anomaly on a key
 * that lost such a write is explained by it (reads after the failover see the older value). Every
 * other anomaly stands. The allowed ones stay visible in the result's details.
 */
final class AckPolicy {
  private AckPolicy() {}

  static Verdict apply(String ack, Verdict verdict, History history) {
    if (!"async".equals(ack)) {
      return verdict;
    }
    List<Long> failovers =
        history.faults().stream()
            .filter(f -> f.kind().equals("failover"))
            .map(Fault::startNanos)
            .toList();
    CheckResult lost = verdict.result(LostWriteChecker.NAME);
    Set<String> keysWithAllowedLoss = new HashSet<>();
    List<CheckResult> results = new ArrayList<>();
    for (CheckResult r : verdict.results()) {
      if (r == lost && lost != null) {
        results.add(allowLost(lost, failovers, keysWithAllowedLoss));
      }
    }
    for (CheckResult r : verdict.results()) {
      if (r == lost) {
        continue;
      }
      results.add(
          r.checker().equals(LinearizabilityChecker.NAME)
              ? explainByLoss(r, keysWithAllowedLoss)
              : r);
    }
    return Verdict.of(verdict.ops(), order(verdict, results));
  }

  private static List<CheckResult> order(Verdict original, List<CheckResult> changed) {
    List<CheckResult> out = new ArrayList<>();
    for (CheckResult r : original.results()) {
      for (CheckResult c : changed) {
        if (c.checker().equals(r.checker())) {
          out.add(c);
        }
      }
    }
    return out;
  }

  private static CheckResult allowLost(CheckResult r, List<Long> failovers, Set<String> keys) {
    List<Anomaly> kept = new ArrayList<>();
    long allowed = 0;
    for (Anomaly a : r.anomalies()) {
      Op acked = a.ops().isEmpty() ? null : a.ops().get(0);
      boolean beforeFailover =
          acked != null && failovers.stream().anyMatch(start -> acked.completeNanos() <= start);
      if (beforeFailover) {
        allowed++;
        keys.add(a.key());
      } else {
        kept.add(a);
      }
    }
    return rebuild(r, kept, r.anomalyCount() - allowed, "allowed_by_async", allowed);
  }

  private static CheckResult explainByLoss(CheckResult r, Set<String> keys) {
    List<Anomaly> kept = new ArrayList<>();
    long explained = 0;
    for (Anomaly a : r.anomalies()) {
      if (keys.contains(a.key())) {
        explained++;
      } else {
        kept.add(a);
      }
    }
    return rebuild(r, kept, r.anomalyCount() - explained, "explained_by_async_loss", explained);
  }

  private static CheckResult rebuild(
      CheckResult r, List<Anomaly> kept, long count, String detail, long moved) {
    if (moved == 0) {
      return r;
    }
    TreeMap<String, String> details = new TreeMap<>(r.details());
    details.put(detail, Long.toString(moved));
    Status status =
        count > 0 ? r.status() : (r.status() == Status.INVALID ? Status.VALID : r.status());
    String summary = r.summary() + " (" + moved + " " + detail.replace('_', ' ') + ")";
    return new CheckResult(r.checker(), status, r.opsChecked(), count, kept, summary, details);
  }
}
