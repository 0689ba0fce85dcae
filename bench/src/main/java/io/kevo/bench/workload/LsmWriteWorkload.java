package io.kevo.bench.workload;

import io.kevo.bench.adapter.EngineAdapter;
import io.kevo.bench.adapter.WriteCounters;
import io.kevo.bench.report.PhaseResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The single-threaded put workloads of the LSM benchmark, one put per call, WAL on, no sync: {@code
 * fillrandom} ({@code --num} distinct random keys into an empty database), {@code fillseq} (the
 * same in ascending key order) and {@code overwrite} ({@code --num} puts of random keys of a
 * loaded, compacted database of {@code --num} keys).
 *
 * <p>Write amplification covers every write of the workload (warm-up included, the untimed load of
 * {@code overwrite} excluded) and is read after {@link EngineAdapter#awaitQuiescent(boolean)} with
 * a flush: every byte written is then in SSTables and no flush or compaction is left, on both
 * engines alike.
 */
final class LsmWriteWorkload implements Workload {
  enum Mode {
    RANDOM,
    SEQUENTIAL,
    OVERWRITE
  }

  private final String id;
  private final String description;
  private final Mode mode;
  private final Target target;

  LsmWriteWorkload(String id, String description, Mode mode, Target target) {
    this.id = id;
    this.description = description;
    this.mode = mode;
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
  public Target target() {
    return target;
  }

  @Override
  public WorkloadResult run(EngineAdapter engine, WorkloadParams p) {
    Map<String, Long> details = new LinkedHashMap<>();
    if (mode == Mode.OVERWRITE) {
      Loader.load(engine, p, p.num(), details);
    }
    WriteCounters before = engine.writeCounters();
    long warmup = Math.min(p.warmup(), p.num() / 10);
    details.put("warmup_ops", warmup);
    if (warmup > 0) {
      phase(engine, p, warmup, true);
    }
    PhaseResult timed = phase(engine, p, p.num(), false);
    long t0 = System.nanoTime();
    engine.awaitQuiescent(true);
    details.put("settle_ms", (System.nanoTime() - t0) / 1_000_000);
    return new WorkloadResult(timed, engine.writeCounters().since(before), details);
  }

  private PhaseResult phase(EngineAdapter engine, WorkloadParams p, long ops, boolean warmup) {
    long stream = warmup ? Keys.WARMUP : Keys.FILL;
    SplittableRandom random = new SplittableRandom(p.seed() ^ stream);
    return TimedPhase.run(
        id + " on " + engine.name(),
        1,
        ops,
        1,
        false,
        (thread, share, recorder) -> {
          for (long i = 0; i < share; i++) {
            byte[] key =
                switch (mode) {
                  case RANDOM -> Keys.random(p.seed(), stream, i, p.keySize());
                  // The warm-up's prefix sorts before the timed keys: those still append.
                  case SEQUENTIAL -> Keys.sequential(warmup ? 0 : 1, i, p.keySize());
                  case OVERWRITE ->
                      Keys.random(p.seed(), Keys.LOADED, random.nextLong(p.num()), p.keySize());
                };
            byte[] value = Loader.value(random, p.valueSize());
            long t0 = System.nanoTime();
            engine.put(key, value, false);
            recorder.record(System.nanoTime() - t0);
          }
        });
  }
}
