package io.kevo.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void roundTripsNestedValues() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("x", 1.5);
    inner.put("s", "quote \" and \\ and\nnewline");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", 42L);
    m.put("d", 2.0);
    m.put("b", true);
    m.put("nil", null);
    m.put("list", List.of(1L, "two", inner));

    assertThat(Json.parse(Json.pretty(m))).isEqualTo(m);
    assertThat(Json.parse(Json.compact(m))).isEqualTo(m);
    assertThat(Json.compact(m)).doesNotContain("\n");
  }

  @Test
  void rejectsMalformedInput() {
    assertThatThrownBy(() -> Json.parse("{\"a\": }")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.parse("[1, 2] x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void percentileUsesNearestRank() {
    long[] sorted = new long[1000];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = i + 1;
    }
    assertThat(LatencyRecorder.percentile(sorted, 50)).isEqualTo(500);
    assertThat(LatencyRecorder.percentile(sorted, 99)).isEqualTo(990);
    assertThat(LatencyRecorder.percentile(sorted, 99.9)).isEqualTo(999);
    assertThat(LatencyRecorder.percentile(new long[0], 50)).isZero();
  }
}
