package io.kevo.backup;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.KeyValue;
import io.kevo.engine.Options;
import io.kevo.engine.ScanOptions;
import io.kevo.engine.SyncMode;
import io.kevo.server.KevoServer;
import io.kevo.server.NodeRole;
import io.kevo.server.ServerOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Real nodes on 127.0.0.1 in this JVM for the backup tests: a primary over small memtables and
 * tables (a few thousand writes make several SSTables), channels to it, and the contents of a
 * database. Everything opened is closed by {@link #close()}, newest first. Not thread-safe.
 */
final class BackupNodes implements AutoCloseable {
  static final Options DB =
      Options.builder()
          .memtableSize(128 << 10)
          .segmentSize(64 << 10)
          .targetFileSize(128 << 10)
          .syncMode(SyncMode.NONE)
          .holdWalAtOpen(true)
          .build();

  private final List<AutoCloseable> open = new ArrayList<>();

  /** A node of {@code role} over {@code dir}, on an ephemeral port. */
  KevoServer start(Path dir, NodeRole role) {
    KevoDB db = KevoDB.open(dir, DB);
    KevoServer s =
        KevoServer.start(db, ServerOptions.builder().role(role).listen("127.0.0.1", 0).build());
    open.add(s);
    return s;
  }

  /** Closes {@code s} with the others. */
  KevoServer track(KevoServer s) {
    open.add(s);
    return s;
  }

  ManagedChannel channel(KevoServer s) {
    ManagedChannel ch = NettyChannelBuilder.forTarget(s.address()).usePlaintext().build();
    open.add(
        () -> {
          ch.shutdownNow();
          ch.awaitTermination(5, TimeUnit.SECONDS);
        });
    return ch;
  }

  /** Every key and value of {@code db}. */
  static Map<String, String> contents(KevoDB db) {
    Map<String, String> out = new TreeMap<>();
    try (KevoIterator it = db.scan(ScanOptions.ALL)) {
      while (it.hasNext()) {
        KeyValue kv = it.next();
        out.put(new String(kv.key(), UTF_8), new String(kv.value(), UTF_8));
      }
    }
    return out;
  }

  /** The contents of the database in {@code dir}, opened and closed for the purpose. */
  static Map<String, String> contents(Path dir) {
    try (KevoDB db = KevoDB.open(dir)) {
      return contents(db);
    }
  }

  @Override
  public void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    open.clear();
  }
}
