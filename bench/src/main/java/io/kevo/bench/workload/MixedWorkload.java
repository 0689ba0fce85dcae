package io.kevo.bench.workload;

import io.kevo.bench.adapter.EngineAdapter;
import io.kevo.bench.adapter.WriteCounters;
import io.kevo.bench.report.LatencyRecorder;
import io.kevo.bench.report.PhaseResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code mixed}: {@code --threads} threads over a loaded, compacted database of {@code --num} keys
 * ({@link Loader}), {@code --num} operations in all, each a point read of a random loaded key (90%)
 * or a put of a fresh value under a random loaded key (10%), WAL on, no sync. Every read must find
 * its key. Latency is per operation, reads and writes together. Write amplification covers the
 * writes (warm-up included), read after a flush and settle as in {@link LsmWriteWorkload}. The
 * details also give read and write percentiles apart, in nanoseconds.
 *
 * <p>Holds the recorders of the phase in progress, so an instance runs one phase at a time (each
 * pair runs in its own JVM or one after another).
 */
final class MixedWorkload implements Workload {
  static final int WRITE_PERCENT = 10;

  // Per-thread recorders of the phase running now, reads and writes apart (diagnostics only).
  private final List<LatencyRecorder> readLatencies = new CopyOnWriteArrayList<>();
  private final List<LatencyRecorder> writeLatencies = new CopyOnWriteArrayList<>();

  @Override
  public String id() {
    return "mixed";
  }

  @Override
  public String description() {
    return "--threads threads, 90% point reads / 10% overwrites of loaded keys, no sync";
  }

  /** As fast as RocksDB, with a tail (reads and writes together) at most twice RocksDB's. */
  @Override
  public Target target() {
    return Target.OPS.withP99(2.0);
  }

  @Override
  public WorkloadResult run(EngineAdapter engine, WorkloadParams p) {
    Map<String, Long> details = new LinkedHashMap<>();
    Loader.load(engine, p, p.num(), details);
    WriteCounters before = engine.writeCounters();
    long warmup = Math.min(p.warmup(), p.num() / 10);
    details.put("warmup_ops", warmup);
    AtomicLong reads = new AtomicLong();
    AtomicLong writes = new AtomicLong();
    if (warmup > 0) {
      phase(engine, p, warmup, Keys.WARMUP, reads, writes);
    }
    reads.set(0);
    writes.set(0);
    readLatencies.clear();
    writeLatencies.clear();
    PhaseResult timed = phase(engine, p, p.num(), 0, reads, writes);
    details.put("reads", reads.get());
    details.put("writes", writes.get());
    percentiles("read", readLatencies, details);
    percentiles("write", writeLatencies, details);
    long t0 = System.nanoTime();
    engine.awaitQuiescent(true);
    details.put("settle_ms", (System.nanoTime() - t0) / 1_000_000);
    return new WorkloadResult(timed, engine.writeCounters().since(before), details);
  }

  /** {@code <kind>_p50_ns}, {@code _p99_ns}, {@code _p999_ns} of one kind of operation. */
  private static void percentiles(
      String kind, List<LatencyRecorder> recorders, Map<String, Long> details) {
    long[] sorted = LatencyRecorder.merge(recorders);
    details.put(kind + "_p50_ns", LatencyRecorder.percentile(sorted, 50));
    details.put(kind + "_p99_ns", LatencyRecorder.percentile(sorted, 99));
    details.put(kind + "_p999_ns", LatencyRecorder.percentile(sorted, 99.9));
  }

  private PhaseResult phase(
      EngineAdapter engine,
      WorkloadParams p,
      long ops,
      long salt,
      AtomicLong reads,
      AtomicLong writes) {
    return TimedPhase.run(
        "mixed on " + engine.name(),
        p.threads(),
        ops,
        1,
        false,
        (thread, share, recorder) -> {
          SplittableRandom random =
              new SplittableRandom((p.seed() ^ salt) * 0x9E3779B97F4A7C15L + thread);
          long r = 0;
          long w = 0;
          LatencyRecorder readRecorder = new LatencyRecorder((int) share);
          LatencyRecorder writeRecorder = new LatencyRecorder((int) (share / 8));
          readLatencies.add(readRecorder);
          writeLatencies.add(writeRecorder);
          for (long i = 0; i < share; i++) {
            byte[] key = Keys.random(p.seed(), Keys.LOADED, random.nextLong(p.num()), p.keySize());
            boolean write = random.nextInt(100) < WRITE_PERCENT;
            byte[] value = write ? Loader.value(random, p.valueSize()) : null;
            long t0 = System.nanoTime();
            if (write) {
              engine.put(key, value, false);
            } else if (engine.get(key) == null) {
              throw new IllegalStateException(
                  "mixed on " + engine.name() + ": a loaded key is missing");
            }
            long nanos = System.nanoTime() - t0;
            recorder.record(nanos);
            if (write) {
              writeRecorder.record(nanos);
              w++;
            } else {
              readRecorder.record(nanos);
              r++;
            }
          }
          reads.addAndGet(r);
          writes.addAndGet(w);
        });
  }
}
