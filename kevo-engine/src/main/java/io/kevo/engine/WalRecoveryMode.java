package io.kevo.engine;

/**
 * What recovery does with a checksum failure or malformed record that is <em>not</em> a torn tail.
 *
 * <p>A torn tail (the final record of the last segment incomplete or failing its checksum with
 * nothing but zeros or end-of-file after it) is always truncated and reported in {@link
 * DbStats#walTornBytesTruncated()}: it can only be a write that was never acknowledged as durable.
 */
public enum WalRecoveryMode {
  /** Refuse to open and name the segment and offset; nothing is modified. The default. */
  STOP_ON_CORRUPTION,
  /**
   * Open with everything before the corrupt record and discard the rest of the log from that point
   * (later segments included). Loses data that may have been acknowledged; an explicit choice.
   */
  TRUNCATE_ON_CORRUPTION
}
