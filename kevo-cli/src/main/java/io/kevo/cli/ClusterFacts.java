package io.kevo.cli;

import io.kevo.coordination.CandidateChoice;
import io.kevo.coordination.ClusterView;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.PrimaryRecord;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code kevo status --coordinator} derives from a {@link ClusterView}, alike for the text and
 * the JSON: each member's lag behind the primary, and in words why there is no primary. Stateless
 * and thread-safe.
 */
final class ClusterFacts {
  private ClusterFacts() {}

  /**
   * How many entries {@code member} lacks of what the primary has made durable: the primary's
   * durable sequence less the member's, at least 0 (each reports on its own schedule, so a replica
   * may briefly report more than its primary). Empty while the cluster has no primary.
   */
  static OptionalLong lag(ClusterView view, MemberInfo member) {
    Optional<MemberInfo> primary = view.primaryMember();
    if (primary.isEmpty()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Math.max(0, primary.get().durableSequence() - member.durableSequence()));
  }

  /**
   * Why the cluster has no primary, starting {@code "no primary: "}; empty if a member reports the
   * primary role. Names the last primary and the candidate a failover would pick (ranked as the
   * nodes rank themselves, {@link CandidateChoice}, without their lag limit, which status does not
   * know).
   */
  static Optional<String> noPrimary(ClusterView view) {
    if (view.primaryMember().isPresent()) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder("no primary: ");
    if (view.members().isEmpty()) {
      sb.append("no member is registered");
      if (view.epoch() == 0 && view.primary().isEmpty()) {
        sb.append(" and no term was ever claimed (is the cluster name right?)");
      }
    } else {
      int n = view.members().size();
      sb.append(n == 1 ? "the one live member does not" : "none of the " + n + " live members")
          .append(n == 1 ? " report" : " reports")
          .append(" the primary role");
    }
    view.primary().ifPresent(last -> sb.append("; the last primary was ").append(last(view, last)));
    view.leader()
        .ifPresent(
            id ->
                sb.append("; ").append(id).append(" holds the leadership, its promotion pending"));
    if (!view.members().isEmpty()) {
      CandidateChoice.Choice choice =
          CandidateChoice.choose(view.members(), view.primary(), Long.MAX_VALUE);
      sb.append("; ")
          .append(choice.winner().isPresent() ? "candidate: " : "")
          .append(choice.reason());
    }
    return Optional.of(sb.toString());
  }

  private static String last(ClusterView view, PrimaryRecord last) {
    String now =
        view.member(last.id())
            .map(m -> "now registered as " + m.role())
            .orElse("no longer registered");
    return last.id() + " (" + last.clientAddress() + ", epoch " + last.epoch() + "), " + now;
  }
}
