package io.kevo.chaos.cluster;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Who each replication group's primary is, as the harness knows it: with a coordinator, one {@link
 * PrimaryTracker} per group (the nodes elect, the harness watches); without one, the one group's
 * primary the harness set ({@link #set}). Thread-safe; {@link #close()} stops every tracker.
 */
final class Primaries implements AutoCloseable {
  private final Map<String, PrimaryTracker> trackers = new LinkedHashMap<>(); // by group
  private volatile String manual;

  /** Starts watching {@code group}'s nodes (their own addresses, by name). */
  synchronized void track(
      String group, Map<String, String> addresses, Consumer<PrimaryTracker.Change> listener) {
    PrimaryTracker t = new PrimaryTracker(addresses, listener);
    trackers.put(group, t);
    t.start();
  }

  /** Without a coordinator: the harness made {@code node} the primary. */
  void set(String node) {
    manual = node;
  }

  /** {@code group}'s primary; null while none is known. */
  String of(String group) {
    PrimaryTracker t = tracker(group);
    return t != null ? t.primary() : manual;
  }

  /** The epoch of {@code group}'s primary as its tracker last saw it; 0 without a coordinator. */
  long epochOf(String group) {
    PrimaryTracker t = tracker(group);
    return t != null ? t.epoch() : 0;
  }

  /** Waits until {@code group} has a known primary; false if none within {@code within}. */
  boolean await(String group, Duration within) throws InterruptedException {
    PrimaryTracker t = tracker(group);
    return t == null ? manual != null : t.awaitPrimary(within);
  }

  /**
   * A known primary among {@code groups}' drawn from {@code random}; with one (an unsharded
   * cluster) no draw is made, so that an unsharded run's seed replays the choices it made before
   * shards existed. Null if none is known.
   */
  String any(List<String> groups, SplittableRandom random) {
    List<String> known = groups.stream().map(this::of).filter(Objects::nonNull).toList();
    if (known.size() <= 1) {
      return known.isEmpty() ? null : known.get(0);
    }
    return known.get(random.nextInt(known.size()));
  }

  /**
   * {@code groups}' primaries and epochs: {@code n2 in epoch 3}, or {@code s1: s1n2 in epoch 3,
   * ...}.
   */
  String text(List<String> groups) {
    StringBuilder b = new StringBuilder();
    for (String group : groups) {
      b.append(b.length() == 0 ? "" : ", ")
          .append(group.isEmpty() ? "" : group + ": ")
          .append(of(group))
          .append(" in epoch ")
          .append(epochOf(group));
    }
    return b.toString();
  }

  private synchronized PrimaryTracker tracker(String group) {
    return trackers.get(group);
  }

  @Override
  public synchronized void close() {
    for (PrimaryTracker t : trackers.values()) {
      t.close();
    }
  }
}
