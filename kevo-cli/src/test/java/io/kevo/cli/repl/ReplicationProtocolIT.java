package io.kevo.cli.repl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kevo.client.KevoClient;
import io.kevo.client.Op;
import io.kevo.proto.replication.FragmentType;
import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A minimal replica that knows only PROTOCOL.md §2 (start_sequence, protocol_version,
 * compression_supported=false; the session-id header; Ack and Nack; the payload layout), against a
 * real {@code kevo server --role primary}: it streams the log from sequence 1, decodes every
 * payload by hand, acknowledges, and a nack makes the stream resend from the nacked sequence.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReplicationProtocolIT extends ClusterFixture {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private RawReplicationStream stream;

  /** One decoded payload: op u8 | sequence u64 | keyLen u32 | key | valLen u32 | value (LE). */
  record Decoded(int op, long sequence, String key, String value) {}

  @AfterEach
  void tearDown() {
    if (stream != null) {
      stream.cancel();
    }
  }

  @Test
  void minimalReplicaFromProtocolSection2StreamsDecodesAcksAndNacks() throws Exception {
    ReplicationCluster.Node primary = cluster.startPrimary("primary");
    List<Decoded> expected = new ArrayList<>();
    try (KevoClient client = primary.client()) {
      long seq = 0;
      for (int i = 0; i < 40; i++) {
        client.put(b(key(i)), b("value" + i));
        expected.add(new Decoded(1, ++seq, key(i), "value" + i));
      }
      for (int i = 0; i < 5; i++) {
        client.delete(b(key(i)));
        expected.add(new Decoded(2, ++seq, key(i), null));
      }
      client.batch(
          List.of(
              Op.put(b("batch:a"), b("A")),
              Op.delete(b(key(5))),
              Op.put(b("batch:b"), new byte[0])));
      expected.add(new Decoded(1, ++seq, "batch:a", "A"));
      expected.add(new Decoded(2, ++seq, key(5), null));
      expected.add(new Decoded(1, ++seq, "batch:b", ""));
    }
    long last = expected.size();
    assertThat(primary.lastSequence()).isEqualTo(last);

    stream =
        RawReplicationStream.open(
            primary.channel(),
            WALStreamRequest.newBuilder()
                .setStartSequence(1)
                .setProtocolVersion(1)
                .setCompressionSupported(false)
                .build(),
            true);
    assertThat(receiveUntil(last)).containsExactlyElementsOf(expected);
    String session = stream.sessionId();
    assertThat(session).isNotBlank();

    assertThat(RawReplicationStream.ack(primary.channel(), session, last).getSuccess()).isTrue();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(primary.info().getReplicasList())
                    .singleElement()
                    .satisfies(r -> assertThat(r.getLastSequence()).isEqualTo(last)));

    // A nack from 20: the stream goes back and resends 20.. in order.
    assertThat(RawReplicationStream.nack(primary.channel(), session, 20).getSuccess()).isTrue();
    assertThat(receiveUntil(last)).containsExactlyElementsOf(expected.subList(19, (int) last));

    // New writes are pushed to the stream as they happen.
    try (KevoClient client = KevoClient.connect(primary.address())) {
      client.put(b("live"), b("pushed"));
    }
    assertThat(receiveUntil(last + 1)).containsExactly(new Decoded(1, last + 1, "live", "pushed"));
  }

  /** Decodes responses (skipping heartbeats) until the entry of {@code sequence} has arrived. */
  private List<Decoded> receiveUntil(long sequence) throws InterruptedException {
    List<Decoded> out = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (out.isEmpty() || out.get(out.size() - 1).sequence() < sequence) {
      assertThat(System.nanoTime()).as("entries up to %d in time", sequence).isLessThan(deadline);
      WALStreamResponse r = stream.next(WAIT);
      assertThat(r.getCompressed()).as("compression was not offered").isFalse();
      for (WALEntry e : r.getEntriesList()) {
        assertThat(e.getFragmentType()).isEqualTo(FragmentType.FULL);
        byte[] payload = e.getPayload().toByteArray();
        CRC32 crc = new CRC32();
        crc.update(payload);
        assertThat(e.getChecksum())
            .as("CRC-32 of sequence %d", e.getSequenceNumber())
            .isEqualTo((int) crc.getValue());
        Decoded d = decode(payload);
        assertThat(d.sequence()).isEqualTo(e.getSequenceNumber());
        out.add(d);
      }
    }
    return out;
  }

  /** PROTOCOL.md §2, by hand: no project code. */
  private static Decoded decode(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    int op = in.get() & 0xFF;
    long sequence = in.getLong();
    byte[] key = new byte[in.getInt()];
    in.get(key);
    String value = null;
    if (op == 1) {
      byte[] v = new byte[in.getInt()];
      in.get(v);
      value = new String(v, UTF_8);
    } else {
      assertThat(op).as("op (1=PUT, 2=DELETE)").isEqualTo(2);
    }
    assertThat(in.remaining()).as("bytes after the operation").isZero();
    return new Decoded(op, sequence, new String(key, UTF_8), value);
  }

  private static String key(int i) {
    return String.format("key%03d", i);
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }
}
