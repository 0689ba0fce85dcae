package io.kevo.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void percentilesStayWithinABucketOfTheExactSamples() {
    SplittableRandom random = new SplittableRandom(7);
    LatencyHistogram histogram = new LatencyHistogram();
    LatencyRecorder exact = new LatencyRecorder(100_000);
    for (int i = 0; i < 100_000; i++) {
      long v = (long) Math.exp(random.nextDouble() * 20); // 1 ns to ~0.5 s, log-uniform
      histogram.record(v);
      exact.record(v);
    }
    long[] sorted = LatencyRecorder.merge(java.util.List.of(exact));
    for (double p : new double[] {1, 50, 90, 99, 99.9, 100}) {
      long truth = LatencyRecorder.percentile(sorted, p);
      assertThat((double) histogram.percentile(p))
          .as("p%s", p)
          .isCloseTo(truth, within(Math.max(1.0, truth / 128.0)));
    }
    assertThat(histogram.count()).isEqualTo(100_000);
    assertThat(histogram.max()).isEqualTo(sorted[sorted.length - 1]);
  }

  @Test
  void mergedHistogramsCountEverySample() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    a.record(100);
    b.record(1_000_000);
    a.add(b);
    assertThat(a.count()).isEqualTo(2);
    assertThat(a.percentile(50)).isEqualTo(100);
    assertThat(a.mean()).isEqualTo(500_050.0);
    assertThat(new LatencyHistogram().percentile(99)).isZero();
  }

  @Test
  void bucketIndexesAreMonotonicAndCoverTheLongRange() {
    int last = -1;
    for (long v = 0; v < 1 << 20; v++) {
      int i = LatencyHistogram.index(v);
      assertThat(i).isGreaterThanOrEqualTo(last);
      last = i;
    }
    assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isLessThan(7296);
    assertThat(LatencyHistogram.middle(LatencyHistogram.index(1_000_000)))
        .isCloseTo(1_000_000L, org.assertj.core.data.Offset.offset(1_000_000L / 128));
  }
}
