package io.kevo.chaos.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects a checker's anomalies: keeps the first few, counts all, and counts them by kind. Not
 * thread-safe: one checker run owns it.
 */
final class AnomalyLog {
  private final int limit;
  private final List<Anomaly> kept = new ArrayList<>();
  private final Map<String, Long> byKind = new TreeMap<>();
  private long count;

  AnomalyLog(int limit) {
    this.limit = limit;
  }

  void add(Anomaly a) {
    count++;
    byKind.merge(a.kind(), 1L, Long::sum);
    if (kept.size() < limit) {
      kept.add(a);
    }
  }

  long count() {
    return count;
  }

  long count(String kind) {
    return byKind.getOrDefault(kind, 0L);
  }

  List<Anomaly> kept() {
    return List.copyOf(kept);
  }

  /** E.g. {@code stale-read 2, sequence-reused 1}; empty when none. */
  String kinds() {
    StringBuilder b = new StringBuilder();
    byKind.forEach((k, n) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(n));
    return b.toString();
  }
}
