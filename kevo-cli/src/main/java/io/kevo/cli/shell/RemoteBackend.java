package io.kevo.cli.shell;

import io.kevo.client.ClientTransaction;
import io.kevo.client.KevoClient;
import io.kevo.client.KevoScan;
import io.kevo.client.KeyValue;
import io.kevo.client.ScanSpec;
import io.kevo.client.WriteSpec;
import io.kevo.engine.ScanOptions;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.wire.AckLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A {@link ShellBackend} over a {@link KevoClient}: {@code kevo shell --connect HOST:PORT}.
 * Failures are {@link io.kevo.client.KevoClientException}s, shown as {@code error: CODE: server
 * message}. Reads go where the client sends them; writes and read-write transactions always go to
 * the primary (the client learns it from the node's topology, or from a replica's redirect), so a
 * write typed in a shell connected to a replica is noted {@code (written on the primary
 * HOST:PORT)}. Not thread-safe.
 */
public final class RemoteBackend implements ShellBackend {
  private final KevoClient client;
  private final boolean sync;
  private final String description;
  private final boolean replica; // the node the shell talks to, as it said at connect
  private AckLevel ack; // null: the server's default
  private String writeNote = "";

  private RemoteBackend(KevoClient client, boolean sync, String description, boolean replica) {
    this.client = client;
    this.sync = sync;
    this.description = description;
    this.replica = replica;
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
      if (client.isSharded()) {
        // Keys go to their shards' nodes; there is no one node to describe.
        client.get(new byte[] {0}); // fails here, not on the first command, if nothing answers
        return new RemoteBackend(
            client,
            sync,
            "sharded cluster "
                + client.options().coordinator()
                + (sync ? " (synced writes)" : "")
                + "; .stats and transactions need one shard's node",
            false);
      }
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
      return new RemoteBackend(
          client, sync, description, info.getNodeRole() == GetNodeInfoResponse.NodeRole.REPLICA);
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
    writeNote = "";
    client.put(key, value, spec());
    wrote();
  }

  /** After a write or commit succeeded: notes where it went if not to the node the shell uses. */
  private void wrote() {
    if (replica) {
      String primary = client.topology().primary();
      writeNote = "(written on the primary " + (primary == null ? "?" : primary) + ")";
    }
  }

  @Override
  public String writeNote() {
    return writeNote;
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    return client.get(key);
  }

  @Override
  public void delete(byte[] key) {
    writeNote = "";
    client.delete(key, spec());
    wrote();
  }

  @Override
  public void scan(ScanOptions scan, BiConsumer<byte[], byte[]> sink) {
    drain(client.scan(toSpec(scan)), sink);
  }

  @Override
  public Report stats() {
    return StatsReports.server(client.stats());
  }

  @Override
  public List<byte[]> keys(byte[] prefix, int limit) {
    List<byte[]> keys = new ArrayList<>();
    drain(
        client.scan(ScanSpec.builder().prefix(prefix).limit(limit).build()), (k, v) -> keys.add(k));
    return keys;
  }

  @Override
  public String closedNote() {
    return "disconnected from "
        + (client.isSharded() ? client.options().coordinator() : client.endpoint());
  }

  @Override
  public ShellTransaction begin(boolean readOnly) {
    writeNote = "";
    return new RemoteTransaction(
        client.beginTransaction(readOnly), this::spec, readOnly ? () -> {} : this::wrote);
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
    private final Runnable committed;

    RemoteTransaction(
        ClientTransaction tx, java.util.function.Supplier<WriteSpec> spec, Runnable committed) {
      this.tx = tx;
      this.spec = spec;
      this.committed = committed;
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
      committed.run();
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
