package io.kevo.bench.failover;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every acknowledgement of a run over all writers (in no particular order): when it arrived and the
 * epoch of the primary that committed it. Answers the one question of a kill round: how long were
 * writes unavailable. Immutable.
 *
 * <p>Epochs rather than the kill time tell the two sides apart: an answer the killed primary sent
 * just before it died may arrive a moment after the signal, and a put sent before the kill may be
 * retried by the client and answered by the new primary; the epoch says who committed it.
 */
final class AckTimeline {
  private final long[] times;
  private final long[] epochs;

  private AckTimeline(long[] times, long[] epochs) {
    this.times = times;
    this.epochs = epochs;
  }

  /** The acknowledgements at {@code times} (nanoTime), committed in {@code epochs}. */
  static AckTimeline of(long[] times, long[] epochs) {
    if (times.length != epochs.length) {
      throw new IllegalArgumentException("one epoch per time");
    }
    return new AckTimeline(times.clone(), epochs.clone());
  }

  /** Every acknowledgement the writers logged. */
  static AckTimeline merge(List<AckLog> logs) {
    int n = logs.stream().mapToInt(AckLog::size).sum();
    long[] t = new long[n];
    long[] e = new long[n];
    int k = 0;
    for (AckLog log : logs) {
      for (int i = 0; i < log.size(); i++) {
        t[k] = log.timeAt(i);
        e[k] = log.epochAt(i);
        k++;
      }
    }
    return new AckTimeline(t, e);
  }

  int size() {
    return times.length;
  }

  /**
   * The write gap of a round whose primary, leading epoch {@code oldEpoch}, was killed at {@code
   * killNanos}: from the last acknowledgement committed in that epoch or before to the first one
   * after the kill committed in a later epoch. Empty if either side has none (writes never flowed
   * before the kill, or never came back).
   */
  Optional<Gap> gap(long killNanos, long oldEpoch) {
    long lastBefore = Long.MIN_VALUE;
    long firstAfter = Long.MAX_VALUE;
    int lateOld = 0;
    for (int i = 0; i < times.length; i++) {
      if (epochs[i] <= oldEpoch) {
        lastBefore = Math.max(lastBefore, times[i]);
        if (times[i] > killNanos) {
          lateOld++;
        }
      } else if (times[i] > killNanos && times[i] < firstAfter) {
        firstAfter = times[i];
      }
    }
    if (lastBefore == Long.MIN_VALUE || firstAfter == Long.MAX_VALUE) {
      return Optional.empty();
    }
    return Optional.of(new Gap(killNanos, lastBefore, firstAfter, lateOld));
  }

  /** Acknowledgements committed in {@code epoch}. */
  long countInEpoch(long epoch) {
    return Arrays.stream(epochs).filter(e -> e == epoch).count();
  }

  /**
   * The acknowledgement gap around one kill. Immutable.
   *
   * @param killNanos when the kill signal was sent
   * @param lastBeforeNanos the last acknowledgement committed by the killed primary's epoch (or an
   *     earlier one)
   * @param firstAfterNanos the first acknowledgement committed in a later epoch
   * @param lateOldAcks answers of the killed primary that arrived after the signal (sent before it
   *     died)
   */
  record Gap(long killNanos, long lastBeforeNanos, long firstAfterNanos, int lateOldAcks) {
    /** Write unavailability: last acknowledgement before to first after, milliseconds. */
    double unavailableMs() {
      return (firstAfterNanos - lastBeforeNanos) / 1e6;
    }

    /** From the kill signal to the first acknowledgement of the new primary, milliseconds. */
    double fromKillMs() {
      return (firstAfterNanos - killNanos) / 1e6;
    }

    /**
     * From the last acknowledgement before the kill to the kill, milliseconds (negative: after).
     */
    double quietBeforeKillMs() {
      return (killNanos - lastBeforeNanos) / 1e6;
    }
  }
}
