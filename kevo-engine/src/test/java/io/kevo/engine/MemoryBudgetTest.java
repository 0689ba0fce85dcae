package io.kevo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
  private static final long MIB = 1 << 20;

  @Test
  void theDefaultsNeedTwoMemtablesTheCacheAndTheOverhead() {
    assertThat(MemoryBudget.heapBytes(Options.DEFAULT)).isEqualTo((64 + 64 + 64 + 64) * MIB);
  }

  @Test
  void eachMemtableThatMayWaitForFlushAndTheCacheCountInFull() {
    Options o =
        Options.builder()
            .memtableSize(16 * MIB)
            .maxImmutableMemtables(3)
            .blockCacheSize(1024 * MIB)
            .build();
    assertThat(MemoryBudget.heapBytes(o)).isEqualTo((4 * 16 + 1024 + 64) * MIB);
  }

  @Test
  void xmxRoundsUpToWholeMebibytes() {
    assertThat(MemoryBudget.xmx(256 * MIB)).isEqualTo("256m");
    assertThat(MemoryBudget.xmx(256 * MIB + 1)).isEqualTo("257m");
  }
}
