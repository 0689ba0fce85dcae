package io.kevo.engine.internal.iter;

import java.util.Map;
import java.util.NavigableMap;

/**
 * An {@link InternalIterator} over a sorted map of user keys to values (a marker value standing for
 * deletes), every entry carrying the same sequence: a transaction's write buffer seen as one more
 * source. The map must be ordered by unsigned key bytes and must not change while iterated.
 */
public final class SortedMapIterator implements InternalIterator {
  private final NavigableMap<byte[], byte[]> map;
  private final byte[] tombstone;
  private final long sequence;
  private Map.Entry<byte[], byte[]> current;

  /**
   * @param tombstone the marker value (compared by identity) that stands for a delete
   */
  public SortedMapIterator(NavigableMap<byte[], byte[]> map, byte[] tombstone, long sequence) {
    this.map = map;
    this.tombstone = tombstone;
    this.sequence = sequence;
  }

  @Override
  public boolean valid() {
    return current != null;
  }

  @Override
  public void seekToFirst() {
    current = map.firstEntry();
  }

  @Override
  public void seekToLast() {
    current = map.lastEntry();
  }

  @Override
  public void seek(byte[] userKey, long seq) {
    // (k, sequence) is at or after (k, seq) only if sequence <= seq (newer sorts first).
    current = sequence <= seq ? map.ceilingEntry(userKey) : map.higherEntry(userKey);
  }

  @Override
  public void seekForPrev(byte[] userKey, long seq) {
    current = sequence >= seq ? map.floorEntry(userKey) : map.lowerEntry(userKey);
  }

  @Override
  public void next() {
    current = map.higherEntry(current.getKey());
  }

  @Override
  public void prev() {
    current = map.lowerEntry(current.getKey());
  }

  @Override
  public byte[] userKey() {
    return current.getKey();
  }

  @Override
  public long sequence() {
    return sequence;
  }

  @Override
  public boolean isTombstone() {
    return current.getValue() == tombstone;
  }

  @Override
  public byte[] value() {
    return isTombstone() ? null : current.getValue();
  }

  @Override
  public void close() {
    current = null;
  }
}
