package io.kevo.coordination;

import java.time.Duration;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/** Curator's in-process ZooKeeper server on an ephemeral port, with a short tick. */
final class ZkTestSupport {
  /** A short tick, so the server grants sessions from 400 ms. */
  static final int TICK_MILLIS = 200;

  static final Duration SHORT_SESSION = Duration.ofMillis(1_500);
  static final Duration SHORT_CONNECTION = Duration.ofMillis(500);

  private ZkTestSupport() {}

  static TestingServer startServer() throws Exception {
    InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MILLIS, -1);
    return new TestingServer(spec, true);
  }

  static Coordinator connect(TestingServer server, String cluster) {
    return connect(server.getConnectString(), cluster);
  }

  static Coordinator connect(String connectString, String cluster) {
    Coordinator coordinator =
        Coordinator.start(
            CoordinatorOptions.of(connectString, cluster)
                .withTimeouts(SHORT_SESSION, SHORT_CONNECTION));
    if (!coordinator.awaitLive(Duration.ofSeconds(10))) {
      coordinator.close();
      throw new AssertionError("no session with " + connectString);
    }
    return coordinator;
  }
}
