package io.kevo.engine.internal.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class InternalKeyTest {
  @Property(tries = 2000)
  void ordersLikeUnsignedBytesThenNewestFirst(
      @ForAll @Size(max = 12) byte[] a,
      @ForAll @Size(max = 12) byte[] b,
      @ForAll long s,
      @ForAll long t) {
    int byKey = Integer.signum(Arrays.compareUnsigned(a, b));
    int got = Integer.signum(new InternalKey(a, s).compareTo(new InternalKey(b, t)));
    if (byKey != 0) {
      assertThat(got).isEqualTo(byKey);
    } else {
      assertThat(got).isEqualTo(Integer.signum(Long.compare(t, s)));
    }
  }

  @Property(tries = 500)
  void zeroPaddingDoesNotConfuseShortKeysWithZeroSuffixes(@ForAll @Size(max = 7) byte[] a) {
    byte[] withZero = Arrays.copyOf(a, a.length + 1);
    assertThat(new InternalKey(a, 1).compareTo(new InternalKey(withZero, 1))).isNegative();
  }
}
