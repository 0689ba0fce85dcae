package io.kevo.coordination;

import java.util.Objects;

/**
 * The cluster's {@code failover} znode: the last time the primary role moved on its own or by a
 * switchover. Persistent. Immutable.
 *
 * @param atMillis when the new primary took its term, milliseconds since the Unix epoch (its clock)
 * @param from the member id of the previous primary, or {@code ""} if none was known
 * @param to the member id of the new primary
 * @param epoch the new term's epoch
 * @param reason why, in words: {@code "primary n1's session ended"}, {@code "switchover"}, ...
 */
public record FailoverRecord(long atMillis, String from, String to, long epoch, String reason) {

  /** Checks the fields. */
  public FailoverRecord {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    if (epoch < 1) {
      throw new IllegalArgumentException("a failover needs an epoch >= 1, got " + epoch);
    }
  }
}
