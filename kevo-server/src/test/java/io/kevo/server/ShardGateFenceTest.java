package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.SplitRecord;
import io.kevo.proto.GetRequest;
import io.kevo.proto.PutRequest;
import io.kevo.proto.ScanRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A split's fence in the shard gate: the moving keys are refused (reads and writes, and scans that
 * reach them) naming the new shard and the map version to come, the others pass, and the fence
 * gives way to the map once it moves the keys; the write drain waits for the writes admitted before
 * it.
 */
class ShardGateFenceTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static PutRequest put(String key) {
    return PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key))
        .setValue(ByteString.copyFromUtf8("v"))
        .build();
  }

  private static ScanRequest scan(String from, String to) {
    return ScanRequest.newBuilder()
        .setStartKey(ByteString.copyFromUtf8(from))
        .setEndKey(ByteString.copyFromUtf8(to))
        .build();
  }

  @Test
  void theMovingKeysAreRefusedUntilTheMapGivesThemAway() {
    ShardMap v1 = ShardMap.splitAt(List.of(b("m")));
    ShardGate gate = new ShardGate("shop", "s1");
    gate.mapChanged(v1);
    SplitRecord split = SplitRecord.begin("s1", "s3", b("g"), 1, 0).fencing(0);

    gate.fence(split);

    ServerException refused = gate.refusal(put("h"));
    assertThat(refused.reason()).isEqualTo(ServerException.Reason.WRONG_SHARD);
    assertThat(refused.shardOwner()).isEqualTo("s3");
    assertThat(refused.shardMapVersion()).isEqualTo(2);
    assertThat(refused.getMessage())
        .isEqualTo(
            "key \"h\" is moving from shard s1 to shard s3 (a split at \"g\"): retry once the"
                + " shard map reaches version 2");
    assertThat(gate.refusal(GetRequest.newBuilder().setKey(ByteString.copyFromUtf8("g")).build()))
        .isNotNull();
    assertThat(gate.refusal(put("f"))).isNull();
    assertThat(gate.refusal(scan("a", "f"))).isNull();
    assertThat(gate.refusal(scan("a", "h")).getMessage())
        .startsWith("the scan reaches keys that are moving from shard s1 to shard s3");
    // Another shard's key is still refused by the map, naming its owner.
    assertThat(gate.refusal(put("q")).shardOwner()).isEqualTo("s2");

    // The map flips: the keys are s3's by the map, whatever the fence says.
    gate.mapChanged(v1.split("s1", b("g"), "s3"));
    assertThat(gate.refusal(put("h")).getMessage())
        .startsWith("key \"h\" belongs to shard s3 (shard map version 2)");
    assertThat(gate.refusal(put("f"))).isNull();
  }

  @Test
  void anAbortedSplitLiftsTheFence() {
    ShardGate gate = new ShardGate("shop", "s1");
    gate.mapChanged(ShardMap.splitAt(List.of(b("m"))));
    gate.fence(SplitRecord.begin("s1", "s3", b("g"), 1, 0).fencing(0));
    assertThat(gate.refusal(put("h"))).isNotNull();

    gate.unfence();

    assertThat(gate.refusal(put("h"))).isNull();
  }

  @Test
  void theDrainWaitsForTheWritesAdmittedBeforeItAndNotForLaterOnes() throws Exception {
    WriteDrain drain = new WriteDrain();
    WriteDrain.Phase before = drain.enter();
    boolean[] drained = new boolean[1];
    Thread draining = new Thread(() -> drained[0] = drain.drain(Duration.ofSeconds(30)));
    draining.start();
    // Once the drain waits, it has switched phases: a write admitted now is not waited for.
    while (draining.getState() != Thread.State.TIMED_WAITING) {
      Thread.onSpinWait();
    }
    WriteDrain.Phase later = drain.enter();
    before.leave();
    draining.join();
    assertThat(drained[0]).isTrue();
    later.leave();
  }

  @Test
  void aDrainThatTimedOutIsWaitedForByTheNext() {
    WriteDrain drain = new WriteDrain();
    WriteDrain.Phase first = drain.enter();
    assertThat(drain.drain(Duration.ofMillis(20))).isFalse();

    // The next drain still waits for the write the first one gave up on.
    assertThat(drain.drain(Duration.ofMillis(20))).isFalse();

    first.leave();
    assertThat(drain.drain(Duration.ofMillis(20))).isTrue();
  }
}
