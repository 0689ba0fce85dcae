package io.kevo.bench.failover;

/**
 * What the driver saw of one kill round, as it happened; the acknowledgement gap and the nodes' log
 * lines are read after the run. Times are milliseconds after the kill signal unless named
 * otherwise. Immutable.
 *
 * @param round 1, 2, ...
 * @param killed the member killed (the primary)
 * @param newPrimary the member elected after it
 * @param oldEpoch the killed primary's epoch
 * @param newEpoch the new primary's epoch
 * @param killNanos {@link System#nanoTime()} when the signal was sent
 * @param killWallMillis the wall clock then, to place the nodes' log lines
 * @param waitedForIntervalMs how long the round waited for {@code --failover-min-interval} to pass
 *     since the last failover before it killed
 * @param goneMs when the killed process had exited
 * @param sessionExpiredMs when its member entry left ZooKeeper (its session expired), as polled
 * @param electedMs when ZooKeeper first showed a member as primary in a later epoch, as polled
 * @param rejoinMs from restarting the killed node until it followed the new primary and had caught
 *     up
 */
record RoundObservation(
    int round,
    String killed,
    String newPrimary,
    long oldEpoch,
    long newEpoch,
    long killNanos,
    long killWallMillis,
    double waitedForIntervalMs,
    double goneMs,
    double sessionExpiredMs,
    double electedMs,
    double rejoinMs) {}
