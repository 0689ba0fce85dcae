package io.kevo.bench.server;

import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.replication.ReplicaOptions;
import io.kevo.server.Dispatch;
import io.kevo.server.KevoServer;
import io.kevo.server.NodeRole;
import io.kevo.server.ServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The node under test when {@code server} has no {@code --target}, and each node of the {@code
 * replication} and {@code safety} benchmarks: a {@link KevoServer} on a database ({@link
 * EngineSetup#OPTIONS}; a primary's is opened with {@link Options#holdWalAtOpen()}, as {@code kevo
 * server --role primary} does), in the role {@code --role} says. It keeps the contract of a {@link
 * io.kevo.testkit.NodeLauncher} server: writes its bound port to {@code --port-file} once it
 * serves, then serves until SIGTERM or until its stdin ends (the parent dies), and shuts down
 * cleanly either way. A replica restarted on the same directory resumes from its own log under the
 * same replica id.
 */
@Command(
    name = "server-node",
    hidden = true,
    description = "Serves a database until SIGTERM or until stdin closes (benchmark child).")
public final class ServerNodeCommand implements Callable<Integer> {
  @Option(
      names = {"--data", "--dir"},
      required = true,
      description = "Directory of the database.")
  Path dir;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:0",
      paramLabel = "HOST:PORT",
      description = "Address to bind; port 0 lets the system pick (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--port-file",
      required = true,
      description = "Where to write the bound port once the node serves.")
  Path portFile;

  @Option(
      names = "--dispatch",
      defaultValue = "EVENT_LOOP",
      description = "Where handlers run: EVENT_LOOP or POOL (default: ${DEFAULT-VALUE}).")
  Dispatch dispatch;

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
    int colon = listen.lastIndexOf(':');
    ServerOptions options =
        ServerOptions.builder()
            .listen(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)))
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
      // SIGTERM runs shutdown hooks only: close there too (close is idempotent).
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "server-node-stop"));
      // Written whole, then moved: the parent never reads a half-written port.
      Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
      Files.writeString(tmp, Integer.toString(server.port()));
      Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
      InputStream in = System.in;
      byte[] buffer = new byte[256];
      while (in.read(buffer) >= 0) {
        // Nothing is sent on stdin; its end is the signal to stop.
      }
    }
    return 0;
  }
}
