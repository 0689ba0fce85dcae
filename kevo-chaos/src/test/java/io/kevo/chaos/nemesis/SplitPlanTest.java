package io.kevo.chaos.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.workload.WorkloadSpec;
import io.kevo.coordination.ShardMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitPlanTest {
  private static final List<String> KEYS = WorkloadSpec.keyNames(20);

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theShardWithTheMostKeysSplitsAtTheirMiddleIntoTheNextFreeId() {
    ShardMap map = ShardMap.splitAt(List.of(b("k010")));
    assertThat(SplitPlan.of(map, KEYS, List.of("s1", "s2")))
        .contains(new SplitPlan("s1", "k005", "s3"));

    ShardMap after = map.split("s1", b("k005"), "s3");
    assertThat(SplitPlan.of(after, KEYS, List.of("s1", "s2", "s3")))
        .as("s2 holds ten keys, s1 and s3 five each")
        .contains(new SplitPlan("s2", "k015", "s4"));
  }

  @Test
  void anIdAGivenUpSplitUsedIsNotTakenAgain() {
    ShardMap map = ShardMap.splitAt(List.of(b("k010")));
    assertThat(SplitPlan.of(map, KEYS, List.of("s1", "s2", "s3")))
        .map(SplitPlan::to)
        .contains("s4");
  }

  @Test
  void aShardOfOneKeyDoesNotSplit() {
    ShardMap map = ShardMap.splitAt(List.of(b("k001")));
    List<String> two = WorkloadSpec.keyNames(2);
    assertThat(SplitPlan.of(map, two, List.of("s1", "s2"))).isEmpty();
    assertThat(SplitPlan.of(ShardMap.splitAt(List.of()), two, List.of("s1")))
        .contains(new SplitPlan("s1", "k001", "s2"));
    assertThat(new SplitPlan("s1", "k001", "s2").atBytes()).isEqualTo(b("k001"));
  }
}
