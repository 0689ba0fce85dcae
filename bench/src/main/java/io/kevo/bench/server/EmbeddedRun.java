package io.kevo.bench.server;

import io.kevo.bench.report.PeakRss;
import io.kevo.bench.report.ProcessCpu;
import io.kevo.engine.KevoDB;
import io.kevo.engine.WriteBatch;
import io.kevo.engine.WriteOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every phase on the embedded engine in this JVM, the way {@link RemoteRun} runs them over
 * gRPC: the same keys, values, preload and compaction, the same workloads and concurrencies, with
 * one thread per client calling {@link KevoDB} directly. The CPU counted is this whole JVM's
 * (engine and client threads alike).
 */
final class EmbeddedRun {
  private static final int LOAD_BATCH = 1_000;

  private EmbeddedRun() {}

  static SideResult execute(LoadParams params, Path dir) {
    KeyPlan keys = new KeyPlan(params.seed(), params.preload(), params.keySize());
    ValuePool values = new ValuePool(params.seed(), params.valueSize());
    List<PhaseStats> phases = new ArrayList<>();
    double loadMs;
    double compactMs;
    try (KevoDB db = KevoDB.open(dir, EngineSetup.OPTIONS)) {
      long t0 = System.nanoTime();
      for (long first = 0; first < params.preload(); first += LOAD_BATCH) {
        WriteBatch batch = new WriteBatch();
        for (long i = first; i < Math.min(params.preload(), first + LOAD_BATCH); i++) {
          batch.put(keys.loaded(i), values.value(i));
        }
        db.write(batch, WriteOptions.DEFAULT);
      }
      long t1 = System.nanoTime();
      if (params.preload() > 0) {
        db.compactRange(null, null);
      }
      long t2 = System.nanoTime();
      loadMs = (t1 - t0) / 1e6;
      compactMs = (t2 - t1) / 1e6;
      System.err.printf(
          "  embedded: loaded %d keys in %.0f ms, compacted in %.0f ms%n",
          params.preload(), loadMs, compactMs);
      if (params.jitWarmupSeconds() > 0) {
        int clients = params.maxClients();
        PhaseRunner.untimed(
            params.jitWarmupSeconds(),
            clock -> threads(db, RequestKind.GET, clients, keys, values, params, clock));
      }
      boolean wrote = false;
      Runnable compact = () -> db.compactRange(null, null);
      for (RequestKind w : params.workloads()) {
        for (int clients : params.clients()) {
          PhaseStats s =
              PhaseRunner.run(
                  params,
                  w,
                  clients,
                  wrote && params.settle() ? compact : null,
                  clock -> threads(db, w, clients, keys, values, params, clock),
                  ProcessCpu::self,
                  null);
          ServerCommand.progress("embedded", s);
          phases.add(s);
          wrote = w != RequestKind.GET;
        }
      }
    }
    return new SideResult(
        "embedded", params.preload(), loadMs, compactMs, phases, PeakRss.currentProcessMb());
  }

  private static ClientLoops.Running threads(
      KevoDB db,
      RequestKind w,
      int clients,
      KeyPlan keys,
      ValuePool values,
      LoadParams params,
      PhaseClock clock) {
    return ClientLoops.threads(
        clients,
        c ->
            new EmbeddedCaller(
                db,
                new RequestDraw(
                    w, keys, values, params.batchSize(), Seeds.client(params.seed(), w, c))),
        clock);
  }
}
