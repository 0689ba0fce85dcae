package io.kevo.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FiguresTest {
  @Test
  void sizesUseBinaryUnitsWithOneDecimal() {
    assertThat(Figures.bytes(0)).isEqualTo("0 B");
    assertThat(Figures.bytes(1023)).isEqualTo("1023 B");
    assertThat(Figures.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(Figures.bytes(64L << 20)).isEqualTo("64.0 MiB");
    assertThat(Figures.bytes(3L << 30)).isEqualTo("3.0 GiB");
    assertThat(Figures.rate(100L << 20)).isEqualTo("100.0 MiB/s");
  }

  @Test
  void ratiosHaveTwoDecimalsAndPercentagesNeedAWhole() {
    assertThat(Figures.ratio(3.4444444444444446)).isEqualTo("3.44");
    assertThat(Figures.percent(1, 3)).isEqualTo("33.33%");
    assertThat(Figures.percent(0, 0)).isEqualTo(Figures.NONE);
  }

  @Test
  void countsLatenciesAndAbsentText() {
    assertThat(Figures.count(1_234_567)).isEqualTo("1,234,567");
    assertThat(Figures.micros(8_500)).isEqualTo("8.5 us");
    assertThat(Figures.micros(850_000)).isEqualTo("850 us");
    assertThat(Figures.micros(12_400_000)).isEqualTo("12.4 ms");
    assertThat(Figures.millis(850)).isEqualTo("850 ms");
    assertThat(Figures.millis(12_300)).isEqualTo("12.3 s");
    assertThat(Figures.orNone(null)).isEqualTo("-");
    assertThat(Figures.orNone("")).isEqualTo("-");
  }
}
