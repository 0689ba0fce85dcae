package io.kevo.client;

import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.server.KevoServer;
import io.kevo.server.ServerOptions;
import java.nio.file.Path;

/** A real {@link KevoServer} on 127.0.0.1 (an ephemeral port) and a client connected to it. */
final class ServerFixture implements AutoCloseable {
  static final int MAX_KEY = 1024;
  static final int MAX_VALUE = 64 * 1024;

  final KevoServer server;
  final KevoClient client;

  ServerFixture(Path dir, ClientOptions.Builder clientOptions) {
    this(dir, ServerOptions.builder(), clientOptions);
  }

  ServerFixture(
      Path dir, ServerOptions.Builder serverOptions, ClientOptions.Builder clientOptions) {
    KevoDB db =
        KevoDB.open(dir, Options.builder().maxKeySize(MAX_KEY).maxValueSize(MAX_VALUE).build());
    server = KevoServer.start(db, serverOptions.listen("127.0.0.1", 0).build());
    client = KevoClient.connect(clientOptions.endpoint(server.address()).build());
  }

  ServerFixture(Path dir) {
    this(dir, ClientOptions.builder());
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
