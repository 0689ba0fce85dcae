package io.kevo.bench.replication;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ManagedChannel;
import io.kevo.bench.report.LatencyHistogram;
import io.kevo.bench.report.MachineInfo;
import io.kevo.bench.report.ProcessCpu;
import io.kevo.bench.server.ClientLoops;
import io.kevo.bench.server.PhaseClock;
import io.kevo.bench.server.RemoteApi;
import io.kevo.bench.server.Tally;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.Operation;
import io.kevo.proto.PutRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** The three measurements, each on a running {@link Cluster}. Stateless. */
final class Phases {
  /** Key spaces, so that no phase writes a key another one wrote. */
  private static final long THROUGHPUT_SPACE = 0x7409_0000L;

  private static final long LAG_SPACE = 0x1A60_0000L;
  private static final long CATCHUP_SPACE = 0xCA7C_0000L;
  private static final long CONVERGE_TIMEOUT_MS = 300_000;
  private static final long GIVE_UP_MS = 60_000;

  private Phases() {}

  /**
   * {@code clients} writers as fast as the node answers, or paced at {@code rate} puts/s together
   * when it is positive: {@code warmupSeconds} untimed, then {@code durationSeconds} timed; then
   * how far behind the replicas were and how long they took to catch up.
   */
  static ThroughputRun throughput(
      Cluster c, ReplicationParams p, String side, String codec, int run, double rate) {
    double load = MachineInfo.loadAverage();
    boolean replicated = !c.replicas().isEmpty();
    Cluster.Wire wire0 = replicated ? c.wire() : null;
    List<ManagedChannel> channels = channels(c, p.connections());
    PutCaller.KeyStream keys =
        new PutCaller.KeyStream(p.seed(), THROUGHPUT_SPACE + run, p.keySize());
    try {
      PhaseClock clock = new PhaseClock();
      ClientLoops.Running running =
          rate > 0
              ? ClientLoops.paced(p.clients(), rate, writers(channels, keys, p, run), clock)
              : ClientLoops.async(p.clients(), writers(channels, keys, p, run), clock);
      Tally tally;
      long began;
      long ended;
      CpuWindow window;
      List<Long> lag = new ArrayList<>();
      try {
        Sleep.seconds(p.warmupSeconds());
        window = CpuWindow.open(c);
        began = System.nanoTime();
        clock.startMeasuring();
        Sleep.seconds(p.durationSeconds());
        clock.awaitFirstCounted();
      } finally {
        clock.drain();
      }
      ended = System.nanoTime();
      CpuWindow.Result cpu = window.close((ended - began) / 1e9);
      List<Long> applied = new ArrayList<>();
      for (Cluster.Node r : c.replicas()) {
        applied.add(r.applied());
      }
      long last = c.primaryLast();
      applied.forEach(a -> lag.add(Math.max(0, last - a)));
      tally = running.finish();
      Double convergeMs = null;
      if (replicated) {
        long finalLast = c.primaryLast();
        convergeMs = waitedSince(ended, c, finalLast);
      }
      LatencyHistogram h = tally.latency();
      return new ThroughputRun(
          side,
          codec,
          run,
          tally.calls(),
          (ended - began) / 1e9,
          h.percentile(50) / 1e3,
          h.percentile(99) / 1e3,
          cpu.cores(),
          cpu.jitShare(),
          cpu.stealShare(),
          lag,
          convergeMs,
          replicated ? c.wire().minus(wire0) : null,
          load);
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }

  /** Milliseconds from {@code since} until every replica has applied {@code sequence}. */
  private static double waitedSince(long since, Cluster c, long sequence) {
    c.awaitApplied(sequence, CONVERGE_TIMEOUT_MS);
    return (System.nanoTime() - since) / 1e6;
  }

  /**
   * Writers paced at {@code rate} puts/s and one visibility probe per replica: {@code
   * lagWarmupSeconds} untimed, then {@code lagDurationSeconds} of samples.
   */
  static VisibilityResult visibility(Cluster c, ReplicationParams p, double rate, double maxRate) {
    double load = MachineInfo.loadAverage();
    Cluster.Wire wire0 = c.wire();
    List<ManagedChannel> channels = channels(c, p.connections());
    PutCaller.KeyStream keys = new PutCaller.KeyStream(p.seed(), LAG_SPACE, p.keySize());
    PhaseClock clock = new PhaseClock();
    List<VisibilityProbe> probes = new ArrayList<>();
    try {
      ClientLoops.Running running =
          ClientLoops.paced(p.clients(), rate, writers(channels, keys, p, 1_000), clock);
      long began;
      long ended;
      CpuWindow window;
      try {
        long interval = (long) (p.probeIntervalMs() * 1e6);
        for (int i = 0; i < c.replicas().size(); i++) {
          Cluster.Node r = c.replicas().get(i);
          probes.add(
              new VisibilityProbe(
                  r.name,
                  c.primary().port(),
                  r.port(),
                  i,
                  p.seed(),
                  p.keySize(),
                  p.valueSize(),
                  interval,
                  clock));
        }
        Sleep.seconds(p.lagWarmupSeconds());
        window = CpuWindow.open(c);
        began = System.nanoTime();
        clock.startMeasuring();
        Sleep.seconds(p.lagDurationSeconds());
        for (VisibilityProbe probe : probes) {
          probe.awaitFirstSample(GIVE_UP_MS);
        }
      } finally {
        clock.drain();
      }
      ended = System.nanoTime();
      double seconds = (ended - began) / 1e9;
      CpuWindow.Result cpu = window.close(seconds);
      Tally tally = running.finish();
      List<VisibilityProbe.Result> results = new ArrayList<>();
      for (VisibilityProbe probe : probes) {
        results.add(probe.finish());
      }
      c.awaitApplied(c.primaryLast(), CONVERGE_TIMEOUT_MS);
      LatencyHistogram h = tally.latency();
      return new VisibilityResult(
          rate,
          maxRate,
          tally.calls() / seconds,
          seconds,
          h.percentile(50) / 1e3,
          h.percentile(99) / 1e3,
          p.probeIntervalMs(),
          results,
          cpu.cores(),
          cpu.jitShare(),
          cpu.stealShare(),
          c.wire().minus(wire0),
          load);
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }

  /**
   * Stops the last replica once it has everything, writes {@code catchupEntries} on the primary,
   * starts the replica again and polls its applied sequence every 10 ms until it has them all.
   */
  static CatchUpResult catchUp(Cluster c, ReplicationParams p) {
    Cluster.Node r = c.replicas().get(c.replicas().size() - 1);
    c.awaitApplied(c.primaryLast(), CONVERGE_TIMEOUT_MS);
    long from = r.applied();
    c.stop(r);
    System.err.printf(
        "  catch-up: %s stopped at sequence %,d; writing %,d entries (%d per write)%n",
        r.name, from, p.catchupEntries(), p.catchupBatch());
    long l0 = System.nanoTime();
    ManagedChannel ch = RemoteApi.channel("127.0.0.1", c.primary().port());
    try {
      write(ch, p, p.catchupEntries(), p.catchupBatch());
    } finally {
      ch.shutdownNow();
    }
    double loadSeconds = (System.nanoTime() - l0) / 1e9;
    long to = c.primaryLast();
    System.err.printf(
        "  catch-up: wrote them in %.1f s; primary at %,d; starting %s again%n",
        loadSeconds, to, r.name);
    double load = MachineInfo.loadAverage();
    long t0 = System.nanoTime();
    c.start(r);
    double servingMs = (System.nanoTime() - t0) / 1e6;
    List<long[]> curve = new ArrayList<>();
    double firstMs = -1;
    long firstApplied = -1;
    OptionalLong cpuFirst = OptionalLong.empty();
    long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(CONVERGE_TIMEOUT_MS);
    while (true) {
      long applied = r.applied();
      long now = System.nanoTime();
      double ms = (now - t0) / 1e6;
      curve.add(new long[] {Math.round(ms), applied});
      if (applied > from && firstMs < 0) {
        firstMs = ms;
        firstApplied = applied;
        cpuFirst = r.cpuNanos();
      }
      if (applied >= to) {
        OptionalLong cpuLast = r.cpuNanos();
        Double cores =
            cpuFirst.isPresent() && cpuLast.isPresent() && ms > firstMs
                ? (cpuLast.getAsLong() - cpuFirst.getAsLong()) / 1e6 / (ms - firstMs)
                : null;
        return new CatchUpResult(
            p.catchupEntries(),
            p.catchupBatch(),
            loadSeconds,
            from,
            to,
            servingMs,
            firstMs,
            firstApplied,
            ms,
            cores,
            curve,
            load);
      }
      if (now > deadline) {
        throw new IllegalStateException(
            r.name
                + " did not catch up within "
                + CONVERGE_TIMEOUT_MS
                + " ms (at "
                + applied
                + ")");
      }
      Sleep.millis(10);
    }
  }

  /**
   * Writes {@code n} entries of the catch-up key space: single puts with {@code clients} (at least
   * 64) in flight, or BatchWrites of {@code batch} puts with 4 in flight.
   */
  private static void write(ManagedChannel ch, ReplicationParams p, long n, int batch) {
    KevoServiceGrpc.KevoServiceStub stub = KevoServiceGrpc.newStub(ch);
    // Loading is not measured: more calls in flight than the writers use, to get it over with.
    int window = batch == 1 ? Math.max(p.clients(), 64) : 4;
    CallWindow calls = new CallWindow(window, "catch-up writes");
    PutCaller.KeyStream keys = new PutCaller.KeyStream(p.seed(), CATCHUP_SPACE, p.keySize());
    CompressibleValues values =
        new CompressibleValues(p.seed() ^ CATCHUP_SPACE, p.valueSize(), p.randomFraction());
    for (long done = 0; done < n && calls.open(); ) {
      calls.acquire();
      int count = (int) Math.min(batch, n - done);
      if (batch == 1) {
        stub.put(
            PutRequest.newBuilder()
                .setKey(UnsafeByteOperations.unsafeWrap(keys.next()))
                .setValue(UnsafeByteOperations.unsafeWrap(values.next()))
                .build(),
            calls.observer());
      } else {
        BatchWriteRequest.Builder b = BatchWriteRequest.newBuilder();
        for (int i = 0; i < count; i++) {
          b.addOperations(
              Operation.newBuilder()
                  .setType(Operation.Type.PUT)
                  .setKey(UnsafeByteOperations.unsafeWrap(keys.next()))
                  .setValue(UnsafeByteOperations.unsafeWrap(values.next())));
        }
        stub.batchWrite(b.build(), calls.observer());
      }
      done += count;
    }
    calls.finish();
  }

  static List<ManagedChannel> channels(Cluster c, int connections) {
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      channels.add(RemoteApi.channel("127.0.0.1", c.primary().port()));
    }
    return channels;
  }

  private static IntFunction<io.kevo.bench.server.Caller> writers(
      List<ManagedChannel> channels, PutCaller.KeyStream keys, ReplicationParams p, int run) {
    return i -> {
      ManagedChannel ch = channels.get(i % channels.size());
      return new PutCaller(
          KevoServiceGrpc.newStub(ch),
          KevoServiceGrpc.newBlockingStub(ch),
          keys,
          new CompressibleValues(
              p.seed() * 31 + run * 1_000L + i, p.valueSize(), p.randomFraction()));
    };
  }

  /** CPU so far of every node and of this JVM ({@code bench}). */
  static Map<String, OptionalLong> cpu(Cluster c) {
    Map<String, OptionalLong> m = c.cpu();
    m.put(
        "bench",
        ProcessCpu.self().map(s -> OptionalLong.of(s.totalNanos())).orElse(OptionalLong.empty()));
    return m;
  }

  static Map<String, Double> cores(
      Map<String, OptionalLong> from, Map<String, OptionalLong> to, double seconds) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Map.Entry<String, OptionalLong> e : from.entrySet()) {
      OptionalLong b = to.get(e.getKey());
      if (e.getValue().isPresent() && b != null && b.isPresent()) {
        m.put(e.getKey(), (b.getAsLong() - e.getValue().getAsLong()) / 1e9 / seconds);
      }
    }
    return m;
  }

  /** Runs one step of a benchmark; a failure is printed and reported as false. */
  static boolean attempt(Runnable step) {
    try {
      step.run();
      return true;
    } catch (RuntimeException e) {
      System.err.println("  FAILED: " + e);
      e.printStackTrace();
      return false;
    }
  }
}
