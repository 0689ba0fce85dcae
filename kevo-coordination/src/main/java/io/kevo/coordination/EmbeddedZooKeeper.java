package io.kevo.coordination;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single ZooKeeper server in this JVM (ZooKeeper's own {@link ZooKeeperServer}, not a fake), for
 * development and tests: {@code kevo coordinator --listen HOST:PORT --data DIR}. Production uses a
 * real ensemble of 3 or 5 servers; one server is a single point of failure.
 *
 * <p>The tick is {@link #TICK_MILLIS} (500 ms), so the server grants session timeouts from 1 s (2
 * ticks) to 10 s (20 ticks), which holds the clients' default 4 s (see {@link CoordinatorOptions}).
 * Snapshots and the transaction log go under the data directory, so the cluster's epoch survives a
 * restart of the server.
 *
 * <p>Thread-safe; {@link #close()} is idempotent and throws nothing.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

  /** The server's tick: the unit of its session timeout bounds. */
  public static final int TICK_MILLIS = 500;

  private static final int MAX_CLIENT_CONNECTIONS = 1_000;

  private final ZooKeeperServer server;
  private final ServerCnxnFactory factory;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedZooKeeper(ZooKeeperServer server, ServerCnxnFactory factory) {
    this.server = server;
    this.factory = factory;
  }

  /**
   * Starts a server listening on {@code address} (port 0 picks a free one) with its files under
   * {@code dataDir} (created if absent).
   *
   * @throws CoordinationException if the port is taken or the directory unusable
   */
  public static EmbeddedZooKeeper start(InetSocketAddress address, Path dataDir) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(dataDir, "dataDir");
    ServerCnxnFactory factory = null;
    try {
      File snapshots = Files.createDirectories(dataDir.resolve("snapshots")).toFile();
      File log = Files.createDirectories(dataDir.resolve("log")).toFile();
      ZooKeeperServer server = new ZooKeeperServer(snapshots, log, TICK_MILLIS);
      factory = ServerCnxnFactory.createFactory();
      factory.configure(address, MAX_CLIENT_CONNECTIONS);
      factory.startup(server);
      EmbeddedZooKeeper zk = new EmbeddedZooKeeper(server, factory);
      LOG.info("embedded ZooKeeper listening on {} with data in {}", zk.connectString(), dataDir);
      return zk;
    } catch (IOException e) {
      if (factory != null) {
        factory.shutdown();
      }
      throw new CoordinationException("cannot start ZooKeeper on " + address + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      factory.shutdown();
      throw new CoordinationException("interrupted while starting ZooKeeper on " + address, e);
    }
  }

  /** The port the server listens on. */
  public int port() {
    return factory.getLocalPort();
  }

  /** {@code HOST:PORT} for {@link CoordinatorOptions#connectString()}. */
  public String connectString() {
    InetSocketAddress local = factory.getLocalAddress();
    String host = local.getAddress().isAnyLocalAddress() ? "127.0.0.1" : local.getHostString();
    return host + ":" + local.getPort();
  }

  /** True while the server serves clients. */
  public boolean isRunning() {
    return !closed.get() && server.isRunning();
  }

  /** Stops the server and closes its files; idempotent, throws nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        factory.shutdown();
        server.shutdown();
        server.getTxnLogFactory().close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("stopping the embedded ZooKeeper failed", e);
      }
      LOG.info("embedded ZooKeeper stopped");
    }
  }
}
