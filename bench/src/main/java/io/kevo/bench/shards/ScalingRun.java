package io.kevo.bench.shards;

import io.kevo.bench.report.ProcessCpu;
import io.kevo.client.KevoClient;
import io.kevo.coordination.ShardMap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One point of the scaling phase: {@code shards} shards of one node each ({@link ShardMap#even},
 * keys of 16 random bytes, so each shard gets its share), {@code clients} threads of one routing
 * client putting for the warm-up and then for the timed window, then getting keys they wrote for
 * the timed window. Measures throughput and the CPU the nodes (and this JVM, the client) used.
 */
final class ScalingRun {
  /** What one point measured. */
  record Point(
      int shards,
      double writesPerSec,
      double readsPerSec,
      double writeNodeCores,
      double readNodeCores,
      double writeClientCores,
      double readClientCores,
      double writeNodeCpuUsPerOp,
      double readNodeCpuUsPerOp,
      double writeJitShare,
      double readJitShare) {

    /** Writes per second per core the nodes used. */
    double writesPerNodeCore() {
      return writeNodeCores > 0 ? writesPerSec / writeNodeCores : 0;
    }

    /** Reads per second per core the nodes used. */
    double readsPerNodeCore() {
      return readNodeCores > 0 ? readsPerSec / readNodeCores : 0;
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("shards", shards);
      m.put("writes_per_sec", writesPerSec);
      m.put("reads_per_sec", readsPerSec);
      m.put("write_node_cores", writeNodeCores);
      m.put("read_node_cores", readNodeCores);
      m.put("write_client_cores", writeClientCores);
      m.put("read_client_cores", readClientCores);
      m.put("write_node_cpu_us_per_op", writeNodeCpuUsPerOp);
      m.put("read_node_cpu_us_per_op", readNodeCpuUsPerOp);
      m.put("write_node_jit_share", writeJitShare);
      m.put("read_node_jit_share", readJitShare);
      m.put("writes_per_node_core", writesPerNodeCore());
      m.put("reads_per_node_core", readsPerNodeCore());
      return m;
    }
  }

  private ScalingRun() {}

  static Point run(Path dir, int shards, ShardsParams p) throws Exception {
    try (ShardedCluster cluster =
        ShardedCluster.start(dir, ShardMap.even(shards), p.nodeJvmArgs())) {
      for (int i = 1; i <= shards; i++) {
        cluster.startNode("s" + i + "n1", "s" + i);
      }
      for (int i = 1; i <= shards; i++) {
        cluster.awaitPrimary("s" + i, Duration.ofSeconds(60));
      }
      try (KevoClient client = KevoClient.connect(cluster.zkTarget())) {
        List<List<byte[]>> written = new ArrayList<>();
        for (int t = 0; t < p.clients(); t++) {
          written.add(new ArrayList<>());
        }
        byte[] value = new byte[p.valueSize()];
        BiConsumer<Integer, SplittableRandom> put =
            (t, r) -> {
              byte[] key = new byte[16];
              r.nextBytes(key);
              client.put(key, value);
              List<byte[]> mine = written.get(t);
              if (mine.size() < 1_000_000) {
                mine.add(key);
              }
            };
        window(p.clients(), p.warmup(), put); // warm-up: JIT, connections, memtables
        long nodes0 = cluster.nodesCpuNanos();
        long jit0 = cluster.nodesCompilerNanos();
        long self0 = selfCpu();
        long writes = window(p.clients(), p.duration(), put);
        long nodes1 = cluster.nodesCpuNanos();
        long jit1 = cluster.nodesCompilerNanos();
        long self1 = selfCpu();
        List<byte[]> anyKeys = // read by a thread that wrote nothing
            written.stream()
                .filter(l -> !l.isEmpty())
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "no put finished in the warm-up and the timed window"));
        BiConsumer<Integer, SplittableRandom> get =
            (t, r) -> {
              List<byte[]> mine = written.get(t).isEmpty() ? anyKeys : written.get(t);
              client.get(mine.get(r.nextInt(mine.size())));
            };
        long reads = window(p.clients(), p.duration(), get);
        long nodes2 = cluster.nodesCpuNanos();
        long jit2 = cluster.nodesCompilerNanos();
        long self2 = selfCpu();
        double secs = p.duration().toNanos() / 1e9;
        return new Point(
            shards,
            writes / secs,
            reads / secs,
            (nodes1 - nodes0) / 1e9 / secs,
            (nodes2 - nodes1) / 1e9 / secs,
            (self1 - self0) / 1e9 / secs,
            (self2 - self1) / 1e9 / secs,
            writes == 0 ? 0 : (nodes1 - nodes0) / 1e3 / writes,
            reads == 0 ? 0 : (nodes2 - nodes1) / 1e3 / reads,
            share(jit1 - jit0, nodes1 - nodes0),
            share(jit2 - jit1, nodes2 - nodes1));
      }
    }
  }

  /** Runs {@code op} on {@code threads} threads for {@code length}; returns how many ran. */
  static long window(int threads, Duration length, BiConsumer<Integer, SplittableRandom> op)
      throws InterruptedException {
    AtomicLong done = new AtomicLong();
    java.util.concurrent.atomic.AtomicReference<RuntimeException> failed =
        new java.util.concurrent.atomic.AtomicReference<>();
    long end = System.nanoTime() + length.toNanos();
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                SplittableRandom r = new SplittableRandom(id * 7919L + System.nanoTime());
                long n = 0;
                try {
                  while (System.nanoTime() < end) {
                    op.accept(id, r);
                    n++;
                  }
                } catch (RuntimeException e) {
                  failed.compareAndSet(null, e);
                }
                done.addAndGet(n);
              },
              "bench-shards-" + t);
      th.start();
      all.add(th);
    }
    for (Thread th : all) {
      th.join();
    }
    if (failed.get() != null) {
      throw new IllegalStateException(
          "a client call failed: " + failed.get().getMessage(), failed.get());
    }
    return done.get();
  }

  private static double share(long part, long whole) {
    return whole <= 0 ? 0 : Math.max(0, (double) part / whole);
  }

  private static long selfCpu() {
    return ProcessCpu.self().map(ProcessCpu.Sample::totalNanos).orElse(0L);
  }
}
