package io.kevo.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void printsHeaderLinesAlignmentRowAndPaddedRows() {
    Table t = new Table("4<id", "5>ops|per s").row("a", 12).free("FAILED: x | y", "b");

    String nl = System.lineSeparator();
    assertThat(t.toString())
        .isEqualTo(
            "| id   |   ops |"
                + nl
                + "|      | per s |"
                + nl
                + "|------|------:|"
                + nl
                + "| a    |    12 |"
                + nl
                + "| b    | FAILED: x / y |"
                + nl);
  }
}
