package io.kevo.engine.internal.version;

/**
 * What the manifest records about one SSTable: its number (the file is {@code <number>.sst}), size,
 * key range as internal keys, sequence range and entry count. Immutable.
 */
public record FileMeta(
    long number,
    long size,
    byte[] smallestKey,
    long smallestSequence,
    byte[] largestKey,
    long largestSequence,
    long minSequence,
    long maxSequence,
    long entries) {

  public static String fileName(long number) {
    return String.format("%020d.sst", number);
  }

  /** Whether this file's user-key range intersects {@code [from, to]} (null = open). */
  public boolean overlaps(byte[] from, byte[] to) {
    return (to == null || java.util.Arrays.compareUnsigned(smallestKey, to) <= 0)
        && (from == null || java.util.Arrays.compareUnsigned(largestKey, from) >= 0);
  }

  /** Whether {@code key} lies within this file's user-key range. */
  public boolean mayContain(byte[] key) {
    return overlaps(key, key);
  }

  @Override
  public String toString() {
    return "#" + number + "(" + size + " B, seq " + minSequence + ".." + maxSequence + ")";
  }
}
