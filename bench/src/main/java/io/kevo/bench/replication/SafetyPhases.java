package io.kevo.bench.replication;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.kevo.bench.report.LatencyHistogram;
import io.kevo.bench.report.MachineInfo;
import io.kevo.bench.run.Dirs;
import io.kevo.bench.server.Caller;
import io.kevo.bench.server.ClientLoops;
import io.kevo.bench.server.PhaseClock;
import io.kevo.bench.server.RemoteApi;
import io.kevo.bench.server.Tally;
import io.kevo.bench.workload.Keys;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.CompactRequest;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.Operation;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.wire.AckLevel;
import io.kevo.wire.PrimarySide;
import io.kevo.wire.ReplicaSide;
import io.kevo.wire.WireMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** The three measurements of the {@code safety} benchmark, each on a running {@link Cluster}. */
final class SafetyPhases {
  /** Key spaces, so that no phase writes a key another one wrote. */
  private static final long ACKS_SPACE = 0xAC50_0000L;

  private static final long RYW_SPACE = 0x5A10_0000L;
  private static final long BOOTSTRAP_SPACE = 0xB007_0000L;
  private static final long CONVERGE_TIMEOUT_MS = 300_000;
  private static final long BOOTSTRAP_TIMEOUT_MS = 600_000;
  private static final int LOAD_BATCH = 1_000;
  private static final int LOAD_IN_FLIGHT = 4;

  /** Logs the replica's snapshot fetch at INFO (the child JVMs log at WARN otherwise). */
  static final String BOOTSTRAP_LOG_ARG =
      "-Dorg.slf4j.simpleLogger.log.io.kevo.replication.replica.SnapshotFetch=info";

  private SafetyPhases() {}

