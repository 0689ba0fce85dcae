package io.kevo.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MachineCpuTest {
  @Test
  void readsTheStolenShareBetweenTwoSamples() {
    // cpu user nice system idle iowait irq softirq steal guest guest_nice
    MachineCpu.Sample a = MachineCpu.parse("cpu  1000 0 200 700 50 0 10 40 0 0");
    MachineCpu.Sample b = MachineCpu.parse("cpu  1300 0 260 900 50 0 20 100 0 0");

    assertThat(a).isEqualTo(new MachineCpu.Sample(2000, 40));
    assertThat(a.stealShareUntil(b)).isEqualTo(60.0 / 630);
    assertThat(a.stealShareUntil(a)).as("no time passed").isNull();
    assertThat(MachineCpu.stealShare(Optional.of(a), Optional.empty())).isNull();
  }

  @Test
  void anOldKernelWithoutStealCountsNone() {
    assertThat(MachineCpu.parse("cpu 5 0 5 10")).isEqualTo(new MachineCpu.Sample(20, 0));
  }

  @Test
  void rejectsAnotherLineAndReadsThisMachine() {
    assertThatThrownBy(() -> MachineCpu.parse("intr 12345 0 0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(MachineCpu.now()).isPresent();
  }
}
