package io.kevo.bench.workload;

import io.kevo.bench.adapter.EngineAdapter;
import io.kevo.bench.adapter.WriteCounters;
import io.kevo.bench.report.PhaseResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code mixed}: {@code --threads} threads over a loaded, compacted database of {@code --num} keys
 * ({@link Loader}), {@code --num} operations in all, each a point read of a random loaded key (90%)
 * or a put of a fresh value under a random loaded key (10%), WAL on, no sync. Every read must find
 * its key. Latency is per operation, reads and writes together. Write amplification covers the
 * writes (warm-up included), read after a flush and settle as in {@link LsmWriteWorkload}.
 */
final class MixedWorkload implements Workload {
  static final int WRITE_PERCENT = 10;

  @Override
  public String id() {
    return "mixed";
  }

  @Override
  public String description() {
    return "--threads threads, 90% point reads / 10% overwrites of loaded keys, no sync";
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
    PhaseResult timed = phase(engine, p, p.num(), 0, reads, writes);
    details.put("reads", reads.get());
    details.put("writes", writes.get());
    long t0 = System.nanoTime();
    engine.awaitQuiescent(true);
    details.put("settle_ms", (System.nanoTime() - t0) / 1_000_000);
    return new WorkloadResult(timed, engine.writeCounters().since(before), details);
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
            recorder.record(System.nanoTime() - t0);
            if (write) {
              w++;
            } else {
              r++;
            }
          }
          reads.addAndGet(r);
          writes.addAndGet(w);
        });
  }
}
