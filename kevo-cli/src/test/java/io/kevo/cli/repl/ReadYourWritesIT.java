package io.kevo.cli.repl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kevo.client.ClientOptions;
import io.kevo.client.KevoClient;
import io.kevo.client.ReadPreference;
import io.kevo.testkit.TcpProxy;
import io.kevo.wire.PrimarySide;
import io.kevo.wire.ReplicaSide;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Read-your-writes across real processes: a session client writes to the primary and at once reads
 * from a replica whose link to the primary is throttled by a {@link TcpProxy}. It always sees its
 * own write: the replica holds the read until it has applied it, or refuses and the client reads
 * from the primary. A client without a session, reading the same replica, sees stale values.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReadYourWritesIT extends ClusterFixture {
  private static final Duration CONVERGENCE = Duration.ofSeconds(60);
  private static final int VALUE_BYTES = 2 << 10;

  private TcpProxy proxy;

  @AfterEach
  void tearDown() {
    if (proxy != null) {
      proxy.close();
    }
  }

  private static byte[] value(String key, int round) {
    return BackgroundWriter.valueOf(key + "#" + round, VALUE_BYTES);
  }

  @Test
  void sessionAlwaysSeesItsOwnWritesThroughAThrottledReplica() throws Exception {
    ReplicationCluster.Node primary = cluster.startPrimary("primary");
    proxy = new TcpProxy("127.0.0.1", primary.port());
    ReplicationCluster.Node replica =
        cluster.startReplica("replica", proxy.address(), List.of(), "--read-wait-timeout", "300ms");
    await()
        .atMost(CONVERGENCE)
        .until(() -> primary.primaryFigure(PrimarySide::connectedReplicas) == 1);
    ClientOptions.Builder options =
        ClientOptions.builder()
            .endpoint(primary.address())
            .readPreference(ReadPreference.REPLICA_PREFERRED);
    try (KevoClient session = KevoClient.connect(options.sessionConsistency(true).build());
        KevoClient plain = KevoClient.connect(options.sessionConsistency(false).build())) {
      session.put("warm".getBytes(UTF_8), new byte[1]);
      cluster.awaitConverged(CONVERGENCE, primary, replica);
      assertThat(session.refreshTopology().replicas()).hasSize(1); // reads go to the replica
      plain.refreshTopology();

      // About 40 KiB/s: each 2 KiB write reaches the replica some tens of ms after it returns.
      proxy.throttle(40 << 10);
      int rounds = 150;
      int stale = 0;
      for (int i = 0; i < rounds; i++) {
        String key = "ryw-" + (i % 10);
        byte[] v = value(key, i);
        session.put(key.getBytes(UTF_8), v);
        if (i % 10 == 0) {
          // Without a session the replica answers at once with what it has.
          byte[] seen = plain.get(key.getBytes(UTF_8)).orElse(null);
          if (seen == null || !java.util.Arrays.equals(seen, v)) {
            stale++;
          }
        }
        assertThat(session.get(key.getBytes(UTF_8)))
            .as("round %d: the session reads its own write", i)
            .hasValueSatisfying(got -> assertThat(got).isEqualTo(v));
        if (i == rounds / 2) {
          // Lag beyond the read wait: 200 KiB (incompressible) the throttled link needs seconds
          // for.
          java.util.Random random = new java.util.Random(7);
          for (int j = 0; j < 100; j++) {
            byte[] noise = new byte[VALUE_BYTES];
            random.nextBytes(noise);
            plain.put(("bulk-" + j).getBytes(UTF_8), noise);
          }
        }
      }
      long waits = replica.replicaFigure(ReplicaSide::readWaits);
      long timeouts = replica.replicaFigure(ReplicaSide::readWaitTimeouts);
      System.out.printf(
          "read-your-writes: %d rounds, replica held %d reads (%d timed out and went to the"
              + " primary), %d of %d plain reads were stale%n",
          rounds, waits, timeouts, stale, rounds / 10);
      assertThat(waits).as("reads the replica held until it had applied them").isPositive();
      assertThat(waits - timeouts).as("held reads the replica itself answered").isPositive();
      assertThat(timeouts).as("reads sent on to the primary").isPositive();
      assertThat(stale).as("a plain client does read stale values from this replica").isPositive();
    } finally {
      proxy.mode(TcpProxy.Mode.PASS);
    }
    cluster.awaitConverged(CONVERGENCE, primary, replica);
  }
}
