package io.kevo.engine.internal.wal;

import java.io.IOException;

/**
 * An append failed after its group was given sequence numbers: some, all or none of its bytes may
 * be in the active segment past its last complete record. Nothing of the group was announced to
 * listeners. The log takes no further append until {@link Wal#repair()} has cut those bytes off,
 * which is what makes it safe to give the same sequence numbers to other writes.
 */
public final class WalAppendException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long firstSequence;

  WalAppendException(long firstSequence, Throwable cause) {
    super("appending to the WAL at sequence " + firstSequence + " failed: " + cause, cause);
    this.firstSequence = firstSequence;
  }

  /** The sequence the failed group's first operation was given (it goes back to the counter). */
  public long firstSequence() {
    return firstSequence;
  }
}
