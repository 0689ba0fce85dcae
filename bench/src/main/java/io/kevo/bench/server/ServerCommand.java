package io.kevo.bench.server;

import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.report.PeakRss;
import io.kevo.bench.report.ProcessCpu;
import io.kevo.bench.run.ChildJvm;
import io.kevo.bench.run.Dirs;
import io.kevo.server.Dispatch;
import io.kevo.server.ServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kevo-bench server}: a load generator speaking {@code kevo.KevoService} to a node, and the
 * same workloads on the embedded engine for comparison. Without {@code --target} it starts the node
 * itself ({@link ServerNodeCommand} in a child JVM, fresh database, sync off) and reads its CPU
 * from {@code /proc}; the embedded side runs in another child JVM of the same heap. Prints one
 * table and the bar verdicts, optionally writes the JSON report. Exit code 0 when everything ran
 * (whether or not the bars are met), 1 when a side failed.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Load-tests a Kevo server over gRPC and compares it with the embedded engine.",
      "Preloads --preload keys (batched, compacted), then runs each of --workloads (get of a",
      "random preloaded key, put of a fresh key, delete of a put key, BatchWrite of --batch-size",
      "puts) at each --clients concurrency (requests outstanding at once) for --warmup + --duration",
      "seconds; then the same on the engine in-process (WriteBatch for batch). No sync anywhere."
    })
