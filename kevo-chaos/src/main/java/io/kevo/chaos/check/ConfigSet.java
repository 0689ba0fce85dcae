package io.kevo.chaos.check;

import java.util.Arrays;

/**
 * The search's memory of configurations it has explored: sets of linearized ops (a bitset) paired
 * with a register state. An open-addressing hash set built for that one use.
 *
 * <p>A set is stored compactly as its first missing op {@code lo} and the bitset's words from
 * {@code lo}'s word to the word of its highest member: every op below {@code lo} is a member, so
 * nothing below needs storing. Ops are numbered in invocation order and the search linearizes
 * roughly in that order, so the stored slice spans about as many ops as overlap one another rather
 * than the whole key's history; that is what keeps a long, hot key's memory from growing as its
 * length squared. The representation is canonical: equal sets store equal {@code (lo, slice)}.
 *
 * <p>Not thread-safe.
 */
final class ConfigSet {
  private int[] slots = new int[1024]; // entry index + 1; 0 is empty
  private int size;
  private int[] hashes = new int[512];
  private int[] states = new int[512];
  private int[] los = new int[512];
  private int[] starts = new int[512];
  private int[] lengths = new int[512];
  private long[] pool = new long[4096];
  private int poolUsed;

  int size() {
    return size;
  }

  /**
   * Adds the configuration ({@code bits} with first missing member {@code lo} and highest member
   * {@code hi}, or {@code hi < lo} when there is none above {@code lo}; {@code state}) unless it is
   * present. {@code setHash} must be a hash of the set alone.
   *
   * @return whether it was new
   */
  boolean add(long[] bits, int lo, int hi, int state, long setHash) {
    long mixed = setHash ^ (state * 0x9E37_79B9_7F4A_7C15L);
    int hash = (int) (mixed ^ (mixed >>> 32));
    int from = lo >>> 6;
    int length = hi < lo ? 0 : (hi >>> 6) - from + 1;
    int mask = slots.length - 1;
    int slot = hash & mask;
    while (slots[slot] != 0) {
      int e = slots[slot] - 1;
      if (hashes[e] == hash
          && states[e] == state
          && los[e] == lo
          && lengths[e] == length
          && Arrays.equals(pool, starts[e], starts[e] + length, bits, from, from + length)) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
    if (size == hashes.length) {
      growEntries();
    }
    if (poolUsed + length > pool.length) {
      pool = Arrays.copyOf(pool, Math.max(pool.length * 2, poolUsed + length));
    }
    System.arraycopy(bits, from, pool, poolUsed, length);
    hashes[size] = hash;
    states[size] = state;
    los[size] = lo;
    starts[size] = poolUsed;
    lengths[size] = length;
    poolUsed += length;
    slots[slot] = ++size;
    if (size * 2 > slots.length) {
      rehash();
    }
    return true;
  }

  private void growEntries() {
    int capacity = hashes.length * 2;
    hashes = Arrays.copyOf(hashes, capacity);
    states = Arrays.copyOf(states, capacity);
    los = Arrays.copyOf(los, capacity);
    starts = Arrays.copyOf(starts, capacity);
    lengths = Arrays.copyOf(lengths, capacity);
  }

  private void rehash() {
    slots = new int[slots.length * 2];
    int mask = slots.length - 1;
    for (int e = 0; e < size; e++) {
      int slot = hashes[e] & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = e + 1;
    }
  }
}
