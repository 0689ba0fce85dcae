package io.kevo.bench.micro;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.bench.BenchMain;
import io.kevo.engine.OpType;
import io.kevo.engine.internal.sstable.TableGet;
import org.junit.jupiter.api.Test;

class MicroBenchTest {
  @Test
  void skipListInsertKeepsAddingAcrossMemtableReplacements() {
    SkipListInsertBench b = new SkipListInsertBench();
    b.valueSize = 10;
    b.setUp();
    for (int i = 0; i <= SkipListInsertBench.PER_TABLE; i++) {
      b.insert();
    }
    // The table was replaced after PER_TABLE inserts: the last insert went into a fresh one.
    assertThat(b.insert().entryCount()).isEqualTo(2);
  }

  @Test
  void blockSeekFindsEveryLookedUpKey() throws Exception {
    BlockSeekBench b = new BlockSeekBench();
    b.keys = 2_000;
    b.setUp();
    try {
      for (int i = 0; i < 100; i++) {
        assertThat(b.get().status()).isEqualTo(TableGet.Status.FOUND);
      }
    } finally {
      b.tearDown();
    }
  }

  @Test
  void codecDecodesWhatItEncodes() {
    CodecBench b = new CodecBench();
    b.valueSize = 32;
    b.setUp();
    assertThat(b.encode()).isNotEmpty();
    assertThat(b.decode().type()).isEqualTo(OpType.PUT);
    assertThat(b.decode().value()).hasSize(32);
  }

  @Test
  void microCommandRunsAChosenBenchmarkInProcess() {
    int exit =
        BenchMain.execute(
            "micro", "CodecBench.encode", "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms");
    assertThat(exit).isZero();
  }
}
