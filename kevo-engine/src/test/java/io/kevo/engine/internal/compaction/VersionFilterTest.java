package io.kevo.engine.internal.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VersionFilterTest {
  private static final byte[] K = "k".getBytes(StandardCharsets.UTF_8);
  private static final byte[] L = "l".getBytes(StandardCharsets.UTF_8);

  @Test
  void withoutSnapshotsOnlyTheNewestVersionOfAKeySurvives() {
    VersionFilter f = new VersionFilter(100, key -> true);

    assertThat(f.keep(K, 30, false)).isTrue();
    assertThat(f.keep(K, 20, false)).isFalse();
    assertThat(f.keep(K, 10, false)).isFalse();
    assertThat(f.keep(L, 5, false)).as("the next key starts over").isTrue();
    assertThat(f.dropped()).isEqualTo(2);
  }

  @Test
  void anOlderVersionStaysWhileASnapshotCanStillSeeIt() {
    // The oldest snapshot reads at 15: it sees 10, not 20.
    VersionFilter f = new VersionFilter(15, key -> true);

    assertThat(f.keep(K, 20, false)).isTrue();
    assertThat(f.keep(K, 10, false)).isTrue();
    assertThat(f.keep(K, 5, false)).as("hidden from every reader by 10").isFalse();
  }

  @Test
  void aTombstoneIsDroppedOnceNothingBelowTheOutputCanHoldItsKey() {
    VersionFilter f = new VersionFilter(100, key -> false);

    assertThat(f.keep(K, 50, true)).isFalse();
    assertThat(f.keep(K, 40, false)).as("what it deleted goes with it").isFalse();
  }

  @Test
  void aTombstoneStaysWhileDeeperLevelsMayHoldItsKey() {
    VersionFilter f = new VersionFilter(100, key -> true);

    assertThat(f.keep(K, 50, true)).isTrue();
    assertThat(f.dropped()).isZero();
  }

  @Test
  void aTombstoneStaysWhileASnapshotOlderThanItIsOpen() {
    VersionFilter f = new VersionFilter(40, key -> false);

    assertThat(f.keep(K, 50, true)).isTrue();
  }

  @Test
  void aFlushNeverDropsTombstones() {
    VersionFilter flush = new VersionFilter(100, null);

    assertThat(flush.keep(K, 50, true)).isTrue();
  }
}