  /**
   * {@code clients} writers as fast as the node answers, each put sent with {@code kevo-ack: level}
   * (nothing on a standalone node, {@code level} null): {@code warmupSeconds} untimed, then {@code
   * durationSeconds} timed; then how far behind the replicas were and how long they took to have
   * everything.
   */
  static AckRun acks(Cluster c, SafetyParams p, AckLevel level, int run) {
    double load = MachineInfo.loadAverage();
    boolean replicated = !c.replicas().isEmpty();
    Map<String, Long> counters0 = replicated ? ackCounters(c) : Map.of();
    List<ManagedChannel> channels = Phases.channels(c, p.connections());
    int salt = level == null ? 0 : 1 + p.levels().indexOf(level);
    PutCaller.KeyStream keys =
        new PutCaller.KeyStream(p.seed(), ACKS_SPACE + run * 16L + salt, p.keySize());
    try {
      PhaseClock clock = new PhaseClock();
      ClientLoops.Running running =
          ClientLoops.async(p.clients(), writers(channels, keys, p, level, run), clock);
      long began;
      CpuWindow window;
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
      long ended = System.nanoTime();
      double seconds = (ended - began) / 1e9;
      CpuWindow.Result cpu = window.close(seconds);
      List<Long> applied = new ArrayList<>();
      for (Cluster.Node r : c.replicas()) {
        applied.add(r.applied());
      }
      long last = c.primaryLast();
      List<Long> lag = new ArrayList<>();
      applied.forEach(a -> lag.add(Math.max(0, last - a)));
      Tally tally = running.finish();
      Double convergeMs = null;
      Map<String, Long> counters = Map.of();
      if (replicated) {
        c.awaitApplied(c.primaryLast(), CONVERGE_TIMEOUT_MS);
        convergeMs = (System.nanoTime() - ended) / 1e6;
        counters = minus(ackCounters(c), counters0);
      }
      LatencyHistogram h = tally.latency();
      return new AckRun(
          level == null ? AckRun.STANDALONE : level.toString(),
          run,
          tally.calls(),
          tally.found(),
          seconds,
          h.percentile(50) / 1e3,
          h.percentile(99) / 1e3,
          h.percentile(99.9) / 1e3,
          h.max() / 1e3,
          cpu.cores(),
          cpu.jitShare(),
          cpu.stealShare(),
          lag,
          convergeMs,
          counters,
          load);
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }

  private static IntFunction<Caller> writers(
      List<ManagedChannel> channels,
      PutCaller.KeyStream keys,
      SafetyParams p,
      AckLevel level,
      int run) {
    return i -> {
      ManagedChannel ch = channels.get(i % channels.size());
      KevoServiceGrpc.KevoServiceStub async = KevoServiceGrpc.newStub(ch);
      KevoServiceGrpc.KevoServiceBlockingStub blocking = KevoServiceGrpc.newBlockingStub(ch);
      if (level != null) {
        Metadata md = new Metadata();
        md.put(WireMetadata.ACK, level.toString());
        async = async.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
        blocking = blocking.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
      }
      return new PutCaller(
          async,
          blocking,
          keys,
          new CompressibleValues(
              p.seed() * 37 + run * 1_000L + i, p.valueSize(), p.randomFraction()),
          true);
    };
  }

  private static Map<String, Long> ackCounters(Cluster c) {
    NodeFigures f = c.primary().info();
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("ack_waits", f.primary(PrimarySide::ackWaits));
    out.put("ack_confirmed", f.primary(PrimarySide::ackConfirmed));
    out.put("ack_not_confirmed", f.primary(PrimarySide::ackNotConfirmed));
    return out;
  }

  private static Map<String, Long> replicaCounters(Cluster c) {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("read_waits", 0L);
    out.put("read_wait_timeouts", 0L);
    for (Cluster.Node r : c.replicas()) {
      NodeFigures f = r.info();
      out.merge("read_waits", f.replica(ReplicaSide::readWaits, 0), Long::sum);
      out.merge("read_wait_timeouts", f.replica(ReplicaSide::readWaitTimeouts, 0), Long::sum);
    }
    return out;
  }

  private static Map<String, Long> minus(Map<String, Long> a, Map<String, Long> b) {
    Map<String, Long> out = new LinkedHashMap<>();
    a.forEach((k, v) -> out.put(k, v - b.getOrDefault(k, 0L)));
    return out;
  }

  /**
   * One {@link RywProbe} per replica while {@code rywWriters} background writers put at {@code
   * rate} puts/s (none at 0): {@code warmupSeconds} untimed, then {@code durationSeconds} of
   * samples.
   */
  static RywResult ryw(Cluster c, SafetyParams p, double rate, int window) {
    double load = MachineInfo.loadAverage();
    List<ManagedChannel> channels = Phases.channels(c, p.connections());
    PutCaller.KeyStream keys = new PutCaller.KeyStream(p.seed(), RYW_SPACE + window, p.keySize());
    PhaseClock clock = new PhaseClock();
    List<RywProbe> probes = new ArrayList<>();
    try {
      ClientLoops.Running running =
          rate > 0
              ? ClientLoops.paced(
                  p.rywWriters(), rate, writers(channels, keys, p, null, 100 + window), clock)
              : null;
      long began;
      Map<String, OptionalLong> cpu0;
      Map<String, Long> counters0;
      try {
        for (int i = 0; i < c.replicas().size(); i++) {
          Cluster.Node r = c.replicas().get(i);
          probes.add(
              new RywProbe(
                  r.name,
                  c.primary().port(),
                  r.port(),
                  window * 16 + i,
                  p.seed(),
                  p.keySize(),
                  p.valueSize(),
                  clock));
        }
        Sleep.seconds(p.warmupSeconds());
        counters0 = replicaCounters(c);
        cpu0 = Phases.cpu(c);
        began = System.nanoTime();
        clock.startMeasuring();
        Sleep.seconds(p.durationSeconds());
      } finally {
        clock.drain();
      }
      long ended = System.nanoTime();
      Map<String, OptionalLong> cpu1 = Phases.cpu(c);
      double seconds = (ended - began) / 1e9;
      Tally tally = running == null ? new Tally() : running.finish();
      List<RywProbe.Result> results = new ArrayList<>();
      for (RywProbe probe : probes) {
        results.add(probe.finish());
      }
      Map<String, Long> counters = minus(replicaCounters(c), counters0);
      c.awaitApplied(c.primaryLast(), CONVERGE_TIMEOUT_MS);
      return new RywResult(
          rate,
          tally.calls() / seconds,
          seconds,
          results,
          counters,
          Phases.cores(cpu0, cpu1, seconds),
          load);
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }

  /**
   * Loads {@code bootstrapKeys} keys with random values into the primary of {@code c} (which has no
   * replica yet), compacts, then {@code repeat} times starts a brand-new replica on an empty
   * directory under {@code base} and times it until caught up, stopping it afterwards.
   */
  static BootstrapResult bootstrap(Cluster c, SafetyParams p, Path base) {
    System.err.printf(
        "bootstrap: loading %,d keys of %d random bytes (BatchWrites of %,d, %d in flight)%n",
        p.bootstrapKeys(), p.bootstrapValueSize(), LOAD_BATCH, LOAD_IN_FLIGHT);
    long l0 = System.nanoTime();
    ManagedChannel admin = RemoteApi.channel("127.0.0.1", c.primary().port());
    double compactMs;
    try {
      load(admin, p);
      long l1 = System.nanoTime();
      KevoServiceGrpc.newBlockingStub(admin).compact(CompactRequest.newBuilder().build());
      compactMs = (System.nanoTime() - l1) / 1e6;
    } finally {
      admin.shutdownNow();
    }
    double loadSeconds = (System.nanoTime() - l0) / 1e9 - compactMs / 1e3;
    long last = c.primaryLast();
    long firstRetained = awaitTrimmed(c);
    System.err.printf(
        "bootstrap: loaded in %.1f s, compacted in %.0f ms; primary at sequence %,d, log retained"
            + " from %,d%n",
        loadSeconds, compactMs, last, firstRetained);
    List<BootstrapRun> runs = new ArrayList<>();
    for (int run = 0; run < p.repeat(); run++) {
      BootstrapRun r = joinOnce(c, base, run, last);
      System.err.printf(
          "  run %d: serving at %.0f ms, snapshot installed at %s ms (fetch+install %s ms, %s"
              + " bytes), caught up at %.0f ms%n",
          run,
          r.servingMs(),
          r.installedMs() == null ? "-" : String.format("%.0f", r.installedMs()),
          r.fetchInstallMs() == null ? "-" : r.fetchInstallMs(),
          r.snapshotBytes() == null ? "-" : String.format("%,d", r.snapshotBytes()),
          r.caughtUpMs());
      runs.add(r);
    }
    return new BootstrapResult(
        p.bootstrapKeys(),
        p.keySize(),
        p.bootstrapValueSize(),
        loadSeconds,
        compactMs,
        last,
        firstRetained,
        runs);
  }

  /**
   * The primary's first retained sequence, once above 1 (or as it is after 5 s: a small load may
   * fit in one log segment, which is never trimmed, and then the replica catches up from the log).
   */
  private static long awaitTrimmed(Cluster c) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      long first = c.primary().info().primary(PrimarySide::firstRetainedSequence);
      if (first > 1 || System.nanoTime() > deadline) {
        return first;
      }
      Sleep.millis(50);
    }
  }

