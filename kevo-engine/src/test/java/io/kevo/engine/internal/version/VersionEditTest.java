package io.kevo.engine.internal.version;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VersionEditTest {
  private static FileMeta file(long number, String smallest, String largest) {
    return new FileMeta(
        number, 4096 + number, b(smallest), 7, b(largest), 3, 1, 90 + number, 10 * number);
  }

  @Test
  void everyFieldSurvivesEncodingAndDecoding() {
    VersionEdit e =
        new VersionEdit()
            .persistedSequence(12_345)
            .nextFileNumber(77)
            .add(0, file(5, "a", "m"))
            .add(3, file(6, "", "zz"))
            .delete(1, 4)
            .delete(0, 2);
    VersionEdit d = VersionEdit.decode(e.encode());

    assertThat(d.persistedSequence()).isEqualTo(12_345);
    assertThat(d.nextFileNumber()).isEqualTo(77);
    assertThat(d.deleted())
        .containsExactly(new VersionEdit.Deleted(1, 4), new VersionEdit.Deleted(0, 2));
    assertThat(d.added()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      VersionEdit.Added want = e.added().get(i);
      VersionEdit.Added got = d.added().get(i);
      assertThat(got.level()).isEqualTo(want.level());
      FileMeta w = want.file();
      FileMeta g = got.file();
      assertThat(g.number()).isEqualTo(w.number());
      assertThat(g.size()).isEqualTo(w.size());
      assertThat(g.smallestKey()).isEqualTo(w.smallestKey());
      assertThat(g.largestKey()).isEqualTo(w.largestKey());
      assertThat(g.smallestSequence()).isEqualTo(w.smallestSequence());
      assertThat(g.largestSequence()).isEqualTo(w.largestSequence());
      assertThat(g.minSequence()).isEqualTo(w.minSequence());
      assertThat(g.maxSequence()).isEqualTo(w.maxSequence());
      assertThat(g.entries()).isEqualTo(w.entries());
    }
  }

  @Test
  void anEmptyEditIsValid() {
    VersionEdit d = VersionEdit.decode(new VersionEdit().encode());
    assertThat(d.added()).isEmpty();
    assertThat(d.deleted()).isEmpty();
  }

  @Test
  void everyTruncationOfAnEditIsRefusedNeverMisread() {
    byte[] whole =
        new VersionEdit()
            .persistedSequence(9)
            .nextFileNumber(10)
            .add(2, file(8, "key-a", "key-z"))
            .delete(2, 3)
            .encode();
    // Cutting inside a field is an error; cutting between fields gives a shorter valid edit, which
    // the manifest's record checksum (not this codec) guards against.
    int refused = 0;
    for (int n = 1; n < whole.length; n++) {
      byte[] cut = Arrays.copyOf(whole, n);
      try {
        VersionEdit.decode(cut);
      } catch (IllegalArgumentException e) {
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(whole.length - 5);
  }

  @Test
  void anUnknownTagOrABadLevelIsRefused() {
    assertThatThrownBy(() -> VersionEdit.decode(new byte[] {9}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown manifest edit tag 9");
    byte[] badLevel = new VersionEdit().delete(1, 4).encode();
    badLevel[1] = (byte) Version.MAX_LEVELS;
    assertThatThrownBy(() -> VersionEdit.decode(badLevel))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid level");
  }

  @Test
  void aKeyLengthBeyondTheEditIsRefused() {
    byte[] e = new VersionEdit().add(0, file(1, "abc", "abd")).encode();
    // tag, level, number, size, then the smallest key's length
    int lengthAt = 1 + 1 + 8 + 8;
    e[lengthAt] = (byte) 0x7f;
    assertThatThrownBy(() -> VersionEdit.decode(e))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the edit");
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }
}
