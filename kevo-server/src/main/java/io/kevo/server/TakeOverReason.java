package io.kevo.server;

import io.kevo.coordination.PrimaryRecord;
import java.util.Optional;

/**
 * Why a node took the primary role, in the words its state, its log and the failover record give.
 * Stateless.
 */
final class TakeOverReason {
  private TakeOverReason() {}

  /**
   * @param byHand {@code kevo promote --force} asked for it
   * @param planned a switchover handed the role to this node
   * @param split this node's shard has just received its keys from a split
   * @param previous the group's last primary record, if any
   * @param self this node's member id
   * @param choice the candidate choice's reason
   */
  static String of(
      boolean byHand,
      boolean planned,
      boolean split,
      Optional<PrimaryRecord> previous,
      String self,
      String choice) {
    if (byHand) {
      return "kevo promote --force; " + choice;
    }
    if (planned) {
      return "switchover requested; " + choice;
    }
    if (previous.isEmpty()) {
      return split
          ? "first election, after the split that gave this shard its keys"
          : "first election";
    }
    String from = previous.get().id();
    return (from.equals(self) ? "re-elected after its session ended" : "primary " + from + " gone")
        + "; "
        + choice;
  }
}