  private static BootstrapRun joinOnce(Cluster c, Path base, int run, long target) {
    String name = "new" + run;
    long sent0 = bootstrapBytesSent(c);
    double load = MachineInfo.loadAverage();
    long t0 = System.nanoTime();
    BootstrapLog log = new BootstrapLog(System::nanoTime);
    Cluster.Node r =
        c.addReplica(
            name,
            base.resolve(name),
            CompressionCodec.ZSTD,
            List.of(SafetyPhases.BOOTSTRAP_LOG_ARG),
            log);
    try {
      double servingMs = (System.nanoTime() - t0) / 1e6;
      Double completedMs = null;
      long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(BOOTSTRAP_TIMEOUT_MS);
      while (true) {
        NodeFigures m;
        try {
          m = r.info();
        } catch (StatusRuntimeException e) {
          m = null; // not answering yet: poll again
        }
        long now = System.nanoTime();
        long completed = m == null ? 0 : m.replica(ReplicaSide::bootstrapsCompleted, 0);
        if (completed > 0 && completedMs == null) {
          completedMs = (now - t0) / 1e6;
        }
        long applied = m == null ? -1 : m.replica(ReplicaSide::appliedSequence, -1);
        if (applied >= target) {
          OptionalLong cpu = r.cpuNanos();
          BootstrapLog.Started s = log.started();
          BootstrapLog.Installed in = log.installed();
          // Both the log line's arrival and the poll come after the install: take the earlier.
          Double installedMs = in == null ? null : (in.atNanos() - t0) / 1e6;
          if (completedMs != null) {
            installedMs = installedMs == null ? completedMs : Math.min(installedMs, completedMs);
          }
          return new BootstrapRun(
              run,
              servingMs,
              s == null ? null : (s.atNanos() - t0) / 1e6,
              installedMs,
              completedMs,
              (now - t0) / 1e6,
              in == null ? null : in.millis(),
              in == null ? null : in.sequence(),
              s == null ? null : s.files(),
              in == null ? null : in.bytes(),
              completed,
              m.replica(ReplicaSide::entriesApplied, 0),
              bootstrapBytesSent(c) - sent0,
              cpu.isPresent() ? cpu.getAsLong() / 1e9 : null,
              load);
        }
        if (now > deadline) {
          throw new IllegalStateException(
              name
                  + " did not catch up within "
                  + BOOTSTRAP_TIMEOUT_MS
                  + " ms (at "
                  + applied
                  + ")");
        }
        Sleep.millis(5);
      }
    } finally {
      c.stop(r);
      Dirs.deleteRecursively(base.resolve(name));
    }
  }

  private static long bootstrapBytesSent(Cluster c) {
    return c.primary().info().primary(PrimarySide::bootstrapBytesSent);
  }

  /** BatchWrites of {@link #LOAD_BATCH} puts of random values, {@link #LOAD_IN_FLIGHT} at once. */
  private static void load(ManagedChannel ch, SafetyParams p) {
    KevoServiceGrpc.KevoServiceStub stub = KevoServiceGrpc.newStub(ch);
    CallWindow calls = new CallWindow(LOAD_IN_FLIGHT, "loading the primary");
    SplittableRandom random = new SplittableRandom(p.seed() ^ BOOTSTRAP_SPACE);
    for (long done = 0; done < p.bootstrapKeys() && calls.open(); ) {
      calls.acquire();
      int count = (int) Math.min(LOAD_BATCH, p.bootstrapKeys() - done);
      BatchWriteRequest.Builder b = BatchWriteRequest.newBuilder();
      for (int i = 0; i < count; i++) {
        byte[] v = new byte[p.bootstrapValueSize()];
        random.nextBytes(v);
        b.addOperations(
            Operation.newBuilder()
                .setType(Operation.Type.PUT)
                .setKey(
                    UnsafeByteOperations.unsafeWrap(
                        Keys.random(p.seed(), BOOTSTRAP_SPACE, done + i, p.keySize())))
                .setValue(UnsafeByteOperations.unsafeWrap(v)));
      }
      stub.batchWrite(b.build(), calls.observer());
      done += count;
    }
    calls.finish();
  }
}
