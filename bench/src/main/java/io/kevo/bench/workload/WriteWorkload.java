package io.kevo.bench.workload;

import io.kevo.bench.adapter.EngineAdapter;
import io.kevo.bench.report.LatencyRecorder;
import io.kevo.bench.report.PhaseResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * Random-key writes: {@code threads} writers share the operation count and each writes fresh random
 * keys and values, one put at a time or in batches, with or without fsync per write.
 *
 * <p>Timing: the clock runs from releasing all writers to the last one finishing; it covers key
 * generation (identical for every engine) and the writes, not opening or closing the database.
 * Latency is measured around each engine call, so it is per operation, or per batch for batched
 * workloads. Throughput always counts operations.
 */
public final class WriteWorkload implements Workload {
  /** Warm-up keys come from a different stream than the timed keys. */
  private static final long WARMUP_SALT = 0x5EED_CAFE_F00DL;

  private final String id;
  private final String description;
  private final ToLongFunction<WorkloadParams> operations;
  private final boolean concurrent;
  private final boolean batched;
  private final boolean sync;

  /**
   * @param operations how many operations the workload writes, from the run's parameters
   * @param concurrent use {@link WorkloadParams#threads()} writers (else one)
   * @param batched write {@link WorkloadParams#batchSize()} operations per call (else one)
   * @param sync fsync every write (group-committed by the engine when concurrent)
   */
  public WriteWorkload(
      String id,
      String description,
      ToLongFunction<WorkloadParams> operations,
      boolean concurrent,
      boolean batched,
      boolean sync) {
    this.id = id;
    this.description = description;
    this.operations = operations;
    this.concurrent = concurrent;
    this.batched = batched;
    this.sync = sync;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return description;
  }

  /** Operations this workload writes under {@code params}. */
  public long operations(WorkloadParams params) {
    return operations.applyAsLong(params);
  }

  int threads(WorkloadParams params) {
    return concurrent ? params.threads() : 1;
  }

  int batchSize(WorkloadParams params) {
    return batched ? params.batchSize() : 1;
  }

  @Override
  public Target target() {
    return Target.OPS;
  }

  /**
   * Warm-up, timed phase, then a flush and settle (untimed) so that the write amplification, which
   * covers warm-up and timed writes, is read with every byte in SSTables on both engines.
   */
  @Override
  public WorkloadResult run(EngineAdapter engine, WorkloadParams params) {
    long ops = operations(params);
    long warmup = Math.min(params.warmup(), ops / 10);
    if (warmup > 0) {
      writePhase(engine, params, warmup, params.seed() ^ WARMUP_SALT);
    }
    PhaseResult timed = writePhase(engine, params, ops, params.seed());
    long t0 = System.nanoTime();
    engine.awaitQuiescent(true);
    Map<String, Long> details = new LinkedHashMap<>();
    details.put("warmup_ops", warmup);
    details.put("settle_ms", (System.nanoTime() - t0) / 1_000_000);
    return new WorkloadResult(timed, engine.writeCounters(), details);
  }

  private PhaseResult writePhase(EngineAdapter engine, WorkloadParams params, long ops, long seed) {
    int threads = (int) Math.min(threads(params), ops);
    int batchSize = batchSize(params);
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<LatencyRecorder> recorders = new ArrayList<>();
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long share = ops / threads + (t < ops % threads ? 1 : 0);
      LatencyRecorder recorder = new LatencyRecorder((int) ((share + batchSize - 1) / batchSize));
      recorders.add(recorder);
      KeyValueSource source = new KeyValueSource(seed, t, params.keySize(), params.valueSize());
      Runnable body =
          () -> {
            ready.countDown();
            try {
              start.await();
              write(engine, source, share, batchSize, recorder);
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
            }
          };
      Thread writer = new Thread(body, "bench-writer-" + t);
      writers.add(writer);
      writer.start();
    }
    Uninterruptibly.await(ready);
    long begin = System.nanoTime();
    start.countDown();
    for (Thread writer : writers) {
      Uninterruptibly.join(writer);
    }
    long elapsed = System.nanoTime() - begin;
    if (failure.get() != null) {
      throw new IllegalStateException(
          "workload " + id + " failed on " + engine.name() + ": " + failure.get(), failure.get());
    }
    return PhaseResult.of(ops, threads, batchSize, sync, elapsed, LatencyRecorder.merge(recorders));
  }

  private void write(
      EngineAdapter engine,
      KeyValueSource source,
      long share,
      int batchSize,
      LatencyRecorder recorder) {
    if (batchSize == 1) {
      for (long i = 0; i < share; i++) {
        byte[] key = source.nextKey();
        byte[] value = source.nextValue();
        long t0 = System.nanoTime();
        engine.put(key, value, sync);
        recorder.record(System.nanoTime() - t0);
      }
      return;
    }
    for (long done = 0; done < share; ) {
      int count = (int) Math.min(batchSize, share - done);
      byte[][] keys = new byte[count][];
      byte[][] values = new byte[count][];
      for (int i = 0; i < count; i++) {
        keys[i] = source.nextKey();
        values[i] = source.nextValue();
      }
      long t0 = System.nanoTime();
      engine.writeBatch(keys, values, count, sync);
      recorder.record(System.nanoTime() - t0);
      done += count;
    }
  }
}
