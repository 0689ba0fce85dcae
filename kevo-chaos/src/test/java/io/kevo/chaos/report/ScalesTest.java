package io.kevo.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScalesTest {
  @Test
  void aLinearScaleMapsItsDomainOntoItsPixelsWithRoundTicks() {
    LinearScale x = new LinearScale(0, 120, 100, 1300);
    assertThat(x.map(0)).isEqualTo(100);
    assertThat(x.map(60)).isEqualTo(700);
    assertThat(x.ticks(14))
        .containsExactly(
            0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 110.0, 120.0);
    assertThat(LinearScale.niceCeil(1_734, 20)).isEqualTo(1_800);
    assertThat(LinearScale.niceCeil(0.3, 20)).isEqualTo(0.3, within(1e-12));
  }

  @Test
  void aLogScaleCoversWholeDecadesAndDrawsZeroAtItsFloor() {
    LogScale y = LogScale.covering(0.23, 1_000, 0.01, 200, 0);
    assertThat(y.lo()).isEqualTo(0.1, within(1e-12));
    assertThat(y.hi()).isEqualTo(1_000, within(1e-9));
    assertThat(y.ticks()).hasSize(5);
    assertThat(y.map(0.1)).isEqualTo(200, within(1e-9));
    assertThat(y.map(1)).isEqualTo(150, within(1e-9));
    assertThat(y.map(0)).isEqualTo(200, within(1e-9));
    assertThat(y.map(1e6)).isEqualTo(0, within(1e-9));
    assertThat(LogScale.covering(5, 5, 0.01, 1, 0).hi()).isEqualTo(10, within(1e-12));
  }

  @Test
  void latencyLabelsReadAsDurations() {
    assertThat(LatencyPanel.latencyLabel(0.01)).isEqualTo("10 \u00b5s");
    assertThat(LatencyPanel.latencyLabel(1)).isEqualTo("1 ms");
    assertThat(LatencyPanel.latencyLabel(10_000)).isEqualTo("10 s");
  }
}