public final class ServerCommand implements Callable<Integer> {
  @Mixin LoadOptions loadOptions = new LoadOptions();
  @Mixin BenchOptions.JsonOut json = new BenchOptions.JsonOut();
  @Mixin BenchOptions.WorkDir dir = new BenchOptions.WorkDir();
  @Mixin BenchOptions.ChildJvms jvms = new BenchOptions.ChildJvms("4g");
  @Mixin BenchOptions.Repeat repeat = new BenchOptions.Repeat();
  @Mixin BenchOptions.Connections connections = new BenchOptions.Connections();

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      description =
          "Node to load. Default: start one in a child JVM on 127.0.0.1 (ephemeral port, fresh"
              + " data directory under --dir, sync off).")
  String target;

  @Option(
      names = "--server-pid",
      paramLabel = "PID",
      description =
          "With --target on this machine: the node's process id, to read its CPU from /proc."
              + " Without it a --target's CPU is reported as n/a.")
  Long serverPid;

  @Option(
      names = "--api",
      defaultValue = "stub",
      description =
          "How requests are sent: stub (generated gRPC stubs, no deadline or retry) or client"
              + " (io.kevo.client.KevoClient) (default: ${DEFAULT-VALUE}).")
  String api;

  @Option(
      names = "--mode",
      defaultValue = "async",
      description =
          "async: each client is an asynchronous loop with one call in flight, run on the"
              + " channels' event loops; blocking: one thread per client (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--server-dispatch",
      defaultValue = "EVENT_LOOP",
      description =
          "Where the started server runs its handlers: EVENT_LOOP (point calls on the network"
              + " threads) or POOL (every call on a pool thread) (default: ${DEFAULT-VALUE}).")
  Dispatch serverDispatch;

  @Option(
      names = "--embedded",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Also run the embedded engine (default: ${DEFAULT-VALUE}).")
  boolean embedded;

  @Mixin TargetTls tls = new TargetTls();

  @Override
  public Integer call() throws IOException {
    int repeat = this.repeat.count();
    int connections = this.connections.count();
    LoadParams params = loadOptions.toParams();
    RemoteApi.Api apiKind = RemoteApi.Api.fromId(api);
    RemoteRun.Mode modeKind = RemoteRun.Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
    if (target != null) {
      ServerOptions.builder().listen(target); // validates HOST:PORT
    } else if (tls.enabled()) {
      throw new IllegalArgumentException(
          "--tls-* need --target (the bench's own node is plaintext)");
    }
    tls.open();

    Path base = dir.base();
    Path runDir = dir.createRunDir("server-");
    List<SideResult> serverRuns = new ArrayList<>();
    List<SideResult> embeddedRuns = new ArrayList<>();
    boolean failed = false;
    try {
      // Sides alternate, so that drift on a shared machine hits both alike.
      for (int r = 0; r < repeat; r++) {
        try {
          serverRuns.add(runServer(params, apiKind, modeKind, r, runDir.resolve("server-" + r)));
        } catch (RuntimeException e) {
          System.err.printf("  server run %d FAILED: %s%n", r, e);
          failed = true;
        }
        if (embedded) {
          try {
            embeddedRuns.add(runEmbedded(params, r, runDir.resolve("embedded-" + r)));
          } catch (RuntimeException e) {
            System.err.printf("  embedded run %d FAILED: %s%n", r, e);
            failed = true;
          }
        }
      }
    } finally {
      dir.cleanUp(runDir);
      tls.close();
    }

    Map<String, Object> runConfig = new LinkedHashMap<>();
    runConfig.put(
        "target", target == null ? "child JVM on 127.0.0.1 (started by the bench)" : target);
    runConfig.put("server_started_by_bench", target == null);
    runConfig.put("server_dispatch", target == null ? serverDispatch.name() : null);
    runConfig.put("api", apiKind.id());
    runConfig.put("mode", modeKind.name().toLowerCase(Locale.ROOT));
    runConfig.put("connections", connections);
    runConfig.put("repeat", repeat);
    runConfig.put("child_heap", jvms.heap());
    runConfig.put("child_jvm_args", jvms.jvmArgs());
    runConfig.put("data_dir", base.toAbsolutePath().toString());
    runConfig.put("load_generator_max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    ServerReport report = new ServerReport(params, runConfig, serverRuns, embeddedRuns);
    json.publish(report.report(json.commandLine("server")));
    return failed || serverRuns.isEmpty() ? 1 : 0;
  }

  private SideResult runServer(
      LoadParams params, RemoteApi.Api apiKind, RemoteRun.Mode modeKind, int run, Path data)
      throws IOException {
    if (target != null) {
      int colon = target.lastIndexOf(':');
      String host = target.substring(0, colon).replace("[", "").replace("]", "");
      int port = Integer.parseInt(target.substring(colon + 1));
      Supplier<Optional<ProcessCpu.Sample>> cpu =
          serverPid == null ? Optional::empty : () -> ProcessCpu.of(serverPid);
      Supplier<Double> rss = serverPid == null ? () -> -1.0 : () -> PeakRss.ofProcessMb(serverPid);
      System.err.printf("running server workloads against %s%n", target);
      return RemoteRun.execute(
          host, port, params, apiKind, modeKind, connections.count(), cpu, rss, tls);
    }
    Files.createDirectories(data);
    try (ServerProcess server =
        ServerProcess.start(
            "server",
            data,
            data.resolve("db"),
            jvms.heap(),
            childJvmArgs("server", run),
            List.of("--dispatch=" + serverDispatch),
            null)) {
      System.err.printf(
          "running server workloads against a child JVM (pid %d) on 127.0.0.1:%d, data in %s%n",
          server.pid(), server.port(), data);
      return RemoteRun.execute(
          "127.0.0.1",
          server.port(),
          params,
          apiKind,
          modeKind,
          connections.count(),
          server::cpu,
          server::peakRssMb,
          new TargetTls());
    } finally {
      Dirs.deleteRecursively(data);
    }
  }

  private SideResult runEmbedded(LoadParams params, int run, Path data) throws IOException {
    Files.createDirectories(data);
    System.err.printf("running the same workloads on the embedded engine in %s%n", data);
    List<String> args = new ArrayList<>();
    args.add("server-embedded");
    args.add("--dir=" + data.toAbsolutePath());
    args.add(ChildJvm.paramsArg(params));
    try {
      return ChildJvm.run(
          ChildJvm.command(jvms.heap(), childJvmArgs("embedded", run), args),
          "embedded",
          SideResult.class);
    } finally {
      Dirs.deleteRecursively(data);
    }
  }

  private List<String> childJvmArgs(String side, int run) {
    return jvms.jvmArgs(side, Integer.toString(run));
  }

  /** One line per finished phase on stderr, so a long run shows progress. */
  static void progress(String side, PhaseStats s) {
    System.err.printf(
        Locale.ROOT,
        "  %s %s x%d: %,.0f ops/s (%,.0f calls/s), p50 %.1f µs, p99 %.1f µs, CPU %s%n",
        side,
        s.workload(),
        s.clients(),
        s.opsPerSec(),
        s.callsPerSec(),
        s.latencyUs().p50(),
        s.latencyUs().p99(),
        s.cpuCores() == null
            ? "n/a"
            : String.format(Locale.ROOT, "%.2f cores, %.1f µs/op", s.cpuCores(), s.cpuUsPerOp()));
    if (s.workload().equals(RequestKind.GET.id()) && s.found() != s.calls()) {
      System.err.printf(
          "  WARNING: %d of %d gets did not find their key%n", s.calls() - s.found(), s.calls());
    }
  }
}
