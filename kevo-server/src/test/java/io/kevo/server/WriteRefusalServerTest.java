package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.kevo.engine.Options;
import io.kevo.proto.CompactRequest;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.PutRequest;
import io.kevo.wire.ReplicationStatus;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose engine refuses writes says so: the {@code kevo.writes} health service turns
 * NOT_SERVING, {@code GetNodeInfo.read_only} turns true with the reason in its replication map,
 * {@code GetStats} carries the reason, and writes fail with UNAVAILABLE and the engine's words,
 * while the node's own health stays SERVING. (A full disk that heals is covered by {@code
 * FullDiskIT} in kevo-cli, on a real tmpfs, with reads going on; here the engine stops for good, on
 * tables damaged under it, which reads cannot use either.)
 */
class WriteRefusalServerTest {
  @TempDir Path dir;

  @Test
  void aNodeWhoseEngineRefusesWritesReportsItInHealthNodeInfoAndStats() throws Exception {
    Options small =
        Options.builder()
            .memtableSize(64 * 1024)
            .targetFileSize(64 * 1024)
            .blockCacheSize(0)
            .build();
    try (ServerFixture f = new ServerFixture(dir, ServerOptions.DEFAULT, small)) {
      var health = HealthGrpc.newBlockingStub(f.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
      for (int i = 0; i < 500; i++) {
        f.stub.put(put(String.format("key%04d", i), new byte[300]));
      }
      f.stub.compact(CompactRequest.getDefaultInstance());
      assertThat(writesHealth(health)).isEqualTo(ServingStatus.SERVING);
      assertThat(f.stub.getNodeInfo(GetNodeInfoRequest.getDefaultInstance()).getReadOnly())
          .isFalse();

      // Tables cut short under the open engine: the next compaction cannot read them.
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.filter(p -> p.toString().endsWith(".sst")).toList()) {
          try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(10);
          }
        }
      }
      assertThatThrownBy(() -> f.stub.compact(CompactRequest.getDefaultInstance()))
          .isInstanceOf(StatusRuntimeException.class);

      assertThatThrownBy(() -> f.stub.put(put("after", new byte[1])))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription())
                    .contains("refuses writes since")
                    .contains("nothing was written")
                    .contains("reopen");
              });
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> writesHealth(health) == ServingStatus.NOT_SERVING);
      // The node itself stays up for reads.
      assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
          .isEqualTo(ServingStatus.SERVING);
      GetNodeInfoResponse info = f.stub.getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
      assertThat(info.getReadOnly()).isTrue();
      ReplicationStatus.WriteRefusal refusal =
          ReplicationStatus.of(info).writeRefusal().orElseThrow();
      assertThat(refusal.code()).hasValue("WRITES_REFUSED");
      assertThat(refusal.since()).isPresent();
      assertThat(refusal.reason()).contains("flushing a memtable or compacting");
      // (GetStats itself would count keys by reading the damaged tables.)
      assertThat(
              StatsMapper.toProto(f.server.db().stats(), 0, new RpcMetrics(System::nanoTime))
                  .getWriteRefusal())
          .contains("refuses writes since");
    }
  }

  private static PutRequest put(String key, byte[] value) {
    return PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key))
        .setValue(ByteString.copyFrom(value))
        .build();
  }

  private static ServingStatus writesHealth(HealthGrpc.HealthBlockingStub health) {
    return health
        .check(HealthCheckRequest.newBuilder().setService(KevoServer.WRITES_HEALTH_SERVICE).build())
        .getStatus();
  }
}
