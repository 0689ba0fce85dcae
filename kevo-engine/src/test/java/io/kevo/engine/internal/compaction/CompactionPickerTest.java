package io.kevo.engine.internal.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.internal.version.TableFile;
import io.kevo.engine.internal.version.TestVersions;
import io.kevo.engine.internal.version.Version;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactionPickerTest {
  private static final long MB = 1 << 20;

  /** L0 trigger of 4 files, L1 target 10 MiB, each level 10 times the one above. */
  private final CompactionPicker picker = new CompactionPicker(4, 10 * MB, 10);

  @Test
  void levelTargetsGrowByTheRatioFromLevelOne() {
    assertThat(picker.maxBytes(1)).isEqualTo(10 * MB);
    assertThat(picker.maxBytes(2)).isEqualTo(100 * MB);
    assertThat(picker.maxBytes(3)).isEqualTo(1000 * MB);
  }

  @Test
  void nothingIsPickedWhileEveryLevelIsWithinItsTarget() {
    Version v =
        TestVersions.builder()
            .add(0, "a", "z", MB)
            .add(0, "a", "z", MB)
            .add(0, "a", "z", MB)
            .add(1, "a", "m", 4 * MB)
            .add(1, "n", "z", 5 * MB)
            .add(2, "a", "z", 99 * MB)
            .build();

    assertThat(picker.pick(v)).isNull();
  }

  @Test
  void levelZeroAtItsTriggerIsCompactedWholeIntoTheOverlappingLevelOneFiles() {
    Version v =
        TestVersions.builder()
            .add(0, "c", "f", MB)
            .add(0, "e", "h", MB)
            .add(0, "d", "g", MB)
            .add(0, "c", "d", MB)
            .add(1, "a", "b", MB)
            .add(1, "c", "e", MB)
            .add(1, "g", "k", MB)
            .add(1, "m", "p", MB)
            .build();

    Compaction c = picker.pick(v);

    assertThat(c.level()).isZero();
    assertThat(c.outputLevel()).isEqualTo(1);
    assertThat(c.manual()).isFalse();
    assertThat(c.inputs()).containsExactlyElementsOf(v.files(0));
    assertThat(keys(c.nextInputs())).containsExactly("c-e", "g-k");
    assertThat(c.reason()).startsWith("L0 score 1.00");
  }

  @Test
  void anOversizedLevelGivesOneFileWithTheOverlappingFilesOfTheNextLevel() {
    Version v =
        TestVersions.builder()
            .add(1, "a", "f", 6 * MB)
            .add(1, "g", "p", 6 * MB)
            .add(2, "a", "c", MB)
            .add(2, "d", "h", MB)
            .add(2, "q", "z", MB)
            .build();

    Compaction c = picker.pick(v);

    assertThat(c.level()).isEqualTo(1);
    assertThat(c.outputLevel()).isEqualTo(2);
    assertThat(keys(c.inputs())).containsExactly("a-f");
    assertThat(keys(c.nextInputs())).containsExactly("a-c", "d-h");
  }

  @Test
  void theLevelWithTheHighestScoreIsPickedFirst() {
    TestVersions b = TestVersions.builder();
    for (int i = 0; i < 6; i++) {
      b.add(0, "a", "z", MB); // L0 score 6 / 4 = 1.5
    }
    b.add(2, "a", "m", 150 * MB).add(2, "n", "z", 150 * MB); // L2 score 300 / 100 = 3
    Version v = b.build();

    Compaction c = picker.pick(v);

    assertThat(c.level()).isEqualTo(2);
    assertThat(c.outputLevel()).isEqualTo(3);
    assertThat(c.reason()).isEqualTo("L2 score 3.00");
  }

  @Test
  void successivePicksOfALevelWalkItsFilesRoundRobinThroughTheKeySpace() {
    Version v =
        TestVersions.builder()
            .add(1, "a", "c", 5 * MB)
            .add(1, "d", "f", 5 * MB)
            .add(1, "g", "i", 5 * MB)
            .build();

    assertThat(keys(picker.pick(v).inputs())).containsExactly("a-c");
    assertThat(keys(picker.pick(v).inputs())).containsExactly("d-f");
    assertThat(keys(picker.pick(v).inputs())).containsExactly("g-i");
    assertThat(keys(picker.pick(v).inputs())).as("wraps around").containsExactly("a-c");
  }

  @Test
  void aManualCompactionWithNothingDeeperRewritesItsFilesInPlace() {
    Version v =
        TestVersions.builder()
            .add(1, "a", "c", MB)
            .add(1, "d", "f", MB)
            .add(1, "g", "i", MB)
            .add(2, "x", "z", MB)
            .build();

    Compaction c = picker.forRange(v, 1, b("b"), b("e"));

    assertThat(c.manual()).isTrue();
    assertThat(c.level()).isEqualTo(1);
    assertThat(c.outputLevel()).isEqualTo(1);
    assertThat(keys(c.inputs())).containsExactly("a-c", "d-f");
    assertThat(c.nextInputs()).isEmpty();
    assertThat(c.isTrivialMove(0)).isFalse();
  }

  @Test
  void aManualCompactionWithDataDeeperInTheRangePushesItsFilesOneLevelDown() {
    Version v =
        TestVersions.builder()
            .add(1, "a", "c", MB)
            .add(1, "d", "f", MB)
            .add(3, "b", "b", MB)
            .build();

    Compaction c = picker.forRange(v, 1, b("a"), b("c"));

    assertThat(c.outputLevel()).isEqualTo(2);
    assertThat(keys(c.inputs())).containsExactly("a-c");
    assertThat(c.nextInputs()).as("level 2 is empty").isEmpty();
  }

  @Test
  void aManualCompactionOfLevelZeroTakesEveryLevelZeroFileIntoLevelOne() {
    Version v =
        TestVersions.builder()
            .add(0, "a", "b", MB)
            .add(0, "x", "z", MB)
            .add(1, "y", "y", MB)
            .build();

    Compaction c = picker.forRange(v, 0, b("a"), b("a"));

    assertThat(c.outputLevel()).isEqualTo(1);
    assertThat(c.inputs()).containsExactlyElementsOf(v.files(0));
    assertThat(keys(c.nextInputs())).containsExactly("y-y");
  }

  @Test
  void aManualCompactionOfARangeTheLevelDoesNotCoverIsNothing() {
    Version v = TestVersions.builder().add(1, "a", "c", MB).build();

    assertThat(picker.forRange(v, 1, b("d"), b("f"))).isNull();
    assertThat(picker.forRange(v, 2, null, null)).isNull();
  }

  @Test
  void aLoneFileWithNothingBelowItIsMovedNotRewritten() {
    Version v = TestVersions.builder().add(1, "a", "c", 11 * MB).add(2, "x", "z", MB).build();

    Compaction c = picker.pick(v);

    assertThat(c.nextInputs()).isEmpty();
    assertThat(c.isTrivialMove(0)).isTrue();
  }

  @Test
  void aLevelZeroFileIsMovedOnlyWhenItIsTheOnlyOne() {
    CompactionPicker eager = new CompactionPicker(1, 10 * MB, 10);
    Version one = TestVersions.builder().add(0, "a", "c", MB).build();
    Version two = TestVersions.builder().add(0, "a", "c", MB).add(0, "b", "d", MB).build();

    assertThat(eager.pick(one).isTrivialMove(1)).isTrue();
    Compaction both = eager.pick(two);
    assertThat(both.inputs()).hasSize(2);
    assertThat(both.isTrivialMove(2)).isFalse();
  }

  @Test
  void aFileOverlappingTheNextLevelIsRewrittenWithIt() {
    Version v =
        TestVersions.builder()
            .add(1, "a", "c", 7 * MB)
            .add(1, "d", "f", 7 * MB)
            .add(2, "e", "g", 3 * MB)
            .build();

    picker.pick(v); // a-c, moved
    Compaction c = picker.pick(v);

    assertThat(keys(c.inputs())).containsExactly("d-f");
    assertThat(c.isTrivialMove(0)).isFalse();
    assertThat(keys(c.allInputs())).containsExactly("d-f", "e-g");
    assertThat(c.inputBytes()).isEqualTo(10 * MB);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> keys(List<TableFile> files) {
    return files.stream()
        .map(
            f ->
                new String(f.meta().smallestKey(), StandardCharsets.UTF_8)
                    + "-"
                    + new String(f.meta().largestKey(), StandardCharsets.UTF_8))
        .toList();
  }
}
