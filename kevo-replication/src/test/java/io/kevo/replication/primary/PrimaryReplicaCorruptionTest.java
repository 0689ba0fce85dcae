package io.kevo.replication.primary;

import static io.kevo.replication.TestNodes.contents;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.kevo.engine.KevoDB;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicaStatus;
import io.kevo.replication.ServedPrimary;
import io.kevo.replication.replica.Replica;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@link Primary} and a real {@link Replica}, each on its own {@link KevoDB}, over an
 * in-process gRPC server whose interceptor flips one byte of one entry's payload in one outgoing
 * response (what a bad NIC or a buggy proxy could do below TLS-less gRPC): the replica catches it
 * by the entry's CRC-32, does not apply it, nacks, the primary resends, and both end equal.
 */
@Timeout(60)
class PrimaryReplicaCorruptionTest {
  private static final int WRITES = 300;
  private static final long CORRUPTED_SEQUENCE = 150;

  @TempDir Path dir;

  private KevoDB primaryDb;
  private KevoDB replicaDb;
  private ServedPrimary served;
  private Replica replica;

  @AfterEach
  void tearDown() throws Exception {
    if (replica != null) {
      replica.stop();
    }
    if (served != null) {
      served.close();
    }
    if (replicaDb != null) {
      replicaDb.close();
    }
    if (primaryDb != null) {
      primaryDb.close();
    }
  }

  @Test
  void aFlippedPayloadByteIsCaughtByItsChecksumNackedResentAndNeverApplied() throws Exception {
    primaryDb = KevoDB.open(dir.resolve("primary"));
    for (int i = 1; i <= WRITES; i++) {
      primaryDb.put(key(i), value(i));
    }
    FlipOnePayloadByte flip = new FlipOnePayloadByte(CORRUPTED_SEQUENCE);
    served = ServedPrimary.open(primaryDb, PrimaryOptions.DEFAULT, flip);

    replicaDb = KevoDB.open(dir.resolve("replica"));
    // Uncompressed entries, so that the flipped byte reaches the checksum check (a flipped byte
    // of a compressed payload fails decompression instead, another path).
    replica =
        new Replica(
            replicaDb,
            () -> served.channel(),
            ReplicaOptions.builder()
                .preferredCodec(CompressionCodec.NONE)
                .acceptPacked(false)
                .replicaId("corruption-test")
                .build());
    replica.start();

    await().atMost(Duration.ofSeconds(30)).until(() -> replica.getLastAppliedSequence() == WRITES);
    // And a write made after the corruption still arrives.
    long more = primaryDb.put(b("after"), b("corruption"));
    await().atMost(Duration.ofSeconds(30)).until(() -> replica.getLastAppliedSequence() == more);

    assertThat(flip.flipped.get()).as("responses corrupted").isEqualTo(1);
    ReplicaStatus rs = replica.status();
    assertThat(rs.checksumFailures()).isGreaterThanOrEqualTo(1);
    assertThat(rs.nacksSent()).isGreaterThanOrEqualTo(1);
    // Every operation applied exactly once: the corrupted copy was not, its resend was.
    assertThat(rs.entriesApplied()).isEqualTo(more);
    assertThat(served.primary().status().resends()).isGreaterThanOrEqualTo(1);

    assertThat(contents(replicaDb)).containsExactlyEntriesOf(contents(primaryDb));
    assertThat(replicaDb.get(key(CORRUPTED_SEQUENCE)).orElseThrow())
        .isEqualTo(value(CORRUPTED_SEQUENCE));
  }

  /**
   * Flips the last payload byte of the entry of {@code sequence} in the first outgoing response
   * carrying it, keeping its checksum; everything else passes untouched.
   */
  private static final class FlipOnePayloadByte implements ServerInterceptor {
    final AtomicInteger flipped = new AtomicInteger();
    private final long sequence;

    FlipOnePayloadByte(long sequence) {
      this.sequence = sequence;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      return next.startCall(
          new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            @SuppressWarnings("unchecked")
            public void sendMessage(R message) {
              if (message instanceof WALStreamResponse r && flipped.get() == 0) {
                super.sendMessage((R) corrupt(r));
              } else {
                super.sendMessage(message);
              }
            }
          },
          headers);
    }

    private WALStreamResponse corrupt(WALStreamResponse r) {
      assertThat(r.getCompressed()).isFalse();
      assertThat(r.getPackedEntries().isEmpty()).isTrue();
      for (int i = 0; i < r.getEntriesCount(); i++) {
        WALEntry e = r.getEntries(i);
        if (e.getSequenceNumber() == sequence && flipped.compareAndSet(0, 1)) {
          byte[] payload = e.getPayload().toByteArray();
          payload[payload.length - 1] ^= 0x01;
          return r.toBuilder()
              .setEntries(i, e.toBuilder().setPayload(ByteString.copyFrom(payload)))
              .build();
        }
      }
      return r;
    }
  }

  private static byte[] key(long i) {
    return b(String.format("key%04d", i));
  }

  private static byte[] value(long i) {
    return b("value-" + i);
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }
}
