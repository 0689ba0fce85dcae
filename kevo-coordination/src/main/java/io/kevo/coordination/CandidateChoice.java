package io.kevo.coordination;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which member becomes primary when the cluster has none: the rule every node computes alike from
 * the same inputs, so that only the winner asks for leadership.
 *
 * <p>Candidates are the live members that are not primaries and not marked {@code noPromote}. They
 * rank by how up to date their logs are, term first, as Raft compares logs: the higher {@link
 * MemberInfo#lastEntryEpoch()} wins, then the higher {@link MemberInfo#durableSequence()}, then the
 * smaller id (a stable order for ties). The best candidate is chosen only if it lags the last
 * primary's record ({@link PrimaryRecord#sequence()}, what that primary had confirmed) by at most
 * {@code maxLag} entries; entries it holds past the record's term start but from an older term do
 * not count, since they are not the record's. Otherwise nobody is chosen and the reason says why:
 * availability never silently beats durability.
 *
 * <p>Why this loses no acknowledged write at {@code replica:1} with {@code maxLag} 0: every such
 * write is durable on some replica before it is acknowledged, logs are prefixes, and the winner's
 * log is at least as up to date as any live replica's.
 */
public final class CandidateChoice {
  /** Best first: higher last-entry epoch, higher durable sequence, smaller id. */
  public static final Comparator<MemberInfo> RANK =
      Comparator.comparingLong(MemberInfo::lastEntryEpoch)
          .thenComparingLong(MemberInfo::durableSequence)
          .reversed()
          .thenComparing(MemberInfo::id);

  private CandidateChoice() {}

  /**
   * The outcome.
   *
   * @param winner the member to promote, empty if none qualifies
   * @param reason why the winner, or why nobody (for status and the log)
   */
  public record Choice(Optional<MemberInfo> winner, String reason) {
    public Choice {
      Objects.requireNonNull(winner, "winner");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Chooses among {@code members}.
   *
   * @param last the last primary's record, empty in a cluster that never had one
   * @param maxLag the most entries the winner may lack of what {@code last} had confirmed
   */
  public static Choice choose(List<MemberInfo> members, Optional<PrimaryRecord> last, long maxLag) {
    return choose(members, last, maxLag, Optional.empty());
  }

  /**
   * Chooses among {@code members}, preferring {@code preferred} (a switchover's target): it wins if
   * it is a candidate within {@code maxLag} of {@code last}, whatever the others hold; otherwise
   * the usual rule applies.
   */
  public static Choice choose(
      List<MemberInfo> members,
      Optional<PrimaryRecord> last,
      long maxLag,
      Optional<String> preferred) {
    if (preferred.isPresent()) {
      for (MemberInfo m : members) {
        if (m.id().equals(preferred.get())
            && !m.isPrimary()
            && !m.noPromote()
            && last.map(r -> lag(m, r) <= maxLag).orElse(true)) {
          return new Choice(Optional.of(m), describe(m) + " is the switchover's target");
        }
      }
    }
    if (maxLag < 0) {
      throw new IllegalArgumentException("maxLag must not be negative: " + maxLag);
    }
    List<MemberInfo> candidates = new ArrayList<>();
    for (MemberInfo m : members) {
      if (!m.isPrimary() && !m.noPromote()) {
        candidates.add(m);
      }
    }
    if (candidates.isEmpty()) {
      return new Choice(
          Optional.empty(),
          members.isEmpty()
              ? "no member is registered"
              : "no member may be promoted (" + members.size() + " registered, none eligible)");
    }
    candidates.sort(RANK);
    MemberInfo best = candidates.get(0);
    if (last.isEmpty()) {
      return new Choice(Optional.of(best), describe(best) + " is the most up to date");
    }
    long lag = lag(best, last.get());
    if (lag > maxLag) {
      return new Choice(
          Optional.empty(),
          "no replica qualifies: the most up to date, "
              + describe(best)
              + ", lacks "
              + lag
              + " entries of the "
              + last.get().sequence()
              + " primary "
              + last.get().id()
              + " confirmed in epoch "
              + last.get().epoch()
              + " (--failover-max-lag "
              + maxLag
              + ")");
    }
    return new Choice(
        Optional.of(best),
        describe(best)
            + " is the most up to date"
            + (lag > 0 ? " (lags " + lag + " entries)" : ""));
  }

  /** Entries of what {@code last} confirmed that {@code member} does not hold. */
  static long lag(MemberInfo member, PrimaryRecord last) {
    long held = member.durableSequence();
    if (member.lastEntryEpoch() < last.epoch()) {
      // Its entries from termStart on were written in older terms: not the last primary's.
      held = Math.min(held, last.termStart() - 1);
    }
    return Math.max(0, last.sequence() - held);
  }

  private static String describe(MemberInfo m) {
    return m.id()
        + " (epoch "
        + m.lastEntryEpoch()
        + ", durable sequence "
        + m.durableSequence()
        + ")";
  }
}
