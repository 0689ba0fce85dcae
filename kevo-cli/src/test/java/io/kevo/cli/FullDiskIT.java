package io.kevo.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.GetStatsRequest;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import io.kevo.server.KevoServer;
import io.kevo.wire.ReplicationStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code kevo server} process whose data directory is on a real file system that fills up: an 8
 * MiB tmpfs mounted for the test. Once the disk is full the node refuses writes and says so (the
 * {@code kevo.writes} health service, {@code GetNodeInfo.read_only}, the error text); once a file
 * is deleted it takes writes again by itself, without a restart; after a restart every acknowledged
 * write is there.
 *
 * <p>Mounting needs root. CI runs as root (its script installs packages with apt-get, no sudo), so
 * a machine where the mount fails is a broken test environment and the test fails saying so, rather
 * than passing without having run. The mount is always undone, also when the test fails.
 */
class FullDiskIT {
  private static final Duration RPC_DEADLINE = Duration.ofSeconds(10);
  private static final Duration HEALTH_CHANGE = Duration.ofSeconds(15);
  private static final Duration RECOVERY = Duration.ofSeconds(60);
  private static final int VALUE_BYTES = 4096;
  private static final int MAX_WRITES_TO_FILL = 10_000;

  @TempDir Path tmp;

  private Path jar;
  private Path disk;
  private boolean mounted;

  /** Acknowledged writes: key to value. */
  private final Map<String, ByteString> acked = new LinkedHashMap<>();

  /** Writes whose outcome the server said is unknown: key to the value they tried to write. */
  private final Map<String, ByteString> unknown = new LinkedHashMap<>();

  @BeforeEach
  void mountSmallDisk() throws Exception {
    String property = System.getProperty("kevo.cli.jar");
    assertThat(property).as("system property kevo.cli.jar (set by kevo-cli/pom.xml)").isNotNull();
    jar = Path.of(property);
    disk = Files.createDirectories(tmp.resolve("disk"));
    Run r = run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", disk.toString());
    if (r.status != 0) {
      fail(
          "cannot mount an 8 MiB tmpfs at %s (exit %d: %s). This test fills a real file system"
              + " and needs root to mount one (user %s); CI runs as root.",
          disk, r.status, r.output.strip(), System.getProperty("user.name"));
    }
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (!mounted) {
      return;
    }
    Run r = run("umount", disk.toString());
    if (r.status != 0) {
      // Something still holds a file there (a server that did not die yet): detach it anyway.
      Run lazy = run("umount", "-l", disk.toString());
      assertThat(lazy.status).as("umount -l %s: %s / %s", disk, r.output, lazy.output).isZero();
    }
    mounted = false;
  }

  @Test
  void aNodeOnAFullDiskRefusesWritesSaysSoAndResumesWhenSpaceIsFreed() throws Exception {
    Path data = disk.resolve("data");
    List<String> serverArgs = List.of("--memtable-mb", "1", "--wal-segment-mb", "1");
    try (DistributionProcess.Server first =
            DistributionProcess.startServer(
                jar, tmp, data, "first", "127.0.0.1:0", List.of(), serverArgs);
        Node node = new Node(first.address())) {
      for (int i = 0; i < 100; i++) {
        node.put("before-" + i);
      }
      assertThat(node.writesHealth()).isEqualTo(ServingStatus.SERVING);

      Path filler = disk.resolve("filler");
      fillUp(filler);
      StatusRuntimeException firstFailure = writeUntilRefused(node);
      // The first failed write either was being written (outcome unknown) or was refused without
      // being attempted (a flush had already met the full disk); the next one is refused.
      assertThat(firstFailure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      StatusRuntimeException refused = node.failedPut("refused");
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(lower(refused.getStatus().getDescription()))
          .contains("refuses writes since")
          .contains("no space left on device")
          .contains("nothing was written")
          .doesNotContain("unknown");

      await().atMost(HEALTH_CHANGE).until(() -> node.writesHealth() == ServingStatus.NOT_SERVING);
      GetNodeInfoResponse info = node.info();
      assertThat(info.getReadOnly()).isTrue();
      ReplicationStatus.WriteRefusal refusal =
          ReplicationStatus.of(info).writeRefusal().orElseThrow();
      assertThat(refusal.code()).hasValue("NO_SPACE");
      assertThat(lower(refusal.reason())).contains("no space left on device");
      assertThat(lower(node.stats().getWriteRefusal())).contains("no space left on device");
      // Reads go on, and the node itself is healthy for them.
      assertThat(node.get("before-7")).isEqualTo(acked.get("before-7"));
      assertThat(node.health("")).isEqualTo(ServingStatus.SERVING);

      Files.delete(filler);
      int[] attempt = {0};
      await()
          .atMost(RECOVERY)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> node.tryPut("resumed-" + attempt[0]++));
      await().atMost(HEALTH_CHANGE).until(() -> node.writesHealth() == ServingStatus.SERVING);
      info = node.info();
      assertThat(info.getReadOnly()).isFalse();
      assertThat(ReplicationStatus.of(info).writeRefusal()).isEmpty();
      assertThat(node.stats().getWriteRefusal()).isEmpty();
      for (int i = 0; i < 100; i++) {
        node.put("after-" + i);
      }
      assertThat(first.terminate()).as("exit status after SIGTERM").isZero();
      assertThat(first.logText()).contains("refusing writes").contains("writes resumed");
    }

    try (DistributionProcess.Server second =
            DistributionProcess.startServer(
                jar, tmp, data, "second", "127.0.0.1:0", List.of(), serverArgs);
        Node node = new Node(second.address())) {
      Map<String, ByteString> missing = new LinkedHashMap<>();
      for (Map.Entry<String, ByteString> e : acked.entrySet()) {
        ByteString found = node.get(e.getKey());
        if (!e.getValue().equals(found)) {
          missing.put(e.getKey(), found);
        }
      }
      assertThat(missing).as("acknowledged writes missing or changed after restart").isEmpty();
      for (Map.Entry<String, ByteString> e : unknown.entrySet()) {
        ByteString found = node.get(e.getKey());
        assertThat(found == null || found.equals(e.getValue()))
            .as("write of unknown outcome %s is absent or whole", e.getKey())
            .isTrue();
      }
      node.put("after-restart");
      assertThat(second.terminate()).as("exit status after SIGTERM").isZero();
    }
  }

