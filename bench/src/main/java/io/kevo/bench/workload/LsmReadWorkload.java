package io.kevo.bench.workload;

import io.kevo.bench.adapter.EngineAdapter;
import io.kevo.bench.adapter.ReadCursor;
import io.kevo.bench.report.PhaseResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The single-threaded read workloads of the LSM benchmark. Each loads its database first (untimed,
 * see {@link Loader}: load, flush, full compaction, settle), warms up with a tenth of its
 * operations (at most {@code --warmup}) from a different random stream, then times {@code --num}
 * operations:
 *
 * <ul>
 *   <li>{@code GET}: a point read of a random loaded key (every one must be found);
 *   <li>{@code MISSING}: a point read of a key never written (none may be found; bloom filters);
 *   <li>{@code SEEK}: seek to a random loaded key, then 10 nexts, reading every key and value (one
 *       cursor per thread, reused for every seek, as RocksDB's {@code db_bench seekrandom} does);
 *   <li>{@code SCAN}: full forward scans with a fresh cursor each, reading every key and value; one
 *       untimed pass, then {@link #SCAN_PASSES} timed passes; one latency sample per {@link
 *       #SCAN_SAMPLE} keys, and keys/s as the rate.
 * </ul>
 */
final class LsmReadWorkload implements Workload {
  enum Mode {
    GET,
    MISSING,
    SEEK,
    SCAN
  }

  static final int SEEK_NEXTS = 10;
  static final int SCAN_PASSES = 3;
  static final int SCAN_SAMPLE = 100;

  private final String id;
  private final String description;
  private final Mode mode;
  private final ToLongFunction<WorkloadParams> databaseKeys;
  private final Target target;

  LsmReadWorkload(
      String id,
      String description,
      Mode mode,
      ToLongFunction<WorkloadParams> databaseKeys,
      Target target) {
    this.id = id;
    this.description = description;
    this.mode = mode;
    this.databaseKeys = databaseKeys;
    this.target = target;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public String unit() {
    return mode == Mode.SCAN ? "keys" : "ops";
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public WorkloadResult run(EngineAdapter engine, WorkloadParams p) {
    Map<String, Long> details = new LinkedHashMap<>();
    long keys = databaseKeys.applyAsLong(p);
    Loader.load(engine, p, keys, details);
    if (mode == Mode.SCAN) {
      details.put("warmup_ops", scanPass(engine, p, keys, 1, true).ops());
      PhaseResult timed = scanPass(engine, p, keys, SCAN_PASSES, false);
      details.put("scan_passes", (long) SCAN_PASSES);
      return new WorkloadResult(timed, null, details);
    }
    long warmup = Math.min(p.warmup(), p.num() / 10);
    details.put("warmup_ops", warmup);
    AtomicLong found = new AtomicLong();
    if (warmup > 0) {
      pointPhase(engine, p, keys, warmup, Keys.WARMUP, found);
    }
    found.set(0);
    PhaseResult timed = pointPhase(engine, p, keys, p.num(), 0, found);
    long expected = mode == Mode.MISSING ? 0 : p.num();
    if (found.get() != expected) {
      throw new IllegalStateException(
          id + " on " + engine.name() + ": found " + found.get() + " keys, expected " + expected);
    }
    details.put("found", found.get());
    return new WorkloadResult(timed, null, details);
  }

  private PhaseResult pointPhase(
      EngineAdapter engine, WorkloadParams p, long keys, long ops, long salt, AtomicLong found) {
    SplittableRandom random = new SplittableRandom(p.seed() ^ salt ^ 0x5EEDL);
    return TimedPhase.run(
        id + " on " + engine.name(),
        1,
        ops,
        1,
        false,
        (thread, share, recorder) -> {
          long hits = 0;
          ReadCursor cursor = mode == Mode.SEEK ? engine.cursor() : null;
          try {
            for (long i = 0; i < share; i++) {
              byte[] key =
                  mode == Mode.MISSING
                      ? Keys.random(p.seed(), Keys.MISSING, random.nextLong(), p.keySize())
                      : Keys.random(p.seed(), Keys.LOADED, random.nextLong(keys), p.keySize());
              long t0 = System.nanoTime();
              if (mode == Mode.SEEK) {
                hits += seekAndNext(cursor, key);
              } else if (engine.get(key) != null) {
                hits++;
              }
              recorder.record(System.nanoTime() - t0);
            }
          } finally {
            if (cursor != null) {
              cursor.close();
            }
          }
          found.addAndGet(hits);
        });
  }

  /** Seeks and reads up to {@link #SEEK_NEXTS} more pairs; 1 if the seek found {@code key}. */
  private static int seekAndNext(ReadCursor cursor, byte[] key) {
    cursor.seek(key);
    if (!cursor.valid()) {
      return 0;
    }
    int hit = java.util.Arrays.equals(cursor.key(), key) ? 1 : 0;
    long bytes = cursor.value().length;
    for (int n = 0; n < SEEK_NEXTS; n++) {
      cursor.next();
      if (!cursor.valid()) {
        break;
      }
      bytes += cursor.key().length + cursor.value().length;
    }
    return bytes < 0 ? -1 : hit; // uses bytes so the reads are not optimised away
  }

  private PhaseResult scanPass(
      EngineAdapter engine, WorkloadParams p, long keys, int passes, boolean warmup) {
    return TimedPhase.run(
        id + " on " + engine.name(),
        1,
        keys * passes,
        SCAN_SAMPLE,
        false,
        (thread, share, recorder) -> {
          for (int pass = 0; pass < passes; pass++) {
            long seen = 0;
            long bytes = 0;
            try (ReadCursor cursor = engine.cursor()) {
              long t0 = System.nanoTime();
              cursor.seekToFirst();
              while (cursor.valid()) {
                bytes += cursor.key().length + cursor.value().length;
                cursor.next();
                if (++seen % SCAN_SAMPLE == 0) {
                  long t1 = System.nanoTime();
                  recorder.record(t1 - t0);
                  t0 = t1;
                }
              }
            }
            if (seen != keys || bytes != keys * (p.keySize() + p.valueSize())) {
              throw new IllegalStateException(
                  id
                      + (warmup ? " warm-up" : "")
                      + " on "
                      + engine.name()
                      + ": scanned "
                      + seen
                      + " keys, expected "
                      + keys);
            }
          }
        });
  }
}
