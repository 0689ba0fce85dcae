package io.kevo.engine.internal.memtable;

import io.kevo.engine.KeyValue;
import io.kevo.engine.ScanOptions;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every version of every key written since the last flush, in a concurrent skiplist ordered by (key
 * ascending, sequence descending). Deletes are stored as tombstones.
 *
 * <p>Thread-safety: any number of readers run concurrently with one inserting thread (the write
 * leader) or several. Readers pass a read sequence and see, per key, the newest version at or below
 * it; versions inserted above it are skipped, which is how an atomic batch stays invisible until
 * the engine publishes its last sequence.
 */
public final class MemTable {
  /** Per-entry overhead estimate (skiplist node, index levels, key object, array headers). */
  private static final int ENTRY_OVERHEAD = 96;

  private static final byte[] TOMBSTONE = new byte[0];

  private final ConcurrentSkipListMap<InternalKey, byte[]> map = new ConcurrentSkipListMap<>();
  private final AtomicLong bytes = new AtomicLong();

  /** Inserts a version of {@code key}; {@code value == null} records a delete. */
  public void add(byte[] key, long sequence, byte[] value) {
    map.put(new InternalKey(key, sequence), value == null ? TOMBSTONE : value);
    bytes.addAndGet(ENTRY_OVERHEAD + key.length + (value == null ? 0 : value.length));
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
    Map.Entry<InternalKey, byte[]> e = map.ceilingEntry(new InternalKey(key, readSequence));
    if (e == null || !Arrays.equals(e.getKey().key(), key)) {
      return Lookup.ABSENT;
    }
    byte[] v = e.getValue();
    if (v == TOMBSTONE) {
      return Lookup.DELETED;
    }
    out[0] = v;
    return Lookup.FOUND;
  }

  /** Whether a stored value is the tombstone marker. */
  public static boolean isTombstone(byte[] value) {
    return value == TOMBSTONE;
  }

  /** Number of stored versions (tombstones included). */
  public long entryCount() {
    return map.size();
  }

  /** Approximate bytes held. */
  public long approximateBytes() {
    return bytes.get();
  }

  /**
   * Live keys in {@code scan} as of {@code readSequence}, ascending: per key the newest visible
   * version, tombstoned keys skipped. Weakly consistent with concurrent inserts, which all carry
   * sequences above {@code readSequence} and so are never seen.
   */
  public Iterator<KeyValue> scan(ScanOptions scan, long readSequence) {
    byte[] start = scan.effectiveStart();
    ConcurrentNavigableMap<InternalKey, byte[]> tail =
        start == null ? map : map.tailMap(new InternalKey(start, Long.MAX_VALUE), true);
    Iterator<Map.Entry<InternalKey, byte[]>> it = tail.entrySet().iterator();
    return new Iterator<>() {
      private byte[] lastKey;
      private KeyValue next;
      private boolean done;

      @Override
      public boolean hasNext() {
        while (next == null && !done) {
          if (!it.hasNext()) {
            done = true;
            break;
          }
          Map.Entry<InternalKey, byte[]> e = it.next();
          InternalKey ik = e.getKey();
          if (ik.sequence() > readSequence) {
            continue;
          }
          if (lastKey != null && Arrays.equals(lastKey, ik.key())) {
            continue;
          }
          lastKey = ik.key();
          if (scan.isPastEnd(ik.key())) {
            done = true;
            break;
          }
          byte[] v = e.getValue();
          if (v != TOMBSTONE && scan.contains(ik.key())) {
            next = new KeyValue(ik.key().clone(), v.clone());
          }
        }
        return next != null;
      }

      @Override
      public KeyValue next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        KeyValue kv = next;
        next = null;
        return kv;
      }
    };
  }
}
