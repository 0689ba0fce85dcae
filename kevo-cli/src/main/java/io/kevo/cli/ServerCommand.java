package io.kevo.cli;

import io.kevo.engine.Compression;
import io.kevo.engine.FatalErrorListener;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoException;
import io.kevo.engine.Options;
import io.kevo.engine.SyncMode;
import io.kevo.engine.TransactionMode;
import io.kevo.server.KevoServer;
import io.kevo.server.NodeRole;
import io.kevo.server.ServerOptions;
import io.kevo.wire.AckLevel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
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
 * <p>Settings come from the flags, else from the {@code --config} properties file (same keys as the
 * long options without dashes: {@code data}, {@code listen}, {@code sync}, {@code memtable-mb},
 * {@code cache-mb}, {@code compression}, {@code role}, {@code primary}, {@code advertise}, {@code
 * replication-ack}, {@code replication-ack-timeout}, {@code min-replicas-to-write}, {@code
 * read-wait-timeout}, {@code transactions}), else from the defaults. Durations are {@code 500ms},
 * {@code 2s}, {@code 1m} or ISO-8601 ({@code PT2S}).
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Serve a database over gRPC (kevo.KevoService, health, reflection) until SIGINT/SIGTERM."
    })
final class ServerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);
  private static final Duration GRACE = Duration.ofSeconds(10);

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
      description = "Properties file with the same keys as these options; flags override it.")
  private Path config;

  @Option(
      names = "--sync",
      paramLabel = "MODE",
      description = "WAL sync mode: none, batch or immediate. Default: the engine's (batch).")
  private String sync;

  @Option(
      names = "--memtable-mb",
      paramLabel = "MB",
      description = "Memtable size in MiB. Default: the engine's.")
  private String memtableMb;

  @Option(
      names = "--wal-segment-mb",
      paramLabel = "MB",
      description =
          "WAL segment size in MiB (the log is trimmed a whole sealed segment at a time)."
              + " Default: the engine's.")
  private String walSegmentMb;

  @Option(
      names = "--cache-mb",
      paramLabel = "MB",
      description = "Block cache size in MiB. Default: the engine's.")
  private String cacheMb;

  @Option(
      names = "--compression",
      paramLabel = "CODEC",
      description = "SSTable block compression: none, snappy, lz4 or zstd. Default: the engine's.")
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
      names = "--replication-ack",
      paramLabel = "LEVEL",
      description =
          "For --role primary: when client writes return, unless a request says otherwise"
              + " (kevo-ack metadata): async (after the local WAL), replica:N (once N replicas"
              + " made it durable) or all (every connected replica). Default: async")
  private String replicationAck;

  @Option(
      names = "--replication-ack-timeout",
      paramLabel = "DURATION",
      description =
          "How long a write waits for its acknowledgement level before it fails with"
              + " DEADLINE_EXCEEDED (it stays committed on the primary). Default: 5s")
  private String replicationAckTimeout;

  @Option(
      names = "--min-replicas-to-write",
      paramLabel = "N",
      description =
          "For --role primary: refuse writes (FAILED_PRECONDITION) while fewer than N replicas"
              + " are connected; health service kevo.writes says NOT_SERVING. Default: 0 (never)")
  private String minReplicasToWrite;

  @Option(
      names = "--read-wait-timeout",
      paramLabel = "DURATION",
      description =
          "For --role replica: how long a read asking for a sequence not yet applied"
              + " (kevo-min-sequence) waits before it is refused with UNAVAILABLE. Default: 1s")
  private String readWaitTimeout;

  @Option(
      names = "--transactions",
      paramLabel = "MODE",
      description =
          "Read-write transactions begun without kevo-tx-mode: optimistic (checked at commit) or"
              + " pessimistic (keys locked until the end, as Kevo's Go server). Default: optimistic")
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
              + " bootstraps from a snapshot if the log moves past it). Default: 1024")
  private Long retentionMb;

  @Option(
      names = "--max-bootstraps",
      paramLabel = "N",
      description =
          "For --role primary: snapshot transfers to bootstrapping replicas that may run at once."
              + " Default: 2")
  private Integer maxBootstraps;

  @Spec private CommandSpec spec;

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
      NodeRole nodeRole =
          parseEnum(NodeRole.class, setting(role, file, "role", "standalone"), "--role");
      ServerOptions.Builder b =
          ServerOptions.builder()
              .listen(setting(listen, file, "listen", "127.0.0.1:50051"))
              .shutdownGrace(GRACE)
              .role(nodeRole)
              .primaryAddress(setting(primary, file, "primary", null))
              .advertiseAddress(setting(advertise, file, "advertise", null))
              .primaryOptions(primaryOptions(file))
              .transactionMode(
                  TransactionMode.parse(setting(transactions, file, "transactions", "optimistic")));
      String ack = setting(replicationAck, file, "replication-ack", null);
      if (ack != null) {
        b.replicationAck(parse(ack, AckLevel::parse, "--replication-ack"));
      }
      String ackTimeout = setting(replicationAckTimeout, file, "replication-ack-timeout", null);
      if (ackTimeout != null) {
        b.replicationAckTimeout(
            parse(ackTimeout, ServerCommand::duration, "--replication-ack-timeout"));
      }
      String minReplicas = setting(minReplicasToWrite, file, "min-replicas-to-write", null);
      if (minReplicas != null) {
        b.minReplicasToWrite(parse(minReplicas, Integer::parseInt, "--min-replicas-to-write"));
      }
      String readWait = setting(readWaitTimeout, file, "read-wait-timeout", null);
      if (readWait != null) {
        b.readWaitTimeout(parse(readWait, ServerCommand::duration, "--read-wait-timeout"));
      }
      serverOptions = b.build();
      engineOptions = engineOptions(file, nodeRole, halt);
    } catch (IllegalArgumentException | KevoException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
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
        .addShutdownHook(new Thread(() -> server.close(GRACE), "kevo-server-shutdown"));
    boolean handled = Signals.onTermination(stop::countDown);
    writePortFile(server.port());
    LOG.info(
        "Kevo server listening on {} (data {}, role {}{})",
        server.address(),
        dir.toAbsolutePath().normalize(),
        serverOptions.role().name().toLowerCase(Locale.ROOT),
        serverOptions.primaryAddress() != null
            ? ", primary " + serverOptions.primaryAddress()
            : "");
    if (handled) {
      stop.await();
      server.close(GRACE);
    } else {
      server.awaitTermination(); // the shutdown hook closes it
    }
    return ExitCodes.OK;
  }

  private io.kevo.replication.PrimaryOptions primaryOptions(Properties file) {
    io.kevo.replication.PrimaryOptions.Builder b =
        io.kevo.replication.PrimaryOptions.DEFAULT.toBuilder();
    String r =
        setting(
            retentionMb == null ? null : retentionMb.toString(), file, "repl-retention-mb", null);
    if (r != null) {
      b.retentionBytes(Long.parseLong(r) << 20);
    }
    String m =
        setting(
            maxBootstraps == null ? null : maxBootstraps.toString(), file, "max-bootstraps", null);
    if (m != null) {
      b.maxConcurrentBootstraps(Integer.parseInt(m));
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
    Properties p = new Properties();
    if (config == null) {
      return p;
    }
    try (Reader r = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "cannot read config file " + config + ": " + e.getMessage(), e);
    }
    return p;
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

  private static String setting(String flag, Properties file, String key, String fallback) {
    if (flag != null) {
      return flag;
    }
    String v = file.getProperty(key);
    return v != null ? v.trim() : fallback;
  }

  private static long mib(String value, String name) {
    long mb = parse(value, Long::parseLong, name);
    if (mb <= 0 || mb > (1L << 20)) {
      throw new IllegalArgumentException(name + " must be in 1.." + (1L << 20) + ", got " + value);
    }
    return mb << 20;
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String name) {
    return parse(value, v -> Enum.valueOf(type, v.toUpperCase(Locale.ROOT)), name);
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

  private static <T> T parse(String value, Function<String, T> parser, String name) {
    try {
      return parser.apply(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid value for " + name + ": '" + value + "'", e);
    }
  }
}
