package io.kevo.chaos.nemesis;

import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Which split the {@code split-kill} nemesis makes: the shard whose range holds the most of the
 * workload's keys (at least two; the first such in key order on a tie) splits at the middle one of
 * them, so that both halves keep keys under load, into a new shard named {@code s<N+1>} after the
 * highest {@code s<N>} the map or the cluster has used (a given-up split's shard keeps its name).
 *
 * @param source the shard that splits
 * @param at the new shard's first key, one of the workload's
 * @param to the new shard's id
 */
record SplitPlan(String source, String at, String to) {
  /** The split to make of {@code map}; empty when no shard holds two of {@code keys}. */
  static Optional<SplitPlan> of(ShardMap map, List<String> keys, Collection<String> usedIds) {
    ShardRange best = null;
    List<String> bestKeys = List.of();
    for (ShardRange r : map.shards()) {
      List<String> inside = new ArrayList<>();
      for (String k : keys) {
        if (r.contains(bytes(k))) {
          inside.add(k);
        }
      }
      if (inside.size() >= 2 && inside.size() > bestKeys.size()) {
        best = r;
        bestKeys = inside;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    List<String> sorted = new ArrayList<>(bestKeys);
    sorted.sort((a, b) -> Arrays.compareUnsigned(bytes(a), bytes(b)));
    int highest = 0;
    List<String> ids = new ArrayList<>(usedIds);
    map.shards().forEach(r -> ids.add(r.id()));
    for (String id : ids) {
      if (id.matches("s\\d{1,6}")) {
        highest = Math.max(highest, Integer.parseInt(id.substring(1)));
      }
    }
    return Optional.of(
        new SplitPlan(best.id(), sorted.get(sorted.size() / 2), "s" + (highest + 1)));
  }

  /** {@link #at} as the split takes it. */
  byte[] atBytes() {
    return bytes(at);
  }

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
