package io.kevo.bench.workload;

import io.kevo.bench.adapter.EngineTransaction;
import io.kevo.bench.adapter.TransactionalEngine;
import io.kevo.bench.report.LatencyHistogram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code tx} benchmark's workload: load {@code num} keys (untimed, in batches, flushed and
 * compacted by {@link Loader}, as for {@code mixed}), then {@code threads} threads each run
 * transactions back to back: begin, {@code readsPerTx} point reads of random loaded keys (each must
 * find its key), {@code writesPerTx} puts of fresh values under distinct random loaded keys,
 * commit, close. A transaction that loses a conflict is an abort: the thread moves on to a new
 * transaction with new keys (no retry). First an untimed warm-up of {@code warmupSeconds}, then the
 * timed phase for {@code durationSeconds} (each thread starts no transaction after the deadline) or
 * until {@code txns} transactions were attempted in all.
 *
 * <p>Keys and values are generated before {@code begin}, outside both latencies but inside the wall
 * time (identical for both engines). Stateless; thread-safe.
 */
public final class TxWorkload {
  private static final long WARMUP_SALT = 0x7A_0000_0001L;

  private TxWorkload() {}

  /**
   * What the timed phase measured.
   *
   * @param attempts transactions begun
   * @param commits transactions committed
   * @param aborts transactions that lost a conflict at commit
   * @param seconds wall time of the timed phase
   * @param commit latency of the {@code commit} call, every attempt (committed or aborted)
   * @param whole latency from {@code begin} to after {@code close}, every attempt
   * @param details load counters and the like
   */
  public record Result(
      long attempts,
      long commits,
      long aborts,
      double seconds,
      LatencyHistogram commit,
      LatencyHistogram whole,
      Map<String, Long> details) {}

  /** Loads, warms up and runs the timed phase against {@code engine}. */
  public static Result run(TransactionalEngine engine, TxParams p) {
    Map<String, Long> details = new LinkedHashMap<>();
    Loader.load(engine, p.loadParams(), p.num(), details);
    if (p.warmupSeconds() > 0) {
      Phase warm = phase(engine, p, WARMUP_SALT, p.warmupSeconds(), 0);
      details.put("warmup_attempts", warm.attempts);
      details.put("warmup_commits", warm.commits);
    }
    Phase timed = phase(engine, p, 0, p.durationSeconds(), p.txns());
    return new Result(
        timed.attempts,
        timed.commits,
        timed.aborts,
        timed.elapsedNanos / 1e9,
        timed.commit,
        timed.whole,
        details);
  }

  private record Phase(
      long attempts,
      long commits,
      long aborts,
      long elapsedNanos,
      LatencyHistogram commit,
      LatencyHistogram whole) {}

  /** Per-thread tallies, merged after the threads are joined. */
  private static final class Tally {
    long attempts;
    long commits;
    long aborts;
    final LatencyHistogram commit = new LatencyHistogram();
    final LatencyHistogram whole = new LatencyHistogram();
  }

  /** Runs for {@code seconds} (when > 0) or {@code txns} attempts in all. */
  private static Phase phase(
      TransactionalEngine engine, TxParams p, long salt, double seconds, long txns) {
    int n = p.threads();
    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long[] deadline = new long[1];
    List<Tally> tallies = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      int thread = t;
      long share = txns == 0 ? Long.MAX_VALUE : txns / n + (t < txns % n ? 1 : 0);
      Tally tally = new Tally();
      tallies.add(tally);
      Thread worker =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  start.await();
                  loop(engine, p, salt, thread, share, seconds > 0 ? deadline[0] : 0, tally);
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              },
              "bench-tx-" + t);
      workers.add(worker);
      worker.start();
    }
    Uninterruptibly.await(ready);
    long begin = System.nanoTime();
    // Published to the workers by the latch below (happens-before via countDown/await).
    deadline[0] = begin + (long) (seconds * 1e9);
    start.countDown();
    for (Thread worker : workers) {
      Uninterruptibly.join(worker);
    }
    long elapsed = System.nanoTime() - begin;
    if (failure.get() != null) {
      throw new IllegalStateException(
          "tx on " + engine.name() + " failed: " + failure.get(), failure.get());
    }
    Tally all = new Tally();
    for (Tally t : tallies) {
      all.attempts += t.attempts;
      all.commits += t.commits;
      all.aborts += t.aborts;
      all.commit.add(t.commit);
      all.whole.add(t.whole);
    }
    return new Phase(all.attempts, all.commits, all.aborts, elapsed, all.commit, all.whole);
  }

  /** One thread's transactions; {@code deadline} 0 means bounded by {@code share} only. */
  private static void loop(
      TransactionalEngine engine,
      TxParams p,
      long salt,
      int thread,
      long share,
      long deadline,
      Tally tally) {
    SplittableRandom random =
        new SplittableRandom((p.seed() ^ 0x7_1C7_0000L ^ salt) * 0x9E3779B97F4A7C15L + thread);
    byte[][] reads = new byte[p.readsPerTx()][];
    byte[][] writes = new byte[p.writesPerTx()][];
    long[] writeIndexes = new long[p.writesPerTx()];
    byte[][] values = new byte[p.writesPerTx()][];
    for (long i = 0; i < share; i++) {
      if (deadline != 0 && System.nanoTime() - deadline >= 0) {
        break;
      }
      for (int r = 0; r < reads.length; r++) {
        reads[r] = Keys.random(p.seed(), Keys.LOADED, random.nextLong(p.num()), p.keySize());
      }
      for (int w = 0; w < writes.length; w++) {
        writeIndexes[w] = distinct(random, p.num(), writeIndexes, w);
        writes[w] = Keys.random(p.seed(), Keys.LOADED, writeIndexes[w], p.keySize());
        values[w] = Loader.value(random, p.valueSize());
      }
      long t0 = System.nanoTime();
      long commitNanos;
      boolean committed;
      try (EngineTransaction tx = engine.begin()) {
        for (byte[] key : reads) {
          // A pessimistic transaction that timed out on a lock or closed a deadlock is rolled
          // back: its read answers nothing and its commit fails (an abort), not a missing key.
          if (tx.get(key) == null && !tx.rolledBack()) {
            throw new IllegalStateException("tx on " + engine.name() + ": a loaded key is missing");
          }
        }
        for (int w = 0; w < writes.length; w++) {
          tx.put(writes[w], values[w]);
        }
        long c0 = System.nanoTime();
        committed = tx.commit();
        commitNanos = System.nanoTime() - c0;
      }
      tally.whole.record(System.nanoTime() - t0);
      tally.commit.record(commitNanos);
      tally.attempts++;
      if (committed) {
        tally.commits++;
      } else {
        tally.aborts++;
      }
    }
  }

  /** A random index below {@code num} unlike the first {@code count} of {@code taken}. */
  private static long distinct(SplittableRandom random, long num, long[] taken, int count) {
    while (true) {
      long candidate = random.nextLong(num);
      boolean fresh = true;
      for (int i = 0; i < count; i++) {
        fresh &= taken[i] != candidate;
      }
      if (fresh) {
        return candidate;
      }
    }
  }
}
