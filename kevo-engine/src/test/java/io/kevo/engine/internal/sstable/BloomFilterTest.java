package io.kevo.engine.internal.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BloomFilterTest {
  private static byte[] key(String prefix, int i) {
    return (prefix + i).getBytes(StandardCharsets.UTF_8);
  }

  private static BloomFilter filterOver(int n, int bitsPerKey) {
    long[] hashes = new long[n];
    for (int i = 0; i < n; i++) {
      hashes[i] = BloomFilter.hash(key("user:", i));
    }
    return BloomFilter.decode(BloomFilter.build(hashes, n, bitsPerKey));
  }

  @Test
  void hasNoFalseNegativesAndRoundTrips() {
    BloomFilter f = filterOver(10_000, 10);
    assertThat(f.probes()).isEqualTo(7);
    assertThat(f.numBits()).isEqualTo(100_000);
    for (int i = 0; i < 10_000; i++) {
      assertThat(f.mayContain(key("user:", i))).isTrue();
    }
  }

  @Test
  void falsePositiveRateIsWithinTwiceTheTargetOn100kKeys() {
    int n = 100_000;
    for (int bits : new int[] {6, 10, 16}) {
      BloomFilter f = filterOver(n, bits);
      int k = BloomFilter.probesFor(bits);
      double target = Math.pow(1 - Math.exp(-(double) k / bits), k);
      int fp = 0;
      int probes = 200_000;
      for (int i = 0; i < probes; i++) {
        if (f.mayContain(key("missing:", i))) {
          fp++;
        }
      }
      double rate = (double) fp / probes;
      assertThat(rate).as("bits=%d target=%f", bits, target).isLessThan(2 * target);
    }
  }

  @Test
  void tinyAndEmptyFiltersWork() {
    BloomFilter empty = BloomFilter.decode(BloomFilter.build(new long[0], 0, 10));
    assertThat(empty.mayContain("x".getBytes())).isFalse();
    BloomFilter one = filterOver(1, 10);
    assertThat(one.mayContain(key("user:", 0))).isTrue();
  }

  @Test
  void hashIsStable() {
    // The hash is part of the on-disk format: these values must never change.
    assertThat(BloomFilter.hash(new byte[0])).isEqualTo(BloomFilter.hash(new byte[0]));
    assertThat(BloomFilter.hash("a".getBytes())).isNotEqualTo(BloomFilter.hash("b".getBytes()));
    assertThat(BloomFilter.hash("abcdefgh".getBytes()))
        .isNotEqualTo(BloomFilter.hash("abcdefgh\0".getBytes()));
  }

  @Test
  void malformedFilterIsRejected() {
    assertThatThrownBy(() -> BloomFilter.decode(new byte[] {1}))
        .isInstanceOf(FormatException.class);
    assertThatThrownBy(() -> BloomFilter.decode(new byte[] {0, 0, 0, 0, 31}))
        .isInstanceOf(FormatException.class);
  }
}
