package io.kevo.bench.workload;

import io.kevo.bench.adapter.EngineAdapter;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The untimed preparation of the read, overwrite and mixed workloads: writes {@code count} keys of
 * {@link Keys#LOADED} in batches of 1,000 (one thread), then flushes and fully compacts (Kevo
 * {@code flush()} + {@code compactRange(null, null)}, RocksDB {@code flush} + {@code
 * compactRange()}) and waits until the engine has no background work left, so both engines are read
 * in the same settled shape.
 */
final class Loader {
  private static final int BATCH = 1000;

  private Loader() {}

  /** Loads and compacts; records {@code load_keys}, {@code load_ms} and {@code prepare_ms}. */
  static void load(EngineAdapter engine, WorkloadParams p, long count, Map<String, Long> details) {
    long t0 = System.nanoTime();
    SplittableRandom values = new SplittableRandom(p.seed() ^ Keys.LOADED);
    byte[][] keys = new byte[BATCH][];
    byte[][] vals = new byte[BATCH][];
    for (long done = 0; done < count; ) {
      int n = (int) Math.min(BATCH, count - done);
      for (int i = 0; i < n; i++) {
        keys[i] = Keys.random(p.seed(), Keys.LOADED, done + i, p.keySize());
        vals[i] = value(values, p.valueSize());
      }
      engine.writeBatch(keys, vals, n, false);
      // Fresh arrays for the next batch: an engine may keep references to what it was given.
      keys = new byte[BATCH][];
      vals = new byte[BATCH][];
      done += n;
    }
    long t1 = System.nanoTime();
    engine.compactAll();
    engine.awaitQuiescent(false);
    long t2 = System.nanoTime();
    details.put("load_keys", count);
    details.put("load_ms", (t1 - t0) / 1_000_000);
    details.put("prepare_ms", (t2 - t1) / 1_000_000);
  }

  /** A fresh random value of {@code size} bytes. */
  static byte[] value(SplittableRandom random, int size) {
    byte[] v = new byte[size];
    random.nextBytes(v);
    return v;
  }
}
