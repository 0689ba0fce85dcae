package io.kevo.bench.server;

import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.replication.ReplicaOptions;
import io.kevo.server.KevoServer;
import io.kevo.server.NodeRole;
import io.kevo.server.ServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The node under test when {@code server} has no {@code --target}, and each node of the {@code
 * replication} benchmark: a {@link KevoServer} on a database ({@link EngineSetup#OPTIONS}; a
 * primary's is opened with {@link Options#holdWalAtOpen()}, as {@code kevo server --role primary}
 * does), listening on {@code 127.0.0.1} with a port the system picks, in the role {@code --role}
 * says. Prints {@code LISTENING_PREFIX <port>} on stdout once it serves, then serves until its
 * stdin ends (the parent closes it, or dies), then shuts down and exits 0. A replica restarted on
 * the same directory resumes from its own log under the same replica id.
 */
@Command(
    name = "server-node",
    hidden = true,
    description = "Serves a fresh database until stdin closes (server benchmark child).")
public final class ServerNodeCommand implements Callable<Integer> {
  /** Marks the line with the bound port. */
  static final String LISTENING_PREFIX = "KEVO-BENCH-LISTENING ";

  @Option(names = "--dir", required = true, description = "Empty directory for the database.")
  Path dir;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind.")
  String host;

  @Option(
      names = "--dispatch",
      defaultValue = "EVENT_LOOP",
      description = "Where handlers run: EVENT_LOOP or POOL (default: ${DEFAULT-VALUE}).")
  ServerOptions.Dispatch dispatch;

  @Option(
      names = "--role",
      defaultValue = "STANDALONE",
      description = "STANDALONE, PRIMARY or REPLICA (default: ${DEFAULT-VALUE}).")
  NodeRole role;

  @Option(
      names = "--primary",
      paramLabel = "HOST:PORT",
      description = "For --role REPLICA: the primary's client address.")
  String primary;

  @Option(
      names = "--codec",
      defaultValue = "ZSTD",
      description =
          "For --role REPLICA: the compression asked of the primary, NONE, SNAPPY or ZSTD"
              + " (default: ${DEFAULT-VALUE}).")
  CompressionCodec codec;

  @Override
  public Integer call() throws IOException {
    Options engine =
        role == NodeRole.PRIMARY
            ? EngineSetup.OPTIONS.toBuilder().holdWalAtOpen(true).build()
            : EngineSetup.OPTIONS;
    ServerOptions options =
        ServerOptions.builder()
            .listen(host, 0)
            .shutdownGrace(Duration.ofSeconds(2))
            .dispatch(dispatch)
            .role(role)
            .primaryAddress(role == NodeRole.REPLICA ? primary : null)
            .replicaOptions(ReplicaOptions.DEFAULT.toBuilder().preferredCodec(codec).build())
            .build();
    KevoDB db = KevoDB.open(dir, engine);
    KevoServer started;
    try {
      started = KevoServer.start(db, options);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    try (KevoServer server = started) {
      System.out.println(LISTENING_PREFIX + server.port());
      System.out.flush();
      InputStream in = System.in;
      byte[] buffer = new byte[256];
      while (in.read(buffer) >= 0) {
        // Nothing is sent on stdin; its end is the signal to stop.
      }
    }
    return 0;
  }
}
