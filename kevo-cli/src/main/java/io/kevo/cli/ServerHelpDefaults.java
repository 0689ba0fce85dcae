package io.kevo.cli;

import io.kevo.coordination.CoordinatorOptions;
import io.kevo.engine.Options;
import io.kevo.replication.PrimaryOptions;
import io.kevo.server.FailoverOptions;
import io.kevo.server.ServerOptions;
import java.time.Duration;
import java.util.ListResourceBundle;
import java.util.Locale;

/**
 * The default values {@code kevo server --help} shows, read from the engine's, the server's and the
 * primary's option defaults ({@link Options#DEFAULT}, {@link ServerOptions#DEFAULT}, {@link
 * PrimaryOptions#DEFAULT}) so that the help can never drift from what the server does. picocli
 * reads them as {@code ${bundle:default.KEY}} in option descriptions (this class is the server
 * command's resource bundle). Public only because {@link java.util.ResourceBundle} instantiates it
 * reflectively; immutable and thread-safe.
 */
public final class ServerHelpDefaults extends ListResourceBundle {
  @Override
  protected Object[][] getContents() {
    Options engine = Options.DEFAULT;
    ServerOptions server = ServerOptions.DEFAULT;
    PrimaryOptions primary = PrimaryOptions.DEFAULT;
    return new Object[][] {
      {"default.sync", engine.syncMode().name().toLowerCase(Locale.ROOT)},
      {"default.memtable-mb", Long.toString(engine.memtableSize() >> 20)},
      {"default.wal-segment-mb", Long.toString(engine.segmentSize() >> 20)},
      {"default.cache-mb", Long.toString(engine.blockCacheSize() >> 20)},
      {"default.compression", engine.compression().name().toLowerCase(Locale.ROOT)},
      {
        "default.replication-ack",
        server.replicationAck() == null ? "async" : server.replicationAck().toString()
      },
      {"default.replication-ack-timeout", text(server.replicationAckTimeout())},
      {"default.min-replicas-to-write", Integer.toString(server.minReplicasToWrite())},
      {"default.read-wait-timeout", text(server.readWaitTimeout())},
      {"default.transactions", server.transactionMode().name().toLowerCase(Locale.ROOT)},
      {"default.repl-retention-mb", Long.toString(primary.retentionBytes() >> 20)},
      {"default.max-bootstraps", Integer.toString(primary.maxConcurrentBootstraps())},
      {"default.grace", text(ServerCommand.GRACE)},
      {"default.failover-min-interval", text(FailoverOptions.DEFAULT_MIN_INTERVAL)},
      {"default.failover-grace", text(FailoverOptions.DEFAULT_GRACE)},
      {"default.failover-async-max-lag", Long.toString(FailoverOptions.DEFAULT_ASYNC_MAX_LAG)},
      {"default.coordinator-session-timeout", text(CoordinatorOptions.DEFAULT_SESSION_TIMEOUT)},
      {"config.keys", String.join(", ", ServerConfigFile.KEYS)}
    };
  }

  /** {@code 5s}, {@code 500ms}, {@code 2m}: the shortest form {@code --...-timeout} accepts. */
  static String text(Duration d) {
    if (d.toMillis() % 60_000 == 0 && !d.isZero()) {
      return d.toMinutes() + "m";
    }
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + "s";
    }
    return d.toMillis() + "ms";
  }
}
