package io.kevo.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The workload routes by key in a sharded topology: two fake nodes stand for the primaries of
 * shards s1 ({@code [-, k005)}) and s2 ({@code [k005, -)}), each with a replica of its own; every
 * operation goes to its key's shard, a transaction's keys share a shard, and a client's
 * read-your-writes token is its shard's (one shard's sequences never reach the other). While a
 * shard has no known primary its keys are left alone.
 */
@Timeout(60)
class ShardedRoutingTest {
  @Test
  void eachKeyGoesToItsShardsNodesAndATransactionStaysInOneShard() throws Exception {
    HistoryRecorder recorder = new HistoryRecorder(op -> {});
    Map<String, String> primaries = new ConcurrentHashMap<>(Map.of("s1", "a1", "s2", "b1"));
    try (StaleRegisterNode a = new StaleRegisterNode(Integer.MAX_VALUE);
        StaleRegisterNode b = new StaleRegisterNode(Integer.MAX_VALUE);
        NodeChannels channels = new NodeChannels()) {
      Topology shards =
          new Topology() {
            @Override
            public String primary() {
              throw new AssertionError("a sharded client asks for a key's primary");
            }

            @Override
            public List<String> replicas() {
              throw new AssertionError("a sharded client asks for a key's replicas");
            }

            @Override
            public String address(String node) {
              return node.startsWith("a") ? a.address() : b.address();
            }

            @Override
            public String groupOf(String key) {
              return key.compareTo("k005") < 0 ? "s1" : "s2";
            }

            @Override
            public String primaryFor(String key) {
              return primaries.get(groupOf(key));
            }

            @Override
            public List<String> replicasFor(String key) {
              return List.of(groupOf(key).equals("s1") ? "a2" : "b2");
            }
          };
      OpRunner runner = new OpRunner(channels, recorder, Duration.ofSeconds(2), "async");
      Workload w =
          new Workload(
              runner,
              shards,
              new WorkloadSpec(4, 10, 0.5, Duration.ZERO, Duration.ofMillis(5)),
              11);
      w.start();
      awaitOps(recorder, 400);
      primaries.remove("s2"); // s2 loses its primary: its keys wait
      Thread.sleep(100);
      int before = recorder.opCount();
      awaitOps(recorder, before + 200);
      assertThat(w.stop(Duration.ofSeconds(10))).isTrue();
    }

    List<Op> ops = recorder.ops();
    for (Op op : ops) {
      String shard = op.node().startsWith("a") ? "s1" : "s2";
      assertThat(op.mops())
          .extracting(Mop::key)
          .as("%s sent to %s", op, op.node())
          .allMatch(k -> (k.compareTo("k005") < 0) == shard.equals("s1"));
    }
    assertThat(ops).anyMatch(op -> op.kind() == Op.Kind.TXN);
    assertThat(ops).anyMatch(op -> op.target() == Op.Target.REPLICA && op.node().equals("b2"));
    long lastToS2 =
        ops.stream().filter(op -> op.node().startsWith("b")).mapToLong(Op::id).max().orElseThrow();
    assertThat(ops.stream().filter(op -> op.id() > lastToS2 + 20 && op.node().startsWith("a")))
        .as("s1 keeps being served after s2 lost its primary")
        .isNotEmpty();
    // s1's sequences go to s1's nodes only, as tokens: the fake nodes number their writes apart.
    assertThat(
            ops.stream()
                .filter(op -> op.node().equals("b2") && op.minSequence() > 0)
                .allMatch(op -> op.minSequence() <= maxSequence(ops, "b1")))
        .isTrue();
  }

  private static long maxSequence(List<Op> ops, String node) {
    return ops.stream()
        .filter(op -> op.node().equals(node))
        .mapToLong(Op::sequence)
        .max()
        .orElse(0);
  }

  private static void awaitOps(HistoryRecorder recorder, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (recorder.opCount() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(recorder.opCount()).isGreaterThanOrEqualTo(count);
  }
}
