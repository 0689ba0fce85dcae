package io.kevo.engine.internal.memtable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A skiplist of (key, sequence) → value entries ordered by key ascending (unsigned bytes), then
 * sequence descending: one writer, any number of lock-free readers (the LevelDB design).
 *
 * <p>Why not {@code ConcurrentSkipListMap}: it reaches a key through an index node, a data node and
 * a key object, three dependent loads per step, and its inserts are built for many writers. The
 * memtable has exactly one writer (the group-commit leader), so a node can carry its key's first
 * eight bytes inline: most steps of a search cost one load of the next node. Profiles of batch
 * inserts were dominated by those loads.
 *
 * <p>Publication: a node is fully built, including its own forward pointers, before a release store
 * links it in at each level, bottom up; readers follow links with acquire loads, so a reader that
 * reaches a node sees its fields. {@link #height} may be read stale by a reader, which only makes
 * its search start lower. Entries are never removed.
 *
 * <p>Thread-safety: {@link #insert} must be called by one thread at a time, with a happens-before
 * edge between successive callers (the commit queue's lock provides it); every other method is safe
 * from any thread at any time.
 */
final class SkipList {
  static final int MAX_HEIGHT = 12;
  private static final VarHandle NEXT = MethodHandles.arrayElementVarHandle(Node[].class);
  private static final VarHandle NEXT0;

  static {
    try {
      NEXT0 = MethodHandles.lookup().findVarHandle(Node.class, "next0", Node.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /**
   * An entry. Key and value bytes live in an arena chunk ({@code key} at {@code offset}, the value
   * right after it); {@code valueLength < 0} marks a tombstone. The level-0 link is a field (three
   * nodes in four have no other level, and every search ends at level 0); {@code upper} holds the
   * links of levels 1 and up, or is {@code null}.
   */
  static final class Node {
    final long prefix;
    final long sequence;
    final byte[] chunk;
    final int offset;
    final int keyLength;
    final int valueLength;
    final Node[] upper;
    Node next0;

    Node(
        long prefix,
        long sequence,
        byte[] chunk,
        int offset,
        int keyLength,
        int valueLength,
        int height) {
      this.prefix = prefix;
      this.sequence = sequence;
      this.chunk = chunk;
      this.offset = offset;
      this.keyLength = keyLength;
      this.valueLength = valueLength;
      this.upper = height > 1 ? new Node[height - 1] : null;
    }

    Node next(int level) {
      return level == 0 ? (Node) NEXT0.getAcquire(this) : (Node) NEXT.getAcquire(upper, level - 1);
    }

    /** Sets a link before the node is published (plain store). */
    void initNext(int level, Node n) {
      if (level == 0) {
        next0 = n;
      } else {
        upper[level - 1] = n;
      }
    }

    /** Links {@code n} after this node at {@code level} (release store: publishes {@code n}). */
    void publishNext(int level, Node n) {
      if (level == 0) {
        NEXT0.setRelease(this, n);
      } else {
        NEXT.setRelease(upper, level - 1, n);
      }
    }

    /** Compares this node's key with {@code key} as unsigned bytes. */
    int compareKey(byte[] key) {
      return Arrays.compareUnsigned(chunk, offset, offset + keyLength, key, 0, key.length);
    }

    boolean sameKey(Node o) {
      return prefix == o.prefix
          && Arrays.equals(
              chunk, offset, offset + keyLength, o.chunk, o.offset, o.offset + o.keyLength);
    }

    boolean isTombstone() {
      return valueLength < 0;
    }

    /** A copy of the key. */
    byte[] key() {
      return Arrays.copyOfRange(chunk, offset, offset + keyLength);
    }

    /** A copy of the value; must not be called on a tombstone. */
    byte[] value() {
      int from = offset + keyLength;
      return Arrays.copyOfRange(chunk, from, from + valueLength);
    }
  }

  private final Node head = new Node(0, 0, null, 0, 0, 0, MAX_HEIGHT);
  private final Arena arena = new Arena();
  private final Node[] prev = new Node[MAX_HEIGHT];
  private volatile int height = 1;
  private long random = 0x2545F4914F6CDD1DL;

  /**
   * The first eight key bytes, big-endian, zero-padded: compared as unsigned longs they order keys
   * as their bytes do, except that ties need the full comparison.
   */
  static long prefixOf(byte[] key) {
    if (key.length >= 8) {
      return (long) LONG_BE.get(key, 0);
    }
    long p = 0;
    for (int i = 0; i < 8; i++) {
      p = (p << 8) | (i < key.length ? key[i] & 0xFF : 0);
    }
    return p;
  }

  /** Compares node {@code n} with the search key: negative if {@code n} orders before it. */
  private static int compare(Node n, long prefix, byte[] key, long sequence) {
    if (n.prefix != prefix) {
      return Long.compareUnsigned(n.prefix, prefix);
    }
    int c = n.compareKey(key);
    return c != 0 ? c : Long.compare(sequence, n.sequence);
  }

  /**
   * Heap bytes of a node of {@code height}: the object (12-byte header, two longs, six 4-byte
   * fields with compressed references) and, above height 1, its array of upper links.
   */
  static int nodeBytes(int height) {
    int node = 56;
    return height == 1 ? node : node + ((16 + 4 * (height - 1) + 7) & ~7);
  }

  /**
   * Single writer only. {@code (key, sequence)} must not be present already; {@code value == null}
   * stores a tombstone. The bytes are copied into the arena.
   *
   * @return the heap bytes of the node created (the key and value bytes come on top)
   */
  int insert(byte[] key, long sequence, byte[] value) {
    long prefix = prefixOf(key);
    int h = height;
    Node x = head;
    for (int level = h - 1; level >= 0; level--) {
      Node nx = x.next(level);
      while (nx != null && compare(nx, prefix, key, sequence) < 0) {
        x = nx;
        nx = x.next(level);
      }
      prev[level] = x;
    }
    int nh = randomHeight();
    if (nh > h) {
      for (int level = h; level < nh; level++) {
        prev[level] = head;
      }
      height = nh;
    }
    int valueLength = value == null ? -1 : value.length;
    byte[] chunk = arena.reserve(key.length + Math.max(0, valueLength));
    int offset = arena.offset();
    System.arraycopy(key, 0, chunk, offset, key.length);
    if (value != null) {
      System.arraycopy(value, 0, chunk, offset + key.length, value.length);
    }
    Node n = new Node(prefix, sequence, chunk, offset, key.length, valueLength, nh);
    for (int level = 0; level < nh; level++) {
      n.initNext(level, prev[level].next(level));
      prev[level].publishNext(level, n);
    }
    return nodeBytes(nh);
  }

  /** The first node at or after {@code (key, sequence)} in list order, or {@code null}. */
  Node seek(byte[] key, long sequence) {
    long prefix = prefixOf(key);
    Node x = head;
    for (int level = height - 1; level >= 0; level--) {
      Node nx = x.next(level);
      while (nx != null && compare(nx, prefix, key, sequence) < 0) {
        x = nx;
        nx = x.next(level);
      }
    }
    return x.next(0);
  }

  /** The first node in the list, or {@code null}. */
  Node first() {
    return head.next(0);
  }

  /**
   * The last node at or before {@code (key, sequence)} in list order, or {@code null}. Why a search
   * and not back links: back links would need a second publication per insert and could be seen
   * half-linked by a reader; reverse steps are rare enough that O(log n) each is the better trade
   * (LevelDB's FindLessThan).
   */
  Node seekForPrev(byte[] key, long sequence) {
    long prefix = prefixOf(key);
    Node x = head;
    for (int level = height - 1; level >= 0; level--) {
      Node nx = x.next(level);
      while (nx != null && compare(nx, prefix, key, sequence) <= 0) {
        x = nx;
        nx = x.next(level);
      }
    }
    return x == head ? null : x;
  }

  /** The last node strictly before {@code target} in list order, or {@code null}. */
  Node findLessThan(Node target) {
    Node x = head;
    for (int level = height - 1; level >= 0; level--) {
      Node nx = x.next(level);
      while (nx != null && compareNodes(nx, target) < 0) {
        x = nx;
        nx = x.next(level);
      }
    }
    return x == head ? null : x;
  }

  /**
   * The last node in the list, or {@code null}. Nodes inserted while it runs may or may not be
   * seen; each step only moves forward, so the answer is a node that was last at some moment.
   */
  Node last() {
    Node x = head;
    for (int level = height - 1; level >= 0; level--) {
      Node nx = x.next(level);
      while (nx != null) {
        x = nx;
        nx = x.next(level);
      }
    }
    return x == head ? null : x;
  }

  /** List order of two nodes: key ascending (unsigned), then sequence descending. */
  private static int compareNodes(Node a, Node b) {
    if (a.prefix != b.prefix) {
      return Long.compareUnsigned(a.prefix, b.prefix);
    }
    int c =
        Arrays.compareUnsigned(
            a.chunk, a.offset, a.offset + a.keyLength, b.chunk, b.offset, b.offset + b.keyLength);
    return c != 0 ? c : Long.compare(b.sequence, a.sequence);
  }

  /**
   * Bump allocation of key and value bytes in large chunks. Why: memtable entries live until the
   * flush, so as separate small arrays they would be copied by every young collection; a few big
   * chunks are allocated straight into the old generation by G1 (as humongous objects) and never
   * copied. Single writer.
   */
  private static final class Arena {
    private static final int CHUNK = 2 << 20;
    private byte[] chunk = new byte[0];
    private int position;
    private int lastOffset;

    /** A chunk with {@code n} bytes free at {@link #offset()}. */
    byte[] reserve(int n) {
      if (n > CHUNK / 4) {
        lastOffset = 0;
        return new byte[n];
      }
      if (position + n > chunk.length) {
        chunk = new byte[CHUNK];
        position = 0;
      }
      lastOffset = position;
      position += n;
      return chunk;
    }

    int offset() {
      return lastOffset;
    }
  }

  /** Heights 1..12 with probability 1/4 of each extra level, as in LevelDB. */
  private int randomHeight() {
    long r = random;
    r ^= r << 13;
    r ^= r >>> 7;
    r ^= r << 17;
    random = r;
    int h = 1;
    while (h < MAX_HEIGHT && (r & 3) == 0) {
      h++;
      r >>>= 2;
    }
    return h;
  }
}
