package io.kevo.engine.internal;

/**
 * The last sequence whose write is in the memtable and may be read: a group's last sequence is
 * published after the whole group is applied, so a batch becomes visible all at once and never
 * before its WAL record is written.
 *
 * <p>Written only by the write leader ({@link GroupCommit}, one thread at a time, ordered by the
 * {@link WriteQueue}'s lock); read by any thread (a volatile).
 */
final class VisibleSequence {
  private volatile long sequence;

  VisibleSequence(long initial) {
    this.sequence = initial;
  }

  long get() {
    return sequence;
  }

  /** Write leader only. */
  void publish(long last) {
    sequence = last;
  }
}
