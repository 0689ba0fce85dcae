package io.kevo.coordination;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which shard owns which keys: ranges in key order that together cover every key exactly once, and
 * the map's version, which grows by one with each change (a split, a move), so that a node and a
 * client can tell which of two maps is newer. Immutable.
 *
 * @param version 1 for the map {@code kevo cluster init} writes, then one more per change
 * @param shards the ranges, in key order: the first starts at the empty key, each next one starts
 *     where the previous one ends, the last has no end
 */
public record ShardMap(long version, List<ShardRange> shards) {

  /** The most shards a map may hold: each is a replication group of its own. */
  public static final int MAX_SHARDS = 4096;

  /** Checks that the ranges are contiguous, cover the key space and have distinct ids. */
  public ShardMap {
    Objects.requireNonNull(shards, "shards");
    shards = List.copyOf(shards);
    if (version < 1) {
      throw new IllegalArgumentException("a shard map's version starts at 1, got " + version);
    }
    if (shards.isEmpty() || shards.size() > MAX_SHARDS) {
      throw new IllegalArgumentException(
          "a shard map holds 1 to " + MAX_SHARDS + " shards, got " + shards.size());
    }
    Set<String> ids = new HashSet<>();
    byte[] expectedStart = new byte[0];
    for (int i = 0; i < shards.size(); i++) {
      ShardRange r = shards.get(i);
      if (!ids.add(r.id())) {
        throw new IllegalArgumentException("shard id " + r.id() + " appears twice");
      }
      if (!Arrays.equals(r.start(), expectedStart)) {
        throw new IllegalArgumentException(
            "shard "
                + r.id()
                + " starts at "
                + ShardRange.hex(r.start())
                + " where "
                + (i == 0
                    ? "the key space starts (the empty key)"
                    : "the previous shard ends, " + ShardRange.hex(expectedStart)));
      }
      boolean last = i == shards.size() - 1;
      if (last != (r.end() == null)) {
        throw new IllegalArgumentException(
            last
                ? "the last shard, " + r.id() + ", must have no end"
                : "shard " + r.id() + " has no end but is not the last");
      }
      expectedStart = r.end();
    }
  }

  /**
   * {@code n} shards named {@code s1..sN} that split the key space evenly by the keys' first two
   * bytes: shard {@code i} (from 0) starts at the two bytes of {@code i * 65536 / n}. Even for keys
   * spread over all byte values (hashes, random ids); keys of readable text crowd into the few
   * shards whose ranges hold letters and digits, and are better split at points of their own
   * ({@link #splitAt}).
   */
  public static ShardMap even(int n) {
    if (n < 1 || n > MAX_SHARDS) {
      throw new IllegalArgumentException("shards must be 1 to " + MAX_SHARDS + ", got " + n);
    }
    List<byte[]> points = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      int prefix = (int) ((long) i * 65536 / n);
      points.add(new byte[] {(byte) (prefix >>> 8), (byte) prefix});
    }
    return splitAt(points);
  }

  /**
   * Shards named {@code s1..sN+1} split at {@code points} (each the first key of the next shard),
   * which must be in strictly ascending unsigned order and not empty.
   */
  public static ShardMap splitAt(List<byte[]> points) {
    List<ShardRange> shards = new ArrayList<>();
    byte[] start = new byte[0];
    for (int i = 0; i < points.size(); i++) {
      byte[] p = points.get(i);
      if (p.length == 0) {
        throw new IllegalArgumentException("a split point cannot be the empty key");
      }
      if (Arrays.compareUnsigned(p, start) <= 0) {
        throw new IllegalArgumentException(
            "split points must ascend: "
                + ShardRange.hex(p)
                + " is not after "
                + ShardRange.hex(start));
      }
      shards.add(new ShardRange("s" + (i + 1), start, p));
      start = p;
    }
    shards.add(new ShardRange("s" + (points.size() + 1), start, null));
    return new ShardMap(1, shards);
  }

  /**
   * The next map: shard {@code id} split at {@code at}, keeping {@code [start, at)}, and a new
   * shard {@code newId} owning {@code [at, end)} right after it.
   *
   * @throws IllegalArgumentException if the map has no shard {@code id}, already has {@code newId},
   *     or {@code at} is not strictly inside the shard's range (past its start, before its end)
   */
  public ShardMap split(String id, byte[] at, String newId) {
    ShardRange from =
        shard(id)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "shard map version " + version + " has no shard " + id));
    if (shard(newId).isPresent()) {
      throw new IllegalArgumentException(
          "shard map version " + version + " already has a shard " + newId);
    }
    if (Arrays.compareUnsigned(at, from.start()) <= 0 || !from.contains(at)) {
      throw new IllegalArgumentException(
          "split point "
              + ShardRange.keyText(at)
              + " is not inside shard "
              + id
              + " "
              + from.text()
              + ": it must come after the shard's first key and before its end");
    }
    List<ShardRange> next = new ArrayList<>();
    for (ShardRange r : shards) {
      if (r.id().equals(id)) {
        next.add(new ShardRange(id, r.start(), at));
        next.add(new ShardRange(newId, at, r.end()));
      } else {
        next.add(r);
      }
    }
    return new ShardMap(version + 1, next);
  }

  /** The shard that owns {@code key}. */
  public ShardRange ownerOf(byte[] key) {
    // Binary search for the last shard whose start is <= key; the first starts at the empty key.
    int lo = 0;
    int hi = shards.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (shards.get(mid).startsAtOrBefore(key)) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return shards.get(lo);
  }

  /** The shard with this id, if the map has it. */
  public Optional<ShardRange> shard(String id) {
    return shards.stream().filter(s -> s.id().equals(id)).findFirst();
  }
}
