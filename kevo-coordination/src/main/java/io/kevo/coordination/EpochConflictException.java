package io.kevo.coordination;

/**
 * {@link EpochLedger#claimNext(long)} lost: another node claimed an epoch first. Carries the epoch
 * the ledger holds now (the winner's), so the loser can follow it rather than retry blindly.
 */
public final class EpochConflictException extends CoordinationException {
  private static final long serialVersionUID = 1L;

  private final long seen;
  private final long current;

  EpochConflictException(long seen, long current) {
    super(
        "epoch claim lost: expected the ledger at "
            + seen
            + " but another node moved it to "
            + current);
    this.seen = seen;
    this.current = current;
  }

  /** The epoch the caller expected the ledger to hold. */
  public long seen() {
    return seen;
  }

  /** The epoch the ledger holds now: the winner's claim (or later). */
  public long current() {
    return current;
  }
}
