package io.kevo.cli;

import io.kevo.cli.shell.Figures;
import io.kevo.cli.shell.Report;
import io.kevo.coordination.ClusterView;
import io.kevo.coordination.FailoverRecord;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.PrimaryRecord;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code kevo status --coordinator}'s text: the cluster (coordinator, primary, leader, epoch
 * ledger, primary record, last failover) as name-value rows, then the members as a table, e.g.
 *
 * <pre>
 * Cluster main on coordinator 127.0.0.1:2181
 *   primary         n2 at 127.0.0.1:50052, epoch 3
 *   leader          n2
 *   epoch ledger    3
 *   primary record  n2 at 127.0.0.1:50052, epoch 3 from sequence 901, confirmed 1042 at 2026-...Z
 *   last failover   2026-12-06T17:58:00.120Z: n1 -> n2, epoch 3 (primary n1's session ended)
 *
 * Members (2)
 *   id       address  role     epoch  last entry epoch  durable sequence  lag  no-promote
 *   n1  127.0.0.1:... replica      3                 3              1040    2          no
 * </pre>
 *
 * Times are ISO-8601 in UTC. Stateless and thread-safe.
 */
final class CoordinatorStatusText {
  private CoordinatorStatusText() {}

  /** The whole report, ending with a newline. */
  static String render(ClusterView view) {
    Report report =
        new Report()
            .section("Cluster " + view.cluster() + " on coordinator " + view.connectString());
    Optional<String> noPrimary = ClusterFacts.noPrimary(view);
    report.row(
        "primary",
        noPrimary.orElseGet(
            () -> {
              MemberInfo p = view.primaryMember().orElseThrow();
              return p.id() + " at " + p.clientAddress() + ", epoch " + p.epoch();
            }));
    report.row("leader", leader(view));
    report.row(
        "epoch ledger",
        view.epoch() == 0 ? "0 (no term claimed yet)" : Long.toString(view.epoch()));
    report.row("primary record", view.primary().map(CoordinatorStatusText::record).orElse("none"));
    report.row(
        "last failover", view.lastFailover().map(CoordinatorStatusText::failover).orElse("none"));

    report.table(
        "Members (" + view.members().size() + ")",
        "id",
        "address",
        "role",
        "epoch",
        "last entry epoch",
        "durable sequence",
        "lag",
        "no-promote");
    for (MemberInfo m : view.members()) {
      OptionalLong lag = ClusterFacts.lag(view, m);
      report.row(
          m.id(),
          m.clientAddress(),
          m.role(),
          Long.toString(m.epoch()),
          Long.toString(m.lastEntryEpoch()),
          Long.toString(m.durableSequence()),
          lag.isPresent() ? Long.toString(lag.getAsLong()) : Figures.NONE,
          m.noPromote() ? "yes" : "no");
    }
    return report.render();
  }

  /** Who holds the leadership latch, and whether that is the member reporting the primary role. */
  private static String leader(ClusterView view) {
    Optional<String> primary = view.primaryMember().map(MemberInfo::id);
    if (view.leader().isEmpty()) {
      return "none (no member holds the leadership)";
    }
    String leader = view.leader().get();
    if (primary.isPresent() && !primary.get().equals(leader)) {
      return leader + " (but " + primary.get() + " reports the primary role)";
    }
    return leader;
  }

  private static String record(PrimaryRecord r) {
    return r.id()
        + " at "
        + r.clientAddress()
        + ", epoch "
        + r.epoch()
        + " from sequence "
        + r.termStart()
        + ", confirmed "
        + r.sequence()
        + " at "
        + Instant.ofEpochMilli(r.updatedAtMillis());
  }

  private static String failover(FailoverRecord f) {
    return Instant.ofEpochMilli(f.atMillis())
        + ": "
        + (f.from().isEmpty() ? "(none)" : f.from())
        + " -> "
        + f.to()
        + ", epoch "
        + f.epoch()
        + " ("
        + f.reason()
        + ")";
  }
}
