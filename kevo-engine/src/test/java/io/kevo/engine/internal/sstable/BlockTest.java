package io.kevo.engine.internal.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.internal.iter.InternalOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BlockTest {
  private static final Path FILE = Path.of("/test/000001.sst");

  static Block build(List<Entry> entries, int restartInterval) {
    BlockBuilder b = new BlockBuilder(restartInterval, 4096);
    for (Entry e : entries) {
      byte[] ikey = Arrays.copyOf(e.userKey(), e.userKey().length + 8);
      Coding.putFixed64(
          ikey, e.userKey().length, TableFormat.packTrailer(e.sequence(), e.tombstone()));
      byte[] v = e.tombstone() ? new byte[0] : e.value();
      b.add(ikey, ikey.length, v, v.length);
    }
    ByteSink s = b.finish();
    return Block.parse(s.toByteArray(), s.size(), FILE, 4096);
  }

  static Entry at(BlockIterator it) {
    return new Entry(it.userKey(), it.sequence(), it.isTombstone(), it.value());
  }

  @Property(tries = 200)
  void roundTripsForwardBackwardAndSeeks(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 400) int keys,
      @ForAll @IntRange(min = 1, max = 40) int restartInterval) {
    Random rnd = new Random(seed);
    List<Entry> entries = TestTables.randomEntries(rnd, keys, 300);
    Block block = build(entries, restartInterval);
    int expectedRestarts = (entries.size() + restartInterval - 1) / restartInterval;
    assertThat(block.numRestarts).isEqualTo(expectedRestarts);

    BlockIterator it = new BlockIterator(block);
    List<Entry> forward = new ArrayList<>();
    for (it.seekToFirst(); it.valid(); it.next()) {
      forward.add(at(it));
    }
    assertThat(forward).containsExactlyElementsOf(entries);
    List<Entry> backward = new ArrayList<>();
    for (it.seekToLast(); it.valid(); it.prev()) {
      backward.add(at(it));
    }
    Collections.reverse(backward);
    assertThat(backward).containsExactlyElementsOf(entries);

    for (int i = 0; i < 50; i++) {
      byte[] key =
          rnd.nextBoolean()
              ? entries.get(rnd.nextInt(entries.size())).userKey()
              : TestTables.randomKey(rnd);
      long seq = rnd.nextInt(4) == 0 ? InternalOrder.MAX_SEQUENCE : rnd.nextInt(900_000);
      int expected = firstAtOrAfter(entries, key, seq);
      it.seek(key, seq);
      if (expected == entries.size()) {
        assertThat(it.valid()).isFalse();
      } else {
        assertThat(at(it)).isEqualTo(entries.get(expected));
        if (expected > 0) {
          it.prev();
          assertThat(at(it)).isEqualTo(entries.get(expected - 1));
          it.next();
          assertThat(at(it)).isEqualTo(entries.get(expected));
        }
      }
    }
  }

  @Test
  void prefixCompressionShrinksSharedKeys() {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      entries.add(Entry.put("user/profile/%04d".formatted(i), 1, ""));
    }
    Block compressed = build(entries, 16);
    Block whole = build(entries, 1);
    assertThat(compressed.data.length).isLessThan(whole.data.length * 2 / 3);
  }

  @Test
  void damagedRestartArrayIsCorruption() {
    Block good = build(List.of(Entry.put("a", 2, "x"), Entry.put("b", 1, "y")), 1);
    byte[] bad = good.data.clone();
    Coding.putFixed32(bad, bad.length - 4, 1000);
    assertThatThrownBy(() -> Block.parse(bad, bad.length, FILE, 4096))
        .isInstanceOf(KevoException.class)
        .hasMessageContaining(FILE.toString())
        .hasMessageContaining("offset 4096")
        .extracting(e -> ((KevoException) e).code())
        .isEqualTo(ErrorCode.CORRUPTION);
  }

  @Test
  void damagedEntryHeaderIsCorruptionNotIndexException() {
    Block good = build(List.of(Entry.put("abc", 2, "xyz"), Entry.put("abd", 1, "y")), 16);
    for (int pos = 0; pos < good.restartsOffset; pos++) {
      for (int value : new int[] {0xFF, 0x7F, 0x00, 0x40}) {
        byte[] bad = good.data.clone();
        bad[pos] = (byte) value;
        Block b = Block.parse(bad, bad.length, FILE, 4096);
        BlockIterator it = new BlockIterator(b);
        try {
          for (it.seekToFirst(); it.valid(); it.next()) {
            it.userKey();
            it.value();
          }
          it.seek("abd".getBytes(), 5);
        } catch (KevoException e) {
          assertThat(e.code()).isEqualTo(ErrorCode.CORRUPTION);
        }
      }
    }
  }

  static int firstAtOrAfter(List<Entry> entries, byte[] key, long seq) {
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (InternalOrder.compare(e.userKey(), e.sequence(), key, seq) >= 0) {
        return i;
      }
    }
    return entries.size();
  }
}
