package io.kevo.bench.cli;

import io.kevo.bench.report.BenchReport;
import io.kevo.bench.report.Json;
import io.kevo.bench.run.Dirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options several benchmark commands share, one picocli mixin each ({@code @Mixin}), so that
 * every flag is declared once. A mixin whose default differs between commands takes it in its
 * constructor (picocli shows a field's initial value as its default). Not thread-safe: set by
 * picocli, then read by the command's thread.
 */
public final class BenchOptions {
  private BenchOptions() {}

  /** {@code --dir}: where a run's fresh directories are created, and deleted afterwards. */
  public static final class WorkDir {
    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description =
            "Where the databases are created, one fresh directory per run (per cluster node),"
                + " deleted afterwards (default: ./bench-work). Use a real disk: tmpfs makes fsync"
                + " free.")
    Path dir;

    /** Where run directories are created: {@code --dir}, else {@code ./bench-work}. */
    public Path base() {
      return dir == null ? Path.of("bench-work") : dir;
    }

    /** Creates the base if missing and a fresh run directory in it named {@code prefix...}. */
    public Path createRunDir(String prefix) throws IOException {
      Files.createDirectories(base());
      return Files.createTempDirectory(base(), prefix);
    }

    /** Deletes {@code runDir}, and the default base if that leaves it empty. */
    public void cleanUp(Path runDir) {
      Dirs.deleteRecursively(runDir);
      if (dir == null) {
        Dirs.deleteIfEmpty(base());
      }
    }
  }

  /** {@code --dir} of a worker child JVM: its (empty) database directory. */
  public static final class WorkerDir {
    @Option(names = "--dir", required = true, description = "Empty directory for the database.")
    Path dir;

    public Path dir() {
      return dir;
    }
  }

  /**
   * {@code --json FILE}: where the report also goes, as JSON; and the command line it was run with.
   */
  public static final class JsonOut {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    /**
     * The command line as typed, for the report; {@code ./kevo-bench NAME} when the command was not
     * parsed from one (a test calling it directly).
     */
    public String commandLine(String name) {
      List<String> args =
          spec != null && spec.commandLine().getParseResult() != null
              ? spec.commandLine().getParseResult().originalArgs()
              : List.of();
      // The parse result is the whole command line's, subcommand name included.
      return args.isEmpty() ? "./kevo-bench " + name : "./kevo-bench " + String.join(" ", args);
    }

    /** Prints the report's text, and writes its JSON to {@code --json} if given. */
    public void publish(BenchReport report) throws IOException {
      System.out.print(report.text());
      if (json == null) {
        return;
      }
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(json, Json.pretty(report.json()), StandardCharsets.UTF_8);
      System.err.println("wrote " + json);
    }
  }

  /** {@code --heap} and {@code --jvm-arg}: how the child JVMs (workers, nodes) are started. */
  public static final class ChildJvms {
    /** {@code --heap auto}: the heap Kevo's options need ({@link #resolveAuto}). */
    public static final String AUTO = "auto";

    @Option(
        names = "--heap",
        description =
            "Maximum heap (-Xmx) of each child JVM; auto (engine, tx): the heap Kevo's options"
                + " need, memtables + block cache + 64 MiB, for both engines (default:"
                + " ${DEFAULT-VALUE}).")
    String heap;

    @Option(
        names = "--jvm-arg",
        paramLabel = "ARG",
        description =
            "Extra option for the child JVMs; repeatable. {run} is replaced by the run, and"
                + " {engine} (engine, tx), {side} (server: server or embedded) or {node}"
                + " (replication, safety: standalone, primary, replica1, ...) by the child, e.g."
                + " -XX:StartFlightRecording=filename=bench-{node}-{run}.jfr,settings=profile")
    List<String> jvmArgs = new ArrayList<>();

    /**
     * @param heap the default of {@code --heap}
     */
    public ChildJvms(String heap) {
      this.heap = heap;
    }

    /** {@code --heap auto} becomes {@code sized}; any other value stays. */
    public void resolveAuto(String sized) {
      if (AUTO.equals(heap)) {
        heap = sized;
      }
    }

    /**
     * The heap of each child JVM.
     *
     * @throws IllegalStateException if it is {@code auto} and this command does not size its
     *     children
     */
    public String heap() {
      if (AUTO.equals(heap)) {
        throw new IllegalStateException("--heap auto is only for the engine and tx benchmarks");
      }
      return heap;
    }

    /** {@code --jvm-arg} as given. */
    public List<String> jvmArgs() {
      return List.copyOf(jvmArgs);
    }

    /**
     * {@code --jvm-arg} with {@code {run}} replaced by {@code run}, and {@code {engine}}, {@code
     * {side}} and {@code {node}} by {@code child}.
     */
    public List<String> jvmArgs(String child, String run) {
      List<String> out = new ArrayList<>();
      for (String a : jvmArgs) {
        out.add(
            a.replace("{engine}", child)
                .replace("{side}", child)
                .replace("{node}", child)
                .replace("{run}", run));
      }
      return out;
    }
  }

  /** {@code --fork}: each engine in a child JVM of its own. */
  public static final class Fork {
    @Option(
        names = "--fork",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        description =
            "Run each engine in its own JVM so peak RSS is per engine"
                + " (default: ${DEFAULT-VALUE}; --no-fork runs in this JVM).")
    boolean fork;

    public boolean fork() {
      return fork;
    }

    /**
     * The JSON config of a run of {@code repeat} that forks (or not) {@code jvms} in {@code base}.
     */
    public Map<String, Object> runConfig(int repeat, ChildJvms jvms, Path base) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("repeat", repeat);
      m.put("forked", fork);
      m.put("child_heap", fork ? jvms.heap() : null);
      m.put("child_jvm_args", fork ? jvms.jvmArgs() : List.of());
      m.put("data_dir", base.toAbsolutePath().toString());
      return m;
    }
  }

  /** {@code --repeat}: runs of each measurement. */
  public static final class Repeat {
    @Option(
        names = "--repeat",
        defaultValue = "1",
        description =
            "Runs of each measurement, the sides alternating so that drift on a shared machine"
                + " hits all alike; the median is reported, the JSON keeps every run's"
                + " (default: ${DEFAULT-VALUE}).")
    int repeat;

    /**
     * @throws IllegalArgumentException if below 1
     */
    public int count() {
      if (repeat < 1) {
        throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
      }
      return repeat;
    }
  }

  /** {@code --seed}: of keys and values, the same for every side. */
  public static final class Seed {
    @Option(names = "--seed", description = "Seed of keys and values (default: ${DEFAULT-VALUE}).")
    long seed;

    /**
     * @param seed the default of {@code --seed}
     */
    public Seed(long seed) {
      this.seed = seed;
    }

    public long seed() {
      return seed;
    }
  }

  /** {@code --key-size} and {@code --value-size}. */
  public static final class Sizes {
    @Option(names = "--key-size", defaultValue = "16", description = "Key bytes (default: 16).")
    int keySize;

    @Option(
        names = "--value-size",
        defaultValue = "100",
        description = "Value bytes (default: 100).")
    int valueSize;

    public int keySize() {
      return keySize;
    }

    public int valueSize() {
      return valueSize;
    }
  }

  /** {@code --duration} and {@code --warmup}, seconds: each timed window and its lead-in. */
  public static final class Timing {
    @Option(
        names = "--duration",
        paramLabel = "SECONDS",
        description = "Timed window of each run (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(
        names = "--warmup",
        paramLabel = "SECONDS",
        description =
            "Untimed lead-in of each run, the same requests; long enough for fresh JVMs' JIT"
                + " compilers to settle (default: ${DEFAULT-VALUE}).")
    double warmup;

    /**
     * @param duration the default of {@code --duration}
     * @param warmup the default of {@code --warmup}
     */
    public Timing(double duration, double warmup) {
      this.duration = duration;
      this.warmup = warmup;
    }

    public double duration() {
      return duration;
    }

    public double warmup() {
      return warmup;
    }
  }

  /** {@code --connections}: HTTP/2 connections the load generator's clients share. */
  public static final class Connections {
    @Option(
        names = "--connections",
        defaultValue = "2",
        description = "HTTP/2 connections the clients share (default: ${DEFAULT-VALUE}).")
    int connections;

    /**
     * @throws IllegalArgumentException if below 1
     */
    public int count() {
      if (connections < 1) {
        throw new IllegalArgumentException("--connections must be at least 1, got " + connections);
      }
      return connections;
    }
  }

  /** {@code --threads}: threads of the multi-threaded workloads. */
  public static final class Threads {
    @Option(
        names = "--threads",
        defaultValue = "8",
        description =
            "Threads of the multi-threaded workloads (engine: c and mixed; tx: transactions)"
                + " (default: ${DEFAULT-VALUE}).")
    int threads;

    public int threads() {
      return threads;
    }
  }

  /** {@code --block-cache-mb} and {@code --bloom-bits}: what both engines are given alike. */
  public static final class Tuning {
    @Option(
        names = "--block-cache-mb",
        defaultValue = "64",
        description = "Block cache of both engines, MiB (default: ${DEFAULT-VALUE}).")
    long blockCacheMb;

    @Option(
        names = "--bloom-bits",
        defaultValue = "10",
        description = "Bloom filter bits per key of both engines (default: ${DEFAULT-VALUE}).")
    int bloomBits;

    public long blockCacheBytes() {
      return blockCacheMb << 20;
    }

    public int bloomBits() {
      return bloomBits;
    }
  }

  /**
   * {@code --clients}, {@code --replicas}, {@code --random-fraction}: a replicated cluster's load.
   */
  public static final class ClusterLoad {
    @Option(
        names = "--clients",
        defaultValue = "16",
        description = "Writers, each with one put in flight (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(
        names = "--replicas",
        defaultValue = "2",
        description = "Replicas per primary (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(
        names = "--random-fraction",
        defaultValue = "0.5",
        description =
            "Random part of each value; the rest repeats it (db_bench's --compression_ratio)"
                + " (default: ${DEFAULT-VALUE}).")
    double randomFraction;

    public int clients() {
      return clients;
    }

    public int replicas() {
      return replicas;
    }

    public double randomFraction() {
      return randomFraction;
    }
  }
}
