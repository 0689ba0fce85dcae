package io.kevo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.Operation;
import io.kevo.proto.PutRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code kevo server} whose heap is too small for what it is sent (64 MiB with the default 64 MiB
 * memtable; values of 4 MiB and atomic batches of 8 x 512 KiB, after what the fault harness found)
 * runs out of memory, and then does not stay up: it logs why and halts by itself with {@link
 * ExitCodes#JVM_FAILURE}, as a supervisor expects. Restarted with a normal heap, it has every write
 * it acknowledged.
 *
 * <p>Why these sizes: the server starts in 64 MiB and acknowledges a round or two, so the restart
 * has something to check; the memtable cannot fit before its first flush, so the heap runs out
 * every time (a batch of 20 x 512 KiB, as in the harness, exhausts it at the first batch).
 *
 * <p>The server runs as {@code java -jar kevo-cli.jar server}, without the launcher script's {@code
 * -XX:+ExitOnOutOfMemoryError}: what ends it is its own handling, wherever the heap runs out (a
 * gRPC handler, message parsing, the engine's write path or its flush).
 */
class OutOfMemoryExitIT {
  private static final String SMALL_HEAP = "-Xmx64m";
  private static final int VALUE_BYTES = 4 << 20;
  private static final int BATCH_OPS = 8;
  private static final int BATCH_VALUE_BYTES = 512 << 10;

  /** 48 rounds of 4 + 4 MiB: far more than the heap, so it must run out before the end. */
  private static final int MAX_ROUNDS = 48;

  private static final Duration RPC_DEADLINE = Duration.ofSeconds(30);
  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  /** Keys of acknowledged writes; their values are derived from the key ({@link #valueOf}). */
  private final List<String> acked = new ArrayList<>();

  @Test
  void aServerThatRunsOutOfMemoryExitsWithItsStatusAndKeepsWhatItAcknowledged() throws Exception {
    Path jar = Path.of(System.getProperty("kevo.cli.jar"));
    Path data = tmp.resolve("data");

    StatusRuntimeException firstFailure = null;
    int rounds = 0;
    try (DistributionProcess.Server small =
        DistributionProcess.startServer(jar, tmp, data, "small", SMALL_HEAP)) {
      ManagedChannel channel = channel(small.address());
      try {
        for (; rounds < MAX_ROUNDS && firstFailure == null; rounds++) {
          firstFailure = put(channel, "value-" + rounds);
          if (firstFailure == null) {
            firstFailure = batch(channel, "batch-" + rounds);
          }
        }
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      assertThat(firstFailure)
          .as("a write failed within %d rounds of 8 MiB on a %s heap", MAX_ROUNDS, SMALL_HEAP)
          .isNotNull();

      int status = small.awaitExit(EXIT);

      assertThat(status)
          .as("exit status; log:%n%s", small.logText())
          .isEqualTo(ExitCodes.JVM_FAILURE);
      assertThat(small.logText())
          .contains("kevo server is exiting with status " + ExitCodes.JVM_FAILURE)
          .contains("java.lang.OutOfMemoryError")
          .contains("the maximum heap is")
          .contains("KEVO_JAVA_OPTS=-Xmx");
    }
    assertThat(acked).as("writes acknowledged before the heap ran out").isNotEmpty();

    try (DistributionProcess.Server normal =
        DistributionProcess.startServer(jar, tmp, data, "normal", "-Xmx512m")) {
      ManagedChannel channel = channel(normal.address());
      try {
        List<String> missing = new ArrayList<>();
        for (String key : acked) {
          GetResponse r = stub(channel).get(GetRequest.newBuilder().setKey(key(key)).build());
          if (!r.getFound() || !r.getValue().equals(valueOf(key))) {
            missing.add(key);
          }
        }
        assertThat(missing).as("acknowledged writes missing or changed after restart").isEmpty();
        assertThat(put(channel, "after-restart")).isNull();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      assertThat(normal.terminate()).as("exit status after SIGTERM").isZero();
    }
  }

  /** Puts one large value; null if acknowledged, else the failure. */
  private StatusRuntimeException put(ManagedChannel channel, String key) {
    try {
      stub(channel).put(PutRequest.newBuilder().setKey(key(key)).setValue(valueOf(key)).build());
      acked.add(key);
      return null;
    } catch (StatusRuntimeException e) {
      return e;
    }
  }

  /** Writes one atomic batch of large values; null if acknowledged, else the failure. */
  private StatusRuntimeException batch(ManagedChannel channel, String prefix) {
    BatchWriteRequest.Builder b = BatchWriteRequest.newBuilder();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < BATCH_OPS; i++) {
      String key = prefix + "-" + i;
      keys.add(key);
      b.addOperations(
          Operation.newBuilder()
              .setType(Operation.Type.PUT)
              .setKey(key(key))
              .setValue(valueOf(key)));
    }
    try {
      stub(channel).batchWrite(b.build());
      acked.addAll(keys);
      return null;
    } catch (StatusRuntimeException e) {
      return e;
    }
  }

  private static ManagedChannel channel(String address) {
    return Grpc.newChannelBuilder(address, InsecureChannelCredentials.create())
        .maxInboundMessageSize(64 << 20)
        .build();
  }

  private static KevoServiceGrpc.KevoServiceBlockingStub stub(ManagedChannel channel) {
    return KevoServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(RPC_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static ByteString key(String key) {
    return ByteString.copyFromUtf8(key);
  }

  /** The value written under {@code key}: pseudo-random bytes (incompressible), seeded by it. */
  private static ByteString valueOf(String key) {
    byte[] v = new byte[key.startsWith("batch-") ? BATCH_VALUE_BYTES : VALUE_BYTES];
    new Random(key.hashCode()).nextBytes(v);
    return ByteString.copyFrom(v);
  }
}
