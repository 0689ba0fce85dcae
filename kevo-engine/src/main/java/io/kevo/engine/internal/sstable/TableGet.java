package io.kevo.engine.internal.sstable;

/**
 * What one table says about a key at a read sequence: the newest version at or below it is a put
 * ({@link Status#FOUND}, with value and sequence), a tombstone ({@link Status#DELETED}, with
 * sequence), or the table has no such version ({@link Status#ABSENT}, and the caller looks in older
 * tables). Immutable.
 */
public final class TableGet {
  /** The three possible answers. */
  public enum Status {
    FOUND,
    DELETED,
    ABSENT
  }

  public static final TableGet ABSENT = new TableGet(Status.ABSENT, -1, null);

  private final Status status;
  private final long sequence;
  private final byte[] value;

  private TableGet(Status status, long sequence, byte[] value) {
    this.status = status;
    this.sequence = sequence;
    this.value = value;
  }

  static TableGet found(long sequence, byte[] value) {
    return new TableGet(Status.FOUND, sequence, value);
  }

  static TableGet deleted(long sequence) {
    return new TableGet(Status.DELETED, sequence, null);
  }

  public Status status() {
    return status;
  }

  /** The version's sequence; -1 when {@link Status#ABSENT}. */
  public long sequence() {
    return sequence;
  }

  /** The value when {@link Status#FOUND} (owned by the caller), otherwise {@code null}. */
  public byte[] value() {
    return value;
  }

  @Override
  public String toString() {
    return status == Status.ABSENT ? "ABSENT" : status + "@" + sequence;
  }
}
