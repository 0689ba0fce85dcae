package io.kevo.chaos.cluster;

import io.kevo.coordination.CoordinationException;
import io.kevo.coordination.EmbeddedZooKeeper;
import io.kevo.testkit.KeptPorts;
import io.kevo.testkit.TcpProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinated cluster's ZooKeeper: one {@link EmbeddedZooKeeper} in the harness's JVM on a port
 * of 127.0.0.1 picked by {@link KeptPorts}, with its files under a directory of the run, and one
 * {@link TcpProxy} per node in front of it, so that one node alone can be cut off from it. It can
 * be stopped and started again on the same port and data ({@code zk-restart}): the cluster's
 * records and epoch survive, as they would on a real server's restart.
 *
 * <p>Thread-safe (synchronized); {@link #close()} stops the server and every proxy.
 */
public final class ZooKeeperHost implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperHost.class);

  /** How long a restart retries while the port is not yet free again. */
  private static final long RESTART_RETRY_MILLIS = 15_000;

  private final Path dir;
  private final int port;
  private final Map<String, TcpProxy> proxies = new LinkedHashMap<>();
  private EmbeddedZooKeeper server;

  private ZooKeeperHost(Path dir, EmbeddedZooKeeper server) {
    this.dir = dir;
    this.server = server;
    this.port = server.port();
  }

  /**
   * Quiets the embedded ZooKeeper server (and Curator) in this JVM: they log their environment,
   * every session and every connection a fault resets (with a stack trace) at INFO and WARN on
   * stderr through slf4j-simple, which drowns what the run says; their errors remain. Call it
   * before the first ZooKeeper class loads; a level set on the command line wins.
   */
  public static void quietLogs() {
    quiet("org.slf4j.simpleLogger.log.org.apache.zookeeper", "error");
    quiet("org.slf4j.simpleLogger.log.org.apache.curator", "warn");
  }

  private static void quiet(String property, String level) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, level);
    }
  }

  /** Starts a server with its files under {@code dir}. */
  public static ZooKeeperHost start(Path dir) {
    return new ZooKeeperHost(
        dir, EmbeddedZooKeeper.start(new InetSocketAddress("127.0.0.1", KeptPorts.pick()), dir));
  }

  /** The server's own port (it keeps it across restarts). */
  public int port() {
    return port;
  }

  /** The proxy {@code node} reaches ZooKeeper through, created on first use. */
  public synchronized TcpProxy proxyFor(String node) throws IOException {
    TcpProxy p = proxies.get(node);
    if (p == null) {
      p = new TcpProxy("127.0.0.1", port);
      proxies.put(node, p);
    }
    return p;
  }

  /** Whether the server runs now. */
  public synchronized boolean running() {
    return server != null && server.isRunning();
  }

  /** Stops the server (its clients see their connections drop and new ones refused). */
  public synchronized void stop() {
    if (server != null) {
      server.close();
      server = null;
      LOG.info("ZooKeeper on port {} stopped", port);
    }
  }

  /**
   * Starts the server again on the same port and data, if it is stopped; retries for a while if the
   * port is not free yet.
   *
   * @throws CoordinationException if it still cannot start
   */
  public synchronized void startAgain() throws InterruptedException {
    if (running()) {
      return;
    }
    long deadline = System.currentTimeMillis() + RESTART_RETRY_MILLIS;
    while (true) {
      try {
        server = EmbeddedZooKeeper.start(new InetSocketAddress("127.0.0.1", port), dir);
        LOG.info("ZooKeeper on port {} started again", port);
        return;
      } catch (CoordinationException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        LOG.info("ZooKeeper cannot start again on port {} yet: {}", port, e.getMessage());
        Thread.sleep(200);
      }
    }
  }

  /** Every node's link to ZooKeeper back to passing bytes, and the server running. */
  public synchronized void heal() throws InterruptedException {
    for (TcpProxy p : proxies.values()) {
      p.mode(TcpProxy.Mode.PASS);
    }
    startAgain();
  }

  @Override
  public synchronized void close() {
    for (TcpProxy p : proxies.values()) {
      p.close();
    }
    stop();
  }
}
