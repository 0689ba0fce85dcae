package io.kevo.cli.repl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.client.KevoClient;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.wire.PrimarySide;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad replication clients against a real primary process, next to a real replica: each gets a clear
 * answer, and the primary goes on taking writes and feeding its replica.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReplicationBadInputIT extends ClusterFixture {
  private static final Duration CONVERGENCE = Duration.ofSeconds(60);
  private static final Metadata.Key<String> REPL_ERROR =
      Metadata.Key.of("kevo-repl-error", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> NEXT_SEQUENCE =
      Metadata.Key.of("kevo-next-sequence", Metadata.ASCII_STRING_MARSHALLER);

  private RawReplicationStream silent;

  @AfterEach
  void tearDown() {
    if (silent != null) {
      silent.cancel();
    }
  }

  @Test
  void aheadOfPrimaryUnknownSessionAndANonReadingReplicaAreRefusedWhileTheClusterGoesOn()
      throws Exception {
    ReplicationCluster.Node primary = cluster.startPrimary("primary");
    ReplicationCluster.Node replica = cluster.startReplica("replica", primary.address());
    try (KevoClient client = primary.client()) {
      for (int i = 0; i < 100; i++) {
        client.put(b("before" + i), b("x"));
      }
      long last = cluster.awaitConverged(CONVERGENCE, primary, replica);

      // A start_sequence beyond the primary's log.
      RawReplicationStream ahead =
          RawReplicationStream.open(
              primary.channel(),
              WALStreamRequest.newBuilder()
                  .setStartSequence(last + 100)
                  .setProtocolVersion(1)
                  .setReplicaId("from-the-future")
                  .build(),
              true);
      Status refused = ahead.awaitEnd(Duration.ofSeconds(10));
      assertThat(refused.getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
      assertThat(ahead.trailers.get().get(REPL_ERROR)).isEqualTo("AHEAD_OF_PRIMARY");
      assertThat(ahead.trailers.get().get(NEXT_SEQUENCE)).isEqualTo(Long.toString(last + 1));
      assertThat(ahead.responses).isEmpty();

      // Acknowledge and NegativeAcknowledge of a session that does not exist, or of none.
      assertThat(code(() -> RawReplicationStream.ack(primary.channel(), "no-such-session", 1)))
          .isEqualTo(Status.Code.NOT_FOUND);
      assertThat(code(() -> RawReplicationStream.nack(primary.channel(), "no-such-session", 1)))
          .isEqualTo(Status.Code.NOT_FOUND);
      assertThat(code(() -> RawReplicationStream.ack(primary.channel(), null, 1)))
          .isEqualTo(Status.Code.INVALID_ARGUMENT);

      // A replica that opens a stream and never reads a message: the primary fills what the
      // transport will buffer, then closes the session once it has neither read nor acked for its
      // timeout (10 s), while writes and the real replica go on.
      silent =
          RawReplicationStream.open(
              primary.channel(),
              WALStreamRequest.newBuilder()
                  .setStartSequence(1)
                  .setProtocolVersion(1)
                  .setReplicaId("never-reads")
                  .build(),
              false);
      assertThat(silent.sessionId()).isNotBlank();
      long started = System.nanoTime();
      try (BackgroundWriter writer =
          new BackgroundWriter(client, "during", 4 << 10, false).start(2)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> primary.primaryFigure(PrimarySide::sessionsTimedOut) >= 1);
        long closedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("the non-reading session was closed after %d ms%n", closedAfter);
        assertThat(closedAfter).isGreaterThanOrEqualTo(10_000);
        // The real replica kept up meanwhile.
        assertThat(primary.lastSequence() - replica.lastSequence()).isLessThan(20_000);
        long now = writer.acknowledgedCount();
        await().atMost(CONVERGENCE).until(() -> writer.acknowledgedCount() > now + 100);
      }
      // Once it reads, it finds the stream ended with the reason.
      silent.requestAll();
      Status ended = silent.awaitEnd(Duration.ofSeconds(30));
      assertThat(ended.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(ended.getDescription()).contains("neither read the stream nor acknowledged");

      client.put(b("after"), b("all"));
      cluster.awaitConverged(CONVERGENCE, primary, replica);
      assertThat(replica.get(b("after"))).isPresent();
      PrimarySide figures = primary.status().primary().orElseThrow();
      assertThat(figures.sessions()).hasValue(1);
      assertThat(figures.streamsRefused()).hasValue(1);
    }
  }

  private static Status.Code code(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(call::run, StatusRuntimeException.class);
    assertThat(e).as("a failed call").isNotNull();
    return e.getStatus().getCode();
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }
}
