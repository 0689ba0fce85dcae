package io.kevo.engine.internal.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyFilterTest {
  @Test
  void neverForgetsAKeyAndRarelyClaimsOneItWasNotGiven() {
    KeyFilter f = KeyFilter.forMemtableBytes(8L << 20); // 1 Mibit
    Random rnd = new Random(5);
    byte[][] keys = new byte[50_000][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new byte[1 + rnd.nextInt(30)];
      rnd.nextBytes(keys[i]);
      f.add(keys[i]);
    }
    for (byte[] k : keys) {
      assertThat(f.mayContain(k)).isTrue();
    }
    int falsePositives = 0;
    for (int i = 0; i < 100_000; i++) {
      byte[] k = new byte[17];
      rnd.nextBytes(k);
      if (f.mayContain(k)) {
        falsePositives++;
      }
    }
    // ~21 bits per key and 4 probes: about 0.1% in theory.
    assertThat(falsePositives).isLessThan(500);
  }

  @Test
  void sizeFollowsTheMemtableSizeWithinBounds() {
    assertThat(KeyFilter.forMemtableBytes(64L << 20).sizeInBytes()).isEqualTo(1L << 20);
    assertThat(KeyFilter.forMemtableBytes(1).sizeInBytes()).isEqualTo(8L << 10);
    assertThat(KeyFilter.forMemtableBytes(1L << 40).sizeInBytes()).isEqualTo(8L << 20);
  }
}
