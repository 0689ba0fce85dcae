package io.kevo.server;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared set-up for tests that run several real servers on 127.0.0.1 in this JVM: each node opens
 * its own database under a temporary directory, and every node and channel a test opened is closed
 * after it, newest first. Not thread-safe; the test thread owns it.
 */
abstract class LocalNodesFixture {
  @TempDir Path dir;

  /** Closed after each test in reverse order; tests may add their own resources. */
  final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  static ByteString b(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  /**
   * Starts a server on an ephemeral port of 127.0.0.1 over a database in {@code dir/name}, which
   * holds its log from open so that a primary can stream it from the start.
   */
  KevoServer node(String name, ServerOptions.Builder options) {
    KevoDB db = KevoDB.open(dir.resolve(name), Options.builder().holdWalAtOpen(true).build());
    KevoServer s = KevoServer.start(db, options.listen("127.0.0.1", 0).build());
    open.add(s);
    return s;
  }

  /** A plaintext channel to {@code s}, shut down after the test. */
  ManagedChannel channel(KevoServer s) {
    ManagedChannel ch = NettyChannelBuilder.forTarget(s.address()).usePlaintext().build();
    open.add(
        () -> {
          ch.shutdownNow();
          ch.awaitTermination(5, TimeUnit.SECONDS);
        });
    return ch;
  }
}
