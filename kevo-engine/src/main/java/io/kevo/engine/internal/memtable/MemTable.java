package io.kevo.engine.internal.memtable;

import io.kevo.engine.internal.iter.InternalIterator;

/**
 * Every version of every key written since the last flush, in a {@link SkipList} ordered by (key
 * ascending, sequence descending). Deletes are stored as tombstones.
 *
 * <p>Thread-safety: {@link #add} has one caller at a time (the write leader, or recovery before the
 * database opens); readers run concurrently with it and with each other. Readers pass a read
 * sequence and see, per key, the newest version at or below it; versions inserted above it are
 * skipped, which is how an atomic batch stays invisible until the engine publishes its last
 * sequence.
 */
public final class MemTable {
  private final SkipList list;
  private final KeyFilter filter;
  private volatile long entries;
  private volatile long bytes;

  /** A memtable with a key filter sized for the default memtable size. */
  public MemTable() {
    this(io.kevo.engine.Options.DEFAULT_MEMTABLE_SIZE);
  }

  /** A memtable expected to grow to about {@code expectedBytes} (sizes its key filter). */
  public MemTable(long expectedBytes) {
    this.list = new SkipList(expectedBytes);
    this.filter = KeyFilter.forMemtableBytes(expectedBytes);
    this.bytes = filter.sizeInBytes();
  }

  /** Inserts a version of {@code key}; {@code value == null} records a delete. Single writer. */
  public void add(byte[] key, long sequence, byte[] value) {
    filter.add(key);
    int node = list.insert(key, sequence, value);
    entries = entries + 1;
    bytes = bytes + node + key.length + (value == null ? 0 : value.length);
  }

  /** Result of a point lookup. */
  public enum Lookup {
    FOUND,
    DELETED,
    ABSENT
  }

  /**
   * The value of {@code key} at {@code readSequence}: {@link Lookup#FOUND} with the value in {@code
   * out[0]}, {@link Lookup#DELETED} if its newest visible version is a tombstone, {@link
   * Lookup#ABSENT} if this table has no visible version.
   */
  public Lookup get(byte[] key, long readSequence, byte[][] out) {
    if (!filter.mayContain(key)) {
      return Lookup.ABSENT;
    }
    int n = list.seek(key, readSequence);
    if (n == SkipList.NONE || list.compareKey(n, key) != 0) {
      return Lookup.ABSENT;
    }
    if (list.isTombstone(n)) {
      return Lookup.DELETED;
    }
    out[0] = list.value(n);
    return Lookup.FOUND;
  }

  /**
   * An iterator over every stored version in internal order (see {@link InternalIterator}), for
   * merging with other sources. Safe to use while the writer inserts; the returned key and value
   * arrays are copies the caller may keep. The iterator starts unpositioned and pins nothing.
   */
  public InternalIterator newIterator() {
    return new MemTableIterator(list);
  }

  /** The sequence of the newest version of {@code key} (a put or a delete), or -1 if none. */
  public long latestSequence(byte[] key) {
    if (!filter.mayContain(key)) {
      return -1;
    }
    int n = list.seek(key, Long.MAX_VALUE);
    return n != SkipList.NONE && list.compareKey(n, key) == 0 ? list.sequence(n) : -1;
  }

  /** Number of stored versions (tombstones included). */
  public long entryCount() {
    return entries;
  }

  /**
   * Heap bytes held: the key filter, key and value bytes, and each node's ints; the unused ends of
   * the last node page and arena chunk are not counted.
   */
  public long approximateBytes() {
    return bytes;
  }
}
