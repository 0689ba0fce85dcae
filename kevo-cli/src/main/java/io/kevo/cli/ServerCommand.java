package io.kevo.cli;

import io.kevo.engine.Compression;
import io.kevo.engine.FatalErrorListener;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoException;
import io.kevo.engine.MemoryBudget;
import io.kevo.engine.Options;
import io.kevo.engine.SyncMode;
import io.kevo.engine.TransactionMode;
import io.kevo.server.KevoServer;
import io.kevo.server.NodeRole;
import io.kevo.server.ServerOptions;
import io.kevo.wire.AckLevel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kevo server}: serves a database over gRPC ({@code kevo.KevoService}) until SIGINT or
 * SIGTERM, then shuts down cleanly (stop accepting, let calls in flight finish within the grace
 * period, roll back open transactions, close the engine) and exits with status 0. If the JVM fails
 * (out of memory, say) in any thread, it logs why and halts at once with {@link
 * ExitCodes#JVM_FAILURE} ({@link FatalErrorHalt}), for its supervisor to restart it.
 *
 * <p>Settings come from the flags, else from the {@code --config} properties file (the keys of
 * {@link ServerConfigFile#KEYS}: the long options without dashes; an unknown key is refused), else
 * from the defaults, which the help shows as read from the option classes ({@link
 * ServerHelpDefaults}). Durations are {@code 500ms}, {@code 2s}, {@code 1m} or ISO-8601 ({@code
 * PT2S}). A clean stop logs one INFO line with the last sequence.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    resourceBundle = "io.kevo.cli.ServerHelpDefaults",
    description = {
      "Serve a database over gRPC (kevo.KevoService, health, reflection) until SIGINT or"
          + " SIGTERM, then stop cleanly (calls in flight get ${bundle:default.grace} to finish)."
    },
    footer = {
      "",
      "Config file (--config) keys: ${bundle:config.keys}. Durations: 500ms, 2s, 1m or PT2S."
    })
final class ServerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);
  private static final String WHOLE_NUMBER = "expected a whole number";
  private static final String DURATION = "expected a duration like 500ms, 2s, 1m or PT2S";
  static final Duration GRACE = Duration.ofSeconds(10);

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Database directory, created if missing. Default: ./kevo-data")
  private String data;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "Address to listen on; port 0 picks a free one. Default: 127.0.0.1:50051")
  private String listen;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Properties file whose keys are the long options without dashes (listed below);"
              + " flags override it, an unknown key is an error.")
  private Path config;

  @Option(
      names = "--sync",
      paramLabel = "MODE",
      description = "WAL sync mode: none, batch or immediate. Default: ${bundle:default.sync}")
  private String sync;

  @Option(
      names = "--memtable-mb",
      paramLabel = "MB",
      description = "Memtable size in MiB. Default: ${bundle:default.memtable-mb}")
  private String memtableMb;

  @Option(
      names = "--wal-segment-mb",
      paramLabel = "MB",
      description =
          "WAL segment size in MiB (the log is trimmed a whole sealed segment at a time)."
              + " Default: ${bundle:default.wal-segment-mb}")
  private String walSegmentMb;

  @Option(
      names = "--cache-mb",
      paramLabel = "MB",
      description = "Block cache size in MiB. Default: ${bundle:default.cache-mb}")
  private String cacheMb;

  @Option(
      names = "--compression",
      paramLabel = "CODEC",
      description =
          "SSTable block compression: none, snappy, lz4 or zstd."
              + " Default: ${bundle:default.compression}")
  private String compression;

  @Option(
      names = "--role",
      paramLabel = "ROLE",
      description =
          "standalone, primary (also streams its WAL to replicas on the same port) or replica"
              + " (follows --primary, read-only). Default: standalone")
  private String role;

  @Option(
      names = "--primary",
      paramLabel = "HOST:PORT",
      description = "For --role replica: the primary's client address.")
  private String primary;

  @Option(
      names = "--advertise",
      paramLabel = "HOST:PORT",
      description =
          "The client address other nodes and clients should use for this node (replicas report"
              + " it to their primary). Default: the listen host and bound port.")
  private String advertise;

  @Option(
      names = "--metrics-listen",
      paramLabel = "HOST:PORT",
      description =
          "Serve Prometheus metrics at http://HOST:PORT/metrics (plain HTTP, no authentication:"
              + " keep it on a trusted network). Default: off")
  private String metricsListen;

  @Option(
      names = "--replication-ack",
      paramLabel = "LEVEL",
      description =
          "For --role primary: when client writes return, unless a request says otherwise"
              + " (kevo-ack metadata): async (after the local WAL), replica:N (once N replicas"
              + " made it durable) or all (every connected replica)."
              + " Default: ${bundle:default.replication-ack}")
  private String replicationAck;

  @Option(
      names = "--replication-ack-timeout",
      paramLabel = "DURATION",
      description =
          "How long a write waits for its acknowledgement level before it fails with"
              + " DEADLINE_EXCEEDED (it stays committed on the primary)."
              + " Default: ${bundle:default.replication-ack-timeout}")
  private String replicationAckTimeout;

  @Option(
      names = "--min-replicas-to-write",
      paramLabel = "N",
      description =
          "For --role primary: refuse writes (FAILED_PRECONDITION) while fewer than N replicas"
              + " are connected; health service kevo.writes says NOT_SERVING."
              + " Default: ${bundle:default.min-replicas-to-write} (never refuse)")
  private String minReplicasToWrite;

  @Option(
      names = "--read-wait-timeout",
      paramLabel = "DURATION",
      description =
          "For --role replica: how long a read asking for a sequence not yet applied"
              + " (kevo-min-sequence) waits before it is refused with UNAVAILABLE."
              + " Default: ${bundle:default.read-wait-timeout}")
  private String readWaitTimeout;

  @Option(
      names = "--transactions",
      paramLabel = "MODE",
      description =
          "Read-write transactions begun without kevo-tx-mode: optimistic (checked at commit) or"
              + " pessimistic (keys locked until the end, as Kevo's Go server)."
              + " Default: ${bundle:default.transactions}")
  private String transactions;

  @Option(
      names = "--port-file",
      paramLabel = "FILE",
      description = "Write the bound port to FILE once listening (for scripts and tests).")
  private Path portFile;

  @Option(
      names = "--repl-retention-mb",
      paramLabel = "MB",
      description =
          "For --role primary: WAL a replica may keep alive before its hold is dropped (it then"
              + " bootstraps from a snapshot if the log moves past it)."
              + " Default: ${bundle:default.repl-retention-mb}")
  private Long retentionMb;

  @Option(
      names = "--max-bootstraps",
      paramLabel = "N",
      description =
          "For --role primary: snapshot transfers to bootstrapping replicas that may run at once."
              + " Default: ${bundle:default.max-bootstraps}")
  private Integer maxBootstraps;

  @Mixin private FailoverFlags failoverFlags = new FailoverFlags();

  @Mixin private TlsFlags tlsFlags = new TlsFlags();

  @Mixin private AccessFlags accessFlags = new AccessFlags();

  @Option(
      names = "--print-heap",
      hidden = true,
      description =
          "Print the -Xmx these options need (the launcher's question) and exit without starting.")
  private boolean printHeap;

  @Spec private CommandSpec spec;

  private final java.util.concurrent.atomic.AtomicBoolean stoppedLogged =
      new java.util.concurrent.atomic.AtomicBoolean();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    // Before the engine, gRPC and replication start threads: a JVM failure in any of them ends the
    // process, where it would otherwise leave a node that refuses writes, or a dead thread.
    FatalErrorHalt halt = new FatalErrorHalt(Runtime.getRuntime().maxMemory());
    Thread.setDefaultUncaughtExceptionHandler(halt);
    Properties file = loadConfig();
    Path dir = Path.of(setting(data, file, "data", "./kevo-data"));
    ServerOptions serverOptions;
    Options engineOptions;
    try {
      boolean coordinated = failoverFlags.coordinated(file);
      NodeRole nodeRole =
          parseEnum(
              NodeRole.class,
              setting(role, file, "role", coordinated ? "replica" : "standalone"),
              "--role");
      ServerOptions.Builder b =
          ServerOptions.builder()
              .listen(setting(listen, file, "listen", "127.0.0.1:50051"))
              .shutdownGrace(GRACE)
              .role(nodeRole)
              .primaryAddress(setting(primary, file, "primary", null))
              .advertiseAddress(setting(advertise, file, "advertise", null))
              .primaryOptions(primaryOptions(file))
              .failover(failoverFlags.options(file))
              .tls(tlsFlags.options(file));
      accessFlags.apply(b, file);
      String metrics = setting(metricsListen, file, "metrics-listen", null);
      if (metrics != null) {
        parse(metrics, b::metricsListen, "--metrics-listen", "expected HOST:PORT, port 0..65535");
      }
      String mode = setting(transactions, file, "transactions", null);
      if (mode != null) {
        b.transactionMode(parseEnum(TransactionMode.class, mode, "--transactions"));
      }
      String ack = setting(replicationAck, file, "replication-ack", null);
      if (ack != null) {
        b.replicationAck(
            parse(ack, AckLevel::parse, "--replication-ack", "valid: async, replica:N, all"));
      }
      String ackTimeout = setting(replicationAckTimeout, file, "replication-ack-timeout", null);
      if (ackTimeout != null) {
        b.replicationAckTimeout(
            parse(ackTimeout, ServerCommand::duration, "--replication-ack-timeout", DURATION));
      }
      String minReplicas = setting(minReplicasToWrite, file, "min-replicas-to-write", null);
      if (minReplicas != null) {
        b.minReplicasToWrite(
            parse(minReplicas, Integer::parseInt, "--min-replicas-to-write", WHOLE_NUMBER));
      }
      String readWait = setting(readWaitTimeout, file, "read-wait-timeout", null);
      if (readWait != null) {
        b.readWaitTimeout(
            parse(readWait, ServerCommand::duration, "--read-wait-timeout", DURATION));
      }
      serverOptions = b.build();
      engineOptions = engineOptions(file, nodeRole, halt);
    } catch (IllegalArgumentException | KevoException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    long heap = NodeHeap.bytes(engineOptions);
    if (printHeap) {
      spec.commandLine().getOut().println(MemoryBudget.xmx(heap));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
    if (Runtime.getRuntime().maxMemory() < heap) {
      LOG.warn(
          "the JVM's maximum heap ({} MiB) is below what these options need ({} MiB: memtables,"
              + " block cache and the server; see docs/OPERATIONS.md, Memory): raise -Xmx in"
              + " KEVO_JAVA_OPTS or lower --memtable-mb/--cache-mb",
          Runtime.getRuntime().maxMemory() >> 20,
          heap >> 20);
    }

    KevoDB db;
    try {
      db = KevoDB.open(dir, engineOptions);
    } catch (KevoException e) {
      LOG.debug("cannot open {}", dir, e);
      err.println(
          "error: cannot open database at "
              + dir.toAbsolutePath().normalize()
              + ": "
              + e.getMessage());
      err.flush();
      return ExitCodes.FATAL;
    }
    KevoServer server;
    try {
      server = KevoServer.start(db, serverOptions);
    } catch (UncheckedIOException e) {
      db.close();
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.FATAL;
    }

    CountDownLatch stop = new CountDownLatch(1);
    // Safety net for exits not caused by SIGINT/SIGTERM (e.g. SIGHUP): close is idempotent.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close(GRACE);
                  logStopped(db);
                },
                "kevo-server-shutdown"));
    boolean handled = Signals.onTermination(stop::countDown);
    writePortFile(server.port());
    LOG.info(
        "Kevo server listening on {} (data {}, role {}{})",
        server.address(),
        dir.toAbsolutePath().normalize(),
        serverOptions.role().name().toLowerCase(Locale.ROOT),
        serverOptions.failover() != null
            ? ", cluster "
                + serverOptions.failover().coordinator().cluster()
                + " on coordinator "
                + serverOptions.failover().coordinator().connectString()
            : serverOptions.primaryAddress() != null
                ? ", primary " + serverOptions.primaryAddress()
                : "");
    if (handled) {
      stop.await();
      server.close(GRACE);
      logStopped(db);
    } else {
      server.awaitTermination(); // the shutdown hook closes it
    }
    return ExitCodes.OK;
  }

  /**
   * The one line a clean stop logs (once, whichever path stopped it). The sequence is still
   * readable once the engine is closed, and no write can move it any more.
   */
  private void logStopped(KevoDB db) {
    if (stoppedLogged.compareAndSet(false, true)) {
      LOG.info("Kevo server stopped cleanly, last sequence {}", db.latestSequence());
    }
  }

  private io.kevo.replication.PrimaryOptions primaryOptions(Properties file) {
    io.kevo.replication.PrimaryOptions.Builder b =
        io.kevo.replication.PrimaryOptions.DEFAULT.toBuilder();
    String r =
        setting(
            retentionMb == null ? null : retentionMb.toString(), file, "repl-retention-mb", null);
    if (r != null) {
      b.retentionBytes(parse(r, Long::parseLong, "--repl-retention-mb", WHOLE_NUMBER) << 20);
    }
    String m =
        setting(
            maxBootstraps == null ? null : maxBootstraps.toString(), file, "max-bootstraps", null);
    if (m != null) {
      b.maxConcurrentBootstraps(parse(m, Integer::parseInt, "--max-bootstraps", WHOLE_NUMBER));
    }
    return b.build();
  }

  private Options engineOptions(Properties file, NodeRole nodeRole, FatalErrorListener onFatal) {
    // A primary keeps its WAL from open until its replicas' retention holds are back; a replica
    // until it has checked its history against its primary's (entries it must discard, if they
    // diverge, are reported from its log). The engine flushes what it replays at open, so without
    // the hold those entries would already be gone.
    Options.Builder b =
        Options.builder()
            .holdWalAtOpen(nodeRole != NodeRole.STANDALONE)
            .fatalErrorListener(onFatal);
    String s = setting(sync, file, "sync", null);
    if (s != null) {
      b.syncMode(parseEnum(SyncMode.class, s, "--sync"));
    }
    String m = setting(memtableMb, file, "memtable-mb", null);
    if (m != null) {
      b.memtableSize(mib(m, "--memtable-mb"));
    }
    String w = setting(walSegmentMb, file, "wal-segment-mb", null);
    if (w != null) {
      b.segmentSize(mib(w, "--wal-segment-mb"));
    }
    String c = setting(cacheMb, file, "cache-mb", null);
    if (c != null) {
      b.blockCacheSize(mib(c, "--cache-mb"));
    }
    String z = setting(compression, file, "compression", null);
    if (z != null) {
      b.compression(parseEnum(Compression.class, z, "--compression"));
    }
    return b.build();
  }

  private Properties loadConfig() {
    if (config == null) {
      return new Properties();
    }
    try {
      return ServerConfigFile.load(config);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private void writePortFile(int port) {
    if (portFile == null) {
      return;
    }
    try {
      Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
      Files.writeString(tmp, Integer.toString(port), StandardCharsets.UTF_8);
      Files.move(
          tmp,
          portFile,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot write port file {}: {}", portFile, e.toString());
    }
  }

  static String setting(String flag, Properties file, String key, String fallback) {
    if (flag != null) {
      return flag;
    }
    String v = file.getProperty(key);
    return v != null ? v.trim() : fallback;
  }

  private static long mib(String value, String name) {
    long mb = parse(value, Long::parseLong, name, WHOLE_NUMBER);
    if (mb <= 0 || mb > (1L << 20)) {
      throw new IllegalArgumentException(name + " must be in 1.." + (1L << 20) + ", got " + value);
    }
    return mb << 20;
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String name) {
    return parse(
        value,
        v -> Enum.valueOf(type, v.toUpperCase(Locale.ROOT)),
        name,
        "valid: " + OneLineErrors.enumValues(type));
  }

  /** {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h}, or ISO-8601 ({@code PT2S}). */
  static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("pt") || t.startsWith("p")) {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    }
    String[][] units = {{"ms", "MILLIS"}, {"s", "SECONDS"}, {"m", "MINUTES"}, {"h", "HOURS"}};
    for (String[] u : units) {
      if (t.endsWith(u[0])) {
        long n = Long.parseLong(t.substring(0, t.length() - u[0].length()).trim());
        return Duration.of(n, java.time.temporal.ChronoUnit.valueOf(u[1]));
      }
    }
    throw new IllegalArgumentException("expected a duration like 500ms, 2s or PT2S");
  }

  /**
   * {@code parser} applied to {@code value}; a failure says which option, what it got and {@code
   * expected} (the valid values, or their form).
   */
  static <T> T parse(String value, Function<String, T> parser, String name, String expected) {
    try {
      return parser.apply(value.trim());
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          "invalid value for " + name + ": '" + value + "' (" + expected + ")", e);
    }
  }
}
