package io.kevo.bench.run;

import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.EmbeddedZooKeeper;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a benchmark's coordinated nodes need in the bench JVM: an {@link EmbeddedZooKeeper} on
 * 127.0.0.1 (an ephemeral port) with its files in {@code dir/zookeeper}, and a coordinator session
 * of the cluster on it, live before {@link #start} returns. {@link #close()} ends the session, then
 * the server.
 */
public record LocalCoordination(EmbeddedZooKeeper zk, Coordinator coordinator)
    implements AutoCloseable {
  private static final Duration LIVE_WITHIN = Duration.ofSeconds(30);

  /**
   * Starts both; stops what started if the rest does not.
   *
   * @throws IllegalStateException if the session is not live within 30 s
   */
  public static LocalCoordination start(Path dir, String cluster) {
    EmbeddedZooKeeper zk =
        EmbeddedZooKeeper.start(new InetSocketAddress("127.0.0.1", 0), dir.resolve("zookeeper"));
    Coordinator coordinator;
    try {
      coordinator = Coordinator.start(CoordinatorOptions.of(zk.connectString(), cluster));
    } catch (RuntimeException | Error e) {
      zk.close();
      throw e;
    }
    LocalCoordination c = new LocalCoordination(zk, coordinator);
    try {
      if (!coordinator.awaitLive(LIVE_WITHIN)) {
        throw new IllegalStateException(
            "no session with the embedded ZooKeeper within " + LIVE_WITHIN.toSeconds() + " s");
      }
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** {@code HOST:PORT} of the server. */
  public String connectString() {
    return zk.connectString();
  }

  @Override
  public void close() {
    coordinator.close();
    zk.close();
  }
}
