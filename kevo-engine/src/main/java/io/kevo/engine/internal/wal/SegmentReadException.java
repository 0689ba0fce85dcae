package io.kevo.engine.internal.wal;

/**
 * A physical-record problem met while reading a segment. Carries the offsets recovery needs to tell
 * a torn tail from corruption in the middle of the log.
 */
public final class SegmentReadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What was wrong. */
  public enum Problem {
    /** The record (or the logical record's remaining fragments) runs past the readable end. */
    INCOMPLETE,
    /** The length field is 0 or above 32 KiB. */
    BAD_LENGTH,
    /** The type field is not FULL/FIRST/MIDDLE/LAST. */
    BAD_TYPE,
    /** The data does not match its CRC. */
    BAD_CRC,
    /** Fragments out of order (MIDDLE without FIRST, FULL inside a fragmented record, ...). */
    BAD_FRAGMENTS
  }

  private final Problem problem;
  private final long logicalStart;
  private final long physicalStart;
  private final long physicalEnd;

  SegmentReadException(
      Problem problem, long logicalStart, long physicalStart, long physicalEnd, String message) {
    super(message);
    this.problem = problem;
    this.logicalStart = logicalStart;
    this.physicalStart = physicalStart;
    this.physicalEnd = physicalEnd;
  }

  public Problem problem() {
    return problem;
  }

  /** Offset of the first fragment of the logical record being read: where to truncate. */
  public long logicalStart() {
    return logicalStart;
  }

  /** Offset of the physical record found bad. */
  public long physicalStart() {
    return physicalStart;
  }

  /** Offset just past the bad physical record when its length was plausible, else -1. */
  public long physicalEnd() {
    return physicalEnd;
  }
}
