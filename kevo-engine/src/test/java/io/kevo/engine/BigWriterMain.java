package io.kevo.engine;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Child process of {@link LargerThanHeapTest}: writes {@code gigabytes} GiB of incompressible
 * values with a small heap, then reads a sample back and prints {@code OK tables=N heapMax=M}.
 * Args: directory, gigabytes.
 */
public final class BigWriterMain {
  private BigWriterMain() {}

  static final int VALUE = 1000;

  static byte[] key(long i) {
    return ByteBuffer.allocate(8).putLong(Long.reverse(i)).array();
  }

  static byte[] value(long i) {
    byte[] v = new byte[VALUE];
    new SplittableRandom(i).nextBytes(v);
    return v;
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long n = (long) (Double.parseDouble(args[1]) * (1L << 30) / VALUE);
    Options opts =
        Options.builder()
            .syncMode(SyncMode.NONE)
            .compression(Compression.NONE)
            .memtableSize(32L << 20)
            .blockCacheSize(16L << 20)
            .build();
    long maxTables = 0;
    try (KevoDB db = KevoDB.open(dir, opts)) {
      WriteBatch batch = new WriteBatch();
      for (long i = 0; i < n; i++) {
        batch.put(key(i), value(i));
        if (batch.count() == 64) {
          db.write(batch);
          batch = new WriteBatch();
        }
        if (i % 100_000 == 0) {
          maxTables = Math.max(maxTables, db.stats().sstableCount());
        }
      }
      db.write(batch);
      SplittableRandom r = new SplittableRandom(42);
      for (int s = 0; s < 2000; s++) {
        long i = r.nextLong(n);
        byte[] got = db.get(key(i)).orElseThrow(() -> new AssertionError("key " + i + " lost"));
        if (!java.util.Arrays.equals(got, value(i))) {
          throw new AssertionError("key " + i + " has a wrong value");
        }
      }
      maxTables = Math.max(maxTables, db.stats().sstableCount());
      System.out.println(
          "OK tables="
              + maxTables
              + " compactions="
              + db.stats().compactions()
              + " heapMax="
              + (Runtime.getRuntime().maxMemory() >> 20));
    }
  }
}
