package io.kevo.engine.internal.memtable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A skiplist of (key, sequence) → value entries ordered by key ascending (unsigned bytes), then
 * sequence descending: one writer, any number of lock-free readers (the LevelDB design).
 *
 * <p>Layout: no object per entry. A node is a run of ints in a large {@code int[]} page, named by
 * its index ({@code page << pageShift | offset}, {@link #NONE} for no node): the first eight key
 * bytes (two ints), the height, the forward links of every level, then the sequence, where the key
 * and value bytes are ({@link Arena}) and their lengths. Why: with an object per node (and an array
 * of links per tall node) a search step costs up to two cache misses and every node is copied by
 * each young collection until the memtable is flushed — on a replica and in the transaction
 * benchmark, memtable inserts and those copies were the largest costs. Here a step reads one run of
 * ints (the prefix next to the links), pages are few and large (allocated straight into the old
 * generation by G1 once they reach half a region), and the collector has nothing to trace.
 *
 * <p>Publication: a node is fully written, including its own links, before a release store links it
 * in at each level, bottom up; readers follow links with acquire loads, so a reader that reaches a
 * node sees its ints. New pages and chunks are published by volatile writes of the page and chunk
 * tables before any node in them is linked. {@link #height} may be read stale by a reader, which
 * only makes its search start lower. Entries are never removed.
 *
 * <p>Thread-safety: {@link #insert} must be called by one thread at a time, with a happens-before
 * edge between successive callers (the commit queue's lock provides it); every other method is safe
 * from any thread at any time.
 */
final class SkipList {
  static final int MAX_HEIGHT = 12;

  /** No node: the end of a list, or nothing found. (Index 0 is the head, never a link target.) */
  static final int NONE = 0;

  private static final VarHandle INT = MethodHandles.arrayElementVarHandle(int[].class);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  // Offsets in a node's run; the links start at LINKS, the rest follows them.
  private static final int PREFIX_HI = 0;
  private static final int PREFIX_LO = 1;
  private static final int HEIGHT = 2;
  private static final int LINKS = 3;
  private static final int SEQ_HI = 0; // after the links
  private static final int SEQ_LO = 1;
  private static final int CHUNK = 2;
  private static final int OFFSET = 3;
  private static final int KEY_LENGTH = 4;
  private static final int VALUE_LENGTH = 5;
  private static final int TAIL = 6;

  private static final int MIN_PAGE_SHIFT = 12;
  private static final int MAX_PAGE_SHIFT = 20;

  private final int pageShift;
  private final int pageMask;
  private volatile int[][] pages;
  private int pageCount;
  private int used; // ints used in the last page
  private final Arena arena = new Arena();
  private final int[] prev = new int[MAX_HEIGHT];
  private volatile int height = 1;
  private long random = 0x2545F4914F6CDD1DL;

  /** A list sized for a memtable of the default size. */
  SkipList() {
    this(io.kevo.engine.Options.DEFAULT_MEMTABLE_SIZE);
  }

  /**
   * A list expected to hold about {@code expectedBytes} of entries: pages are a sixteenth of that
   * (between 16 KiB and 4 MiB), so that a small memtable does not hold a large page.
   */
  SkipList(long expectedBytes) {
    int shift = MIN_PAGE_SHIFT;
    while (shift < MAX_PAGE_SHIFT && (4L << shift) < expectedBytes / 16) {
      shift++;
    }
    this.pageShift = shift;
    this.pageMask = (1 << shift) - 1;
    this.pages = new int[8][];
    this.pages[0] = new int[1 << shift];
    this.pageCount = 1;
    this.used = LINKS + MAX_HEIGHT + TAIL; // the head: links only, no key
    pages[0][HEIGHT] = MAX_HEIGHT;
  }

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

  /** Heap bytes of a node of {@code height} (its ints in a page). */
  static int nodeBytes(int height) {
    return 4 * (LINKS + height + TAIL);
  }

  // --- reading a node ----------------------------------------------------------------------

  private int[] page(int node) {
    return pages[node >>> pageShift];
  }

  /** The node after {@code node} at {@code level} (acquire), or {@link #NONE}. */
  int next(int node, int level) {
    return (int) INT.getAcquire(page(node), (node & pageMask) + LINKS + level);
  }

  /** The node after {@code node} in list order, or {@link #NONE}. */
  int next(int node) {
    return next(node, 0);
  }

  private long prefix(int[] p, int at) {
    return ((long) p[at + PREFIX_HI] << 32) | (p[at + PREFIX_LO] & 0xFFFFFFFFL);
  }

  /** Index in its page of the ints that follow {@code node}'s links. */
  private static int tail(int[] p, int at) {
    return at + LINKS + p[at + HEIGHT];
  }

  /** How many levels link {@code node}. */
  int height(int node) {
    return page(node)[(node & pageMask) + HEIGHT];
  }

  long sequence(int node) {
    int[] p = page(node);
    int t = tail(p, node & pageMask);
    return ((long) p[t + SEQ_HI] << 32) | (p[t + SEQ_LO] & 0xFFFFFFFFL);
  }

  boolean isTombstone(int node) {
    int[] p = page(node);
    return p[tail(p, node & pageMask) + VALUE_LENGTH] < 0;
  }

  /** Compares {@code node}'s key with {@code key} as unsigned bytes. */
  int compareKey(int node, byte[] key) {
    return compareKey(node, key, 0, key.length);
  }

  /** Compares {@code node}'s key with {@code bytes[from, to)} as unsigned bytes. */
  private int compareKey(int node, byte[] bytes, int from, int to) {
    int[] p = page(node);
    int t = tail(p, node & pageMask);
    byte[] chunk = arena.chunk(p[t + CHUNK]);
    int off = p[t + OFFSET];
    return Arrays.compareUnsigned(chunk, off, off + p[t + KEY_LENGTH], bytes, from, to);
  }

  /** A copy of {@code node}'s key. */
  byte[] key(int node) {
    int[] p = page(node);
    int t = tail(p, node & pageMask);
    int off = p[t + OFFSET];
    return Arrays.copyOfRange(arena.chunk(p[t + CHUNK]), off, off + p[t + KEY_LENGTH]);
  }

  /** A copy of {@code node}'s value; must not be called on a tombstone. */
  byte[] value(int node) {
    int[] p = page(node);
    int t = tail(p, node & pageMask);
    int from = p[t + OFFSET] + p[t + KEY_LENGTH];
    return Arrays.copyOfRange(arena.chunk(p[t + CHUNK]), from, from + p[t + VALUE_LENGTH]);
  }

  /** Compares node {@code n} with the search key: negative if {@code n} orders before it. */
  private int compare(int n, long prefix, byte[] key, long sequence) {
    int[] p = page(n);
    int at = n & pageMask;
    long np = prefix(p, at);
    if (np != prefix) {
      return Long.compareUnsigned(np, prefix);
    }
    int c = compareKey(n, key);
    return c != 0 ? c : Long.compare(sequence, sequence(n));
  }

  /** List order of two nodes: key ascending (unsigned), then sequence descending. */
  private int compareNodes(int a, int b) {
    long pa = prefix(page(a), a & pageMask);
    int[] q = page(b);
    int bt = b & pageMask;
    long pb = prefix(q, bt);
    if (pa != pb) {
      return Long.compareUnsigned(pa, pb);
    }
    int tb = tail(q, bt);
    int ob = q[tb + OFFSET];
    int c = compareKey(a, arena.chunk(q[tb + CHUNK]), ob, ob + q[tb + KEY_LENGTH]);
    return c != 0 ? c : Long.compare(sequence(b), sequence(a));
  }

  // --- writing -------------------------------------------------------------------------------

  /**
   * Single writer only. {@code (key, sequence)} must not be present already; {@code value == null}
   * stores a tombstone. The bytes are copied into the arena.
   *
   * @return the heap bytes of the node created (the key and value bytes come on top)
   */
  int insert(byte[] key, long sequence, byte[] value) {
    long prefix = prefixOf(key);
    int h = height;
    int x = NONE; // the head
    for (int level = h - 1; level >= 0; level--) {
      int nx = next(x, level);
      while (nx != NONE && compare(nx, prefix, key, sequence) < 0) {
        x = nx;
        nx = next(x, level);
      }
      prev[level] = x;
    }
    int nh = randomHeight();
    if (nh > h) {
      for (int level = h; level < nh; level++) {
        prev[level] = NONE;
      }
      height = nh;
    }
    int valueLength = value == null ? -1 : value.length;
    int chunkIndex = arena.reserve(key.length + Math.max(0, valueLength));
    byte[] chunk = arena.chunk(chunkIndex);
    int offset = arena.offset();
    System.arraycopy(key, 0, chunk, offset, key.length);
    if (value != null) {
      System.arraycopy(value, 0, chunk, offset + key.length, value.length);
    }
    int n = allocate(LINKS + nh + TAIL);
    int[] p = page(n);
    int at = n & pageMask;
    p[at + PREFIX_HI] = (int) (prefix >>> 32);
    p[at + PREFIX_LO] = (int) prefix;
    p[at + HEIGHT] = nh;
    int t = at + LINKS + nh;
    p[t + SEQ_HI] = (int) (sequence >>> 32);
    p[t + SEQ_LO] = (int) sequence;
    p[t + CHUNK] = chunkIndex;
    p[t + OFFSET] = offset;
    p[t + KEY_LENGTH] = key.length;
    p[t + VALUE_LENGTH] = valueLength;
    for (int level = 0; level < nh; level++) {
      p[at + LINKS + level] = next(prev[level], level);
    }
    for (int level = 0; level < nh; level++) {
      int before = prev[level];
      INT.setRelease(page(before), (before & pageMask) + LINKS + level, n);
    }
    return nodeBytes(nh);
  }

  /** Room for {@code ints} in a page; the index of the first. Single writer. */
  private int allocate(int ints) {
    if (used + ints > (1 << pageShift)) {
      if (((long) pageCount + 1) << pageShift > Integer.MAX_VALUE) {
        throw new IllegalStateException("memtable index space exhausted (8 GiB of nodes)");
      }
      int[][] table = pages;
      if (pageCount == table.length) {
        table = Arrays.copyOf(table, table.length * 2);
      }
      table[pageCount] = new int[1 << pageShift];
      pages = table; // volatile: published before any node in the new page is linked
      pageCount++;
      used = 0;
    }
    int n = ((pageCount - 1) << pageShift) | used;
    used += ints;
    return n;
  }

  // --- searching -----------------------------------------------------------------------------

  /**
   * The first node at or after {@code (key, sequence)} in list order, or {@link #NONE}. With the
   * writer inserting meanwhile: the first such node when the search read the last link it followed;
   * a node linked after that orders before the target or is newer than any sequence a reader could
   * have read before, so it changes nothing a reader at that sequence may see.
   */
  int seek(byte[] key, long sequence) {
    long prefix = prefixOf(key);
    int x = NONE;
    int nx = NONE;
    for (int level = height - 1; level >= 0; level--) {
      nx = next(x, level);
      while (nx != NONE && compare(nx, prefix, key, sequence) < 0) {
        x = nx;
        nx = next(x, level);
      }
    }
    // Return the successor the search compared (LevelDB's FindGreaterOrEqual), never a second read
    // of x's level-0 link: between the two reads the writer may link a node after x that orders
    // before the target (a new key between x's and the target's, or a version of the target's key
    // newer than the read sequence). A lookup landing there reported the key absent from this
    // memtable although a version it should see was right behind, and fell through to an older
    // version in a frozen memtable or table: a transaction then read a stale value, and since
    // nothing was committed after its snapshot its commit check passed — a lost update.
    return nx;
  }

  /** The first node in the list, or {@link #NONE}. */
  int first() {
    return next(NONE, 0);
  }

  /**
   * The last node at or before {@code (key, sequence)} in list order, or {@link #NONE}. Why a
   * search and not back links: back links would need a second publication per insert and could be
   * seen half-linked by a reader; reverse steps are rare enough that O(log n) each is the better
   * trade (LevelDB's FindLessThan).
   */
  int seekForPrev(byte[] key, long sequence) {
    long prefix = prefixOf(key);
    int x = NONE;
    for (int level = height - 1; level >= 0; level--) {
      int nx = next(x, level);
      while (nx != NONE && compare(nx, prefix, key, sequence) <= 0) {
        x = nx;
        nx = next(x, level);
      }
    }
    return x;
  }

  /** The last node strictly before {@code target} in list order, or {@link #NONE}. */
  int findLessThan(int target) {
    int x = NONE;
    for (int level = height - 1; level >= 0; level--) {
      int nx = next(x, level);
      while (nx != NONE && compareNodes(nx, target) < 0) {
        x = nx;
        nx = next(x, level);
      }
    }
    return x;
  }

  /**
   * The last node in the list, or {@link #NONE}. Nodes inserted while it runs may or may not be
   * seen; each step only moves forward, so the answer is a node that was last at some moment.
   */
  int last() {
    int x = NONE;
    for (int level = height - 1; level >= 0; level--) {
      int nx = next(x, level);
      while (nx != NONE) {
        x = nx;
        nx = next(x, level);
      }
    }
    return x;
  }

  /**
   * Bump allocation of key and value bytes in large chunks, named by index. Why: memtable entries
   * live until the flush, so as separate small arrays they would be copied by every young
   * collection; a few big chunks are allocated straight into the old generation by G1 (as humongous
   * objects) and never copied. Single writer; {@link #chunk} from any thread (a chunk is published
   * by the volatile write of the table before any node naming it is linked).
   */
  private static final class Arena {
    private static final int CHUNK = 2 << 20;
    private volatile byte[][] chunks = new byte[8][];
    private int count;
    private int current = -1; // the chunk being filled
    private int position;
    private int lastOffset;

    /** The index of a chunk with {@code n} bytes free at {@link #offset()}. */
    int reserve(int n) {
      if (n > CHUNK / 4) {
        lastOffset = 0;
        return add(new byte[n]); // its own chunk, never the one being filled
      }
      if (current < 0 || position + n > CHUNK) {
        current = add(new byte[CHUNK]);
        position = 0;
      }
      lastOffset = position;
      position += n;
      return current;
    }

    private int add(byte[] c) {
      byte[][] table = chunks;
      if (count == table.length) {
        table = Arrays.copyOf(table, table.length * 2);
      }
      table[count] = c;
      chunks = table; // volatile: published before any node naming the chunk is linked
      return count++;
    }

    int offset() {
      return lastOffset;
    }

    byte[] chunk(int index) {
      return chunks[index];
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
