package io.kevo.replication;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.KeyValue;
import io.kevo.engine.ScanOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Helpers the replication tests share across packages: reading a whole database for comparison and
 * serving a service on an in-process gRPC server. Stateless; safe from any thread.
 */
public final class TestNodes {
  private TestNodes() {}

  /** Every live key of {@code db} with its value, as UTF-8 strings, in key order. */
  public static Map<String, String> contents(KevoDB db) {
    Map<String, String> out = new LinkedHashMap<>();
    try (KevoIterator it = db.scan(ScanOptions.ALL)) {
      while (it.hasNext()) {
        KeyValue kv = it.next();
        out.put(new String(kv.key(), UTF_8), new String(kv.value(), UTF_8));
      }
    }
    return out;
  }

  /**
   * Serves {@code service} on a fresh in-process server and returns a channel to it; shutting both
   * down (server first) is added to {@code closers}.
   */
  public static ManagedChannel serveInProcess(
      ServerServiceDefinition service, List<AutoCloseable> closers) throws Exception {
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name).addService(service).build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
    closers.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    closers.add(() -> ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return ch;
  }
}
