package io.kevo.cli.shell;

import io.kevo.client.ClientTransaction;
import io.kevo.client.KevoClient;
import io.kevo.client.KevoScan;
import io.kevo.client.KeyValue;
import io.kevo.client.ScanSpec;
import io.kevo.client.WriteSpec;
import io.kevo.engine.ScanOptions;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetStatsResponse;
import io.kevo.wire.AckLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A {@link ShellBackend} over a {@link KevoClient}: {@code kevo shell --connect HOST:PORT}.
 * Failures are {@link io.kevo.client.KevoClientException}s, shown as {@code error: CODE: server
 * message}. Not thread-safe.
 */
public final class RemoteBackend implements ShellBackend {
  private final KevoClient client;
  private final boolean sync;
  private final String description;
  private AckLevel ack; // null: the server's default

  private RemoteBackend(KevoClient client, boolean sync, String description) {
    this.client = client;
    this.sync = sync;
    this.description = description;
  }

  /**
   * Connects and asks the node who it is, so that an unreachable server fails here rather than on
   * the first command.
   *
   * @param sync whether each write asks the server to sync its log before answering
   * @throws io.kevo.client.KevoClientException if the node cannot be reached (the client is closed)
   */
  public static RemoteBackend connect(KevoClient client, boolean sync) {
    try {
      GetNodeInfoResponse info = client.nodeInfo();
      String description =
          "server at "
              + client.endpoint()
              + " (Kevo "
              + info.getVersion()
              + ", "
              + info.getNodeRole()
              + (sync ? ", synced writes" : "")
              + ")";
      return new RemoteBackend(client, sync, description);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public String ackLevel(boolean show, String level) {
    if (!show) {
      ack = level == null ? null : AckLevel.parse(level);
    }
    return ack == null ? "default (the server's --replication-ack)" : ack.toString();
  }

  private WriteSpec spec() {
    return new WriteSpec(sync, ack);
  }

  @Override
  public void put(byte[] key, byte[] value) {
    client.put(key, value, spec());
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    return client.get(key);
  }

  @Override
  public void delete(byte[] key) {
    client.delete(key, spec());
  }

  @Override
  public void scan(ScanOptions scan, BiConsumer<byte[], byte[]> sink) {
    drain(client.scan(toSpec(scan)), sink);
  }

  @Override
  public List<Stat> stats() {
    GetStatsResponse s = client.stats();
    List<Stat> rows = new ArrayList<>();
    rows.add(new Stat("keyCount", String.valueOf(s.getKeyCount())));
    rows.add(new Stat("storageSize", String.valueOf(s.getStorageSize())));
    rows.add(new Stat("memtableCount", String.valueOf(s.getMemtableCount())));
    rows.add(new Stat("sstableCount", String.valueOf(s.getSstableCount())));
    rows.add(new Stat("writeAmplification", String.format("%.3f", s.getWriteAmplification())));
    rows.add(new Stat("readAmplification", String.format("%.3f", s.getReadAmplification())));
    rows.add(new Stat("totalBytesRead", String.valueOf(s.getTotalBytesRead())));
    rows.add(new Stat("totalBytesWritten", String.valueOf(s.getTotalBytesWritten())));
    rows.add(new Stat("flushCount", String.valueOf(s.getFlushCount())));
    rows.add(new Stat("compactionCount", String.valueOf(s.getCompactionCount())));
    s.getOperationCountsMap().entrySet().stream()
        .sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> rows.add(new Stat("ops " + e.getKey(), Long.toUnsignedString(e.getValue()))));
    return rows;
  }

  @Override
  public ShellTransaction begin(boolean readOnly) {
    return new RemoteTransaction(client.beginTransaction(readOnly), this::spec);
  }

  @Override
  public void close() {
    client.close();
  }

  /** The protocol's scan request for the shell's (engine) scan options. */
  static ScanSpec toSpec(ScanOptions scan) {
    return ScanSpec.builder()
        .prefix(scan.prefixBytes())
        .suffix(scan.suffixBytes())
        .start(scan.start())
        .end(scan.end())
        .build();
  }

  static void drain(KevoScan scan, BiConsumer<byte[], byte[]> sink) {
    try (KevoScan it = scan) {
      while (it.hasNext()) {
        KeyValue kv = it.next();
        sink.accept(kv.key(), kv.value());
      }
    }
  }

  /** A {@link ShellTransaction} over a {@link ClientTransaction}. */
  private static final class RemoteTransaction implements ShellTransaction {
    private final ClientTransaction tx;
    private final java.util.function.Supplier<WriteSpec> spec; // the level as of COMMIT

    RemoteTransaction(ClientTransaction tx, java.util.function.Supplier<WriteSpec> spec) {
      this.tx = tx;
      this.spec = spec;
    }

    @Override
    public boolean readOnly() {
      return tx.readOnly();
    }

    @Override
    public boolean isOpen() {
      return tx.state() == ClientTransaction.State.OPEN;
    }

    @Override
    public void put(byte[] key, byte[] value) {
      tx.put(key, value);
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
      return tx.get(key);
    }

    @Override
    public void delete(byte[] key) {
      tx.delete(key);
    }

    @Override
    public void scan(ScanOptions scan, BiConsumer<byte[], byte[]> sink) {
      drain(tx.scan(toSpec(scan)), sink);
    }

    @Override
    public void commit() {
      tx.commit(spec.get());
    }

    @Override
    public void rollback() {
      tx.rollback();
    }

    @Override
    public void close() {
      tx.close();
    }
  }
}
