package io.kevo.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeLogTest {
  private static long millis(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void readsTheClusterStateLinesWithTheirTimes() {
    List<String> lines =
        List.of(
            "2026-12-06T18:00:00.100Z INFO  [main] i.k.s.CoordinatedNode - member n2 of cluster c1",
            "2026-12-06T18:00:01.250Z INFO  [kevo-failover] i.k.s.CoordinatedNode - cluster c1:"
                + " following n1 at 127.0.0.1:5000 (epoch 1)",
            "\tat io.kevo.Something.run(Something.java:1)",
            "==== 18:00:02 starting n2: java -jar kevo-cli.jar server",
            "not-a-date INFO x - cluster c1: bidding for the leadership: ignored",
            "2026-12-06T19:00:05.000+01:00 WARN  [kevo-failover] i.k.s.CoordinatedNode - cluster"
                + " c1: no primary yet: n3 should take over",
            "2026-12-06T18:00:05.400Z INFO  [kevo-failover] i.k.s.CoordinatedNode - cluster c2:"
                + " bidding for the leadership: another cluster");

    List<NodeLog.Event> events = NodeLog.events(lines, "c1");

    assertThat(events)
        .containsExactly(
            new NodeLog.Event(
                millis("2026-12-06T18:00:01.250Z"), "following n1 at 127.0.0.1:5000 (epoch 1)"),
            new NodeLog.Event(
                millis("2026-12-06T18:00:05.000Z"), "no primary yet: n3 should take over"));
  }

  @Test
  void firstFindsTheEarliestMatchingEventFromAGivenTime() {
    List<NodeLog.Event> events =
        List.of(
            new NodeLog.Event(1_000, "bidding for the leadership: round 1"),
            new NodeLog.Event(1_200, "primary of epoch 2 (first election)"),
            new NodeLog.Event(9_000, "bidding for the leadership: round 2"),
            new NodeLog.Event(9_300, "primary of epoch 4 (primary n1 gone; ...)"));

    assertThat(NodeLog.first(events, 5_000, NodeLog.BIDDING)).hasValue(9_000);
    assertThat(NodeLog.first(events, 5_000, NodeLog.PRIMARY)).hasValue(9_300);
    assertThat(NodeLog.first(events, 1_000, NodeLog.BIDDING)).hasValue(1_000);
    assertThat(NodeLog.first(events, 10_000, NodeLog.PRIMARY)).isEmpty();
  }
}
