package io.kevo.bench.shards;

import io.kevo.bench.report.LatencyRecorder;
import io.kevo.client.KevoClient;
import io.kevo.client.Op;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardSplit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The split phase: one shard of one node loaded with {@code splitKeys} keys ({@code k000000000}
 * on), a node for the new shard started, then {@code kevo cluster split}'s own steps ({@link
 * ShardSplit}) at the middle key while writer threads put keys of both halves; measures the split's
 * time, its steps, the moving keys' pause, the writes' latencies on each side, and reads back a
 * sample of the keys afterwards.
 */
final class SplitRun {
  /** What the split measured. */
  record Result(
      long keys,
      double loadSeconds,
      double splitSeconds,
      double learnSeconds,
      double pauseMs,
      long movingMaxUs,
      long movingP99Us,
      long stayingMaxUs,
      long stayingP99Us,
      long writesDuring,
      long failedWrites,
      Map<String, Long> failureCauses,
      long sampled,
      long missing,
      List<String> steps) {

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("keys", keys);
      m.put("load_seconds", loadSeconds);
      m.put("split_seconds", splitSeconds);
      m.put("learn_seconds", learnSeconds);
      m.put("moving_keys_pause_ms", pauseMs);
      m.put("moving_put_max_us", movingMaxUs);
      m.put("moving_put_p99_us", movingP99Us);
      m.put("staying_put_max_us", stayingMaxUs);
      m.put("staying_put_p99_us", stayingP99Us);
      m.put("writes_during_split", writesDuring);
      m.put("failed_writes", failedWrites);
      m.put("failure_causes", failureCauses);
      m.put("read_back_sampled", sampled);
      m.put("read_back_missing", missing);
      m.put("steps", steps);
      return m;
    }
  }

  private SplitRun() {}

  static byte[] key(long i) {
    return String.format("k%09d", i).getBytes(StandardCharsets.UTF_8);
  }

  static Result run(Path dir, ShardsParams p) throws Exception {
    long n = p.splitKeys();
    try (ShardedCluster cluster = ShardedCluster.start(dir, ShardMap.even(1), p.nodeJvmArgs())) {
      cluster.startNode("s1n1", "s1");
      cluster.awaitPrimary("s1", Duration.ofSeconds(60));
      try (KevoClient client = KevoClient.connect(cluster.zkTarget())) {
        byte[] value = new byte[p.valueSize()];
        long t0 = System.nanoTime();
        load(client, n, value);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        cluster.startNode("s2n1", "s2");

        List<LatencyRecorder> moving = new ArrayList<>(); // one per writer: not thread-safe
        List<LatencyRecorder> staying = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Map<String, Long> causes = new ConcurrentSkipListMap<>();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < p.splitWriters(); t++) {
          int id = t;
          LatencyRecorder myMoving = new LatencyRecorder(1 << 16);
          LatencyRecorder myStaying = new LatencyRecorder(1 << 16);
          moving.add(myMoving);
          staying.add(myStaying);
          Thread w =
              new Thread(
                  () -> {
                    SplittableRandom r = new SplittableRandom(id);
                    while (!stop.get()) {
                      long i = r.nextLong(n);
                      long start = System.nanoTime();
                      try {
                        client.put(key(i), value);
                        long took = System.nanoTime() - start;
                        (i >= n / 2 ? myMoving : myStaying).record(took);
                        writes.incrementAndGet();
                      } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        causes.merge(e.toString(), 1L, Long::sum);
                      }
                    }
                  },
                  "bench-split-writer-" + t);
          w.start();
          writers.add(w);
        }
        List<String> steps = new CopyOnWriteArrayList<>();
        long[] fenceAsked = {0};
        long s0 = System.nanoTime();
        ShardSplit.Outcome o =
            new ShardSplit(
                    cluster.admin(),
                    new ShardSplit.Settings(Duration.ofMinutes(30), Duration.ofSeconds(60), 1_000),
                    line -> {
                      long at = System.nanoTime();
                      if (line.startsWith("asked shard") && fenceAsked[0] == 0) {
                        fenceAsked[0] = at;
                      }
                      steps.add(String.format("%.3f s: %s", (at - s0) / 1e9, line));
                    })
                .run("s1", key(n / 2), "s2");
        double splitSeconds = (System.nanoTime() - s0) / 1e9;
        Thread.sleep(2_000); // writes on both sides after the split
        stop.set(true);
        for (Thread w : writers) {
          w.join();
        }
        long[] mv = LatencyRecorder.merge(moving);
        long[] st = LatencyRecorder.merge(staying);
        long sampled = Math.min(n, 20_000);
        long missing = 0;
        SplittableRandom r = new SplittableRandom(99);
        for (long k = 0; k < sampled; k++) {
          if (client.get(key(r.nextLong(n))).isEmpty()) {
            missing++;
          }
        }
        return new Result(
            n,
            loadSeconds,
            splitSeconds,
            fenceAsked[0] == 0 ? 0 : (fenceAsked[0] - s0) / 1e9,
            o.pause().toNanos() / 1e6,
            micros(mv, 100),
            micros(mv, 99),
            micros(st, 100),
            micros(st, 99),
            writes.get(),
            failed.get(),
            Map.copyOf(causes),
            sampled,
            missing,
            List.copyOf(steps));
      }
    }
  }

  private static long micros(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : LatencyRecorder.percentile(sorted, p) / 1_000;
  }

  /** Puts keys 0..n-1 in batches from four threads. */
  private static void load(KevoClient client, long n, byte[] value) throws InterruptedException {
    int threads = 4;
    int batch = 500;
    List<Thread> all = new ArrayList<>();
    AtomicLong next = new AtomicLong();
    List<RuntimeException> errors = new CopyOnWriteArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  long from;
                  while ((from = next.getAndAdd(batch)) < n) {
                    List<Op> ops = new ArrayList<>(batch);
                    for (long i = from; i < Math.min(n, from + batch); i++) {
                      ops.add(Op.put(key(i), value));
                    }
                    client.batch(ops);
                  }
                } catch (RuntimeException e) {
                  errors.add(e);
                }
              },
              "bench-split-load-" + t);
      th.start();
      all.add(th);
    }
    for (Thread th : all) {
      th.join();
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException(
          "loading failed: " + errors.get(0).getMessage(), errors.get(0));
    }
  }
}
