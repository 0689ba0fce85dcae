package io.kevo.bench.server;

import io.kevo.engine.KevoDB;
import io.kevo.server.KevoServer;
import io.kevo.server.ServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The node under test when {@code server} has no {@code --target}: a {@link KevoServer} on a fresh
 * database ({@link EngineSetup#OPTIONS}), listening on {@code 127.0.0.1} with a port the system
 * picks. Prints {@code LISTENING_PREFIX <port>} on stdout once it serves, then serves until its
 * stdin ends (the parent closes it, or dies), then shuts down and exits 0.
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

  @Override
  public Integer call() throws IOException {
    KevoDB db = KevoDB.open(dir, EngineSetup.OPTIONS);
    ServerOptions options =
        ServerOptions.builder()
            .listen(host, 0)
            .shutdownGrace(Duration.ofSeconds(2))
            .dispatch(dispatch)
            .build();
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