  /** Writes to {@code file} until the file system has no room left. */
  private static void fillUp(Path file) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (true) {
        chunk.clear();
        try {
          while (chunk.hasRemaining()) {
            ch.write(chunk);
          }
        } catch (IOException e) {
          assertThat(lower(e.getMessage())).contains("no space left on device");
          return;
        }
      }
    }
  }

  /** Puts until one fails (the last page of the log may still have had room); returns that one. */
  private StatusRuntimeException writeUntilRefused(Node node) {
    for (int i = 0; i < MAX_WRITES_TO_FILL; i++) {
      StatusRuntimeException e = node.putOrFailure("filling-" + i);
      if (e != null) {
        return e;
      }
    }
    throw new AssertionError(MAX_WRITES_TO_FILL + " writes of 4 KiB fitted on a full 8 MiB disk");
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }

  private static ByteString valueOf(String key) {
    byte[] v = new byte[VALUE_BYTES];
    byte[] k = (key + ";").getBytes(UTF_8);
    for (int i = 0; i < v.length; i++) {
      v[i] = k[i % k.length];
    }
    return ByteString.copyFrom(v);
  }

  private record Run(int status, String output) {}

  private Run run(String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(tmp, "cmd", ".out");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Run(-1, String.join(" ", command) + " did not finish within 30 s");
    }
    return new Run(p.exitValue(), Files.readString(out, UTF_8));
  }

  /** Raw stubs to one node (no client retries: each call's status is what the node said). */
  private final class Node implements AutoCloseable {
    private final ManagedChannel channel;

    Node(String address) {
      channel = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
    }

    private KevoServiceGrpc.KevoServiceBlockingStub stub() {
      return KevoServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(RPC_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    void put(String key) {
      StatusRuntimeException e = putOrFailure(key);
      if (e != null) {
        throw new AssertionError("put of " + key + " failed", e);
      }
    }

    /** Puts; null if acknowledged, else the failure (recorded as unknown if the node says so). */
    StatusRuntimeException putOrFailure(String key) {
      ByteString value = valueOf(key);
      try {
        stub()
            .put(
                PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(key))
                    .setValue(value)
                    .build());
        acked.put(key, value);
        return null;
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getCode())
            .as("status of a failed put")
            .isEqualTo(Status.Code.UNAVAILABLE);
        String d = lower(e.getStatus().getDescription());
        if (d.contains("outcome of this write is unknown")) {
          unknown.put(key, value);
        } else {
          assertThat(d)
              .as("a put that failed without an unknown outcome")
              .contains("refuses writes since");
        }
        return e;
      }
    }

    StatusRuntimeException failedPut(String key) {
      StatusRuntimeException e = putOrFailure(key);
      assertThat(e).as("put of %s while the disk is full", key).isNotNull();
      return e;
    }

    boolean tryPut(String key) {
      return putOrFailure(key) == null;
    }

    ByteString get(String key) {
      GetResponse r =
          stub().get(GetRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build());
      return r.getFound() ? r.getValue() : null;
    }

    GetNodeInfoResponse info() {
      return stub().getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
    }

    io.kevo.proto.GetStatsResponse stats() {
      return stub().getStats(GetStatsRequest.getDefaultInstance());
    }

    ServingStatus writesHealth() {
      return health(KevoServer.WRITES_HEALTH_SERVICE);
    }

    ServingStatus health(String service) {
      return HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(RPC_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.newBuilder().setService(service).build())
          .getStatus();
    }

    @Override
    public void close() throws InterruptedException {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
