package io.kevo.bench.failover;

import io.kevo.bench.report.Figures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One kill round's figures: what the driver saw ({@link RoundObservation}), the write gap from the
 * writers' acknowledgements ({@link AckTimeline.Gap}, null if writes never came back), and when the
 * new primary logged its bid and its takeover (null if its log does not say). From them, where the
 * unavailability went. Milliseconds after the kill signal. Immutable.
 */
record RoundResult(RoundObservation seen, AckTimeline.Gap gap, Double bidMs, Double primaryMs) {

  /** The round's figures from the run's acknowledgements and the new primary's log events. */
  static RoundResult of(
      RoundObservation seen, AckTimeline timeline, List<NodeLog.Event> newPrimaryEvents) {
    AckTimeline.Gap gap = timeline.gap(seen.killNanos(), seen.oldEpoch()).orElse(null);
    return new RoundResult(
        seen,
        gap,
        sinceKill(seen, NodeLog.first(newPrimaryEvents, seen.killWallMillis(), NodeLog.BIDDING)),
        sinceKill(seen, NodeLog.first(newPrimaryEvents, seen.killWallMillis(), NodeLog.PRIMARY)));
  }

  private static Double sinceKill(RoundObservation seen, OptionalLong wallMillis) {
    return wallMillis.isPresent()
        ? (double) (wallMillis.getAsLong() - seen.killWallMillis())
        : null;
  }

  /** Write unavailability (last acknowledgement before the kill to the first after); or null. */
  Double unavailableMs() {
    return gap == null ? null : gap.unavailableMs();
  }

  /** From the kill to the first acknowledgement of the new primary; or null. */
  Double firstAckMs() {
    return gap == null ? null : gap.fromKillMs();
  }

  /**
   * Where the time from the kill to the first acknowledgement went, in order: {@code
   * session_expiry} (kill to the member entry gone), {@code grace_and_choice} (to the winner's bid:
   * the grace, the loop's tick, the candidate choice), {@code takeover} (to its "primary of epoch"
   * line: leadership, epoch claim, becoming primary), {@code client_rediscovery} (to the first
   * acknowledgement). A phase is null when one of its ends is unknown.
   */
  Map<String, Double> phases() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("session_expiry", seen.sessionExpiredMs());
    m.put("grace_and_choice", minus(bidMs, seen.sessionExpiredMs()));
    m.put("takeover", minus(primaryMs, bidMs));
    m.put("client_rediscovery", minus(firstAckMs(), primaryMs));
    return m;
  }

  private static Double minus(Double a, Double b) {
    return a == null || b == null ? null : a - b;
  }

  /** The round in the JSON. */
  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("round", seen.round());
    m.put("killed", seen.killed());
    m.put("new_primary", seen.newPrimary());
    m.put("old_epoch", seen.oldEpoch());
    m.put("new_epoch", seen.newEpoch());
    m.put("unavailable_ms", Figures.roundOrNull(unavailableMs(), 1));
    m.put("kill_to_first_ack_ms", Figures.roundOrNull(firstAckMs(), 1));
    m.put("quiet_before_kill_ms", gap == null ? null : Figures.round(gap.quietBeforeKillMs(), 1));
    m.put("late_acks_of_killed_primary", gap == null ? null : gap.lateOldAcks());
    m.put("process_gone_ms", Figures.round(seen.goneMs(), 1));
    m.put("session_expired_ms", Figures.round(seen.sessionExpiredMs(), 1));
    m.put("bid_logged_ms", bidMs);
    m.put("primary_logged_ms", primaryMs);
    m.put("election_ms", Figures.round(seen.electedMs(), 1));
    Map<String, Double> phases = new LinkedHashMap<>();
    phases().forEach((k, v) -> phases.put(k, Figures.roundOrNull(v, 1)));
    m.put("phases_ms", phases);
    m.put("waited_for_min_interval_ms", Figures.round(seen.waitedForIntervalMs(), 0));
    m.put("rejoin_ms", Figures.round(seen.rejoinMs(), 0));
    return m;
  }
}
