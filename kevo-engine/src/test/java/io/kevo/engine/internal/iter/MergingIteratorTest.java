package io.kevo.engine.internal.iter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.engine.internal.memtable.MemTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class MergingIteratorTest {
  /** Sources and the merged model; a source is a memtable or a list, chosen at random. */
  private record Fixture(List<InternalIterator> children, List<Entry> model) {}

  private static Fixture fixture(Random rnd, int sources, int entries, boolean allowTies) {
    List<List<Entry>> perSource = new ArrayList<>();
    List<Set<String>> seen = new ArrayList<>();
    for (int i = 0; i < sources; i++) {
      perSource.add(new ArrayList<>());
      seen.add(new HashSet<>());
    }
    List<Entry> model = new ArrayList<>();
    Entry last = null;
    for (int i = 0; i < entries && sources > 0; i++) {
      int src = rnd.nextInt(sources);
      Entry e;
      if (allowTies && last != null && rnd.nextInt(10) == 0) {
        // The same (key, sequence) in another source: a bug elsewhere, but it must stay ordered.
        e = new Entry(last.key(), last.seq(), valueFor(src, last.seq(), rnd), src);
      } else {
        long seq = 1 + rnd.nextInt(entries * 2 + 1);
        e = new Entry(Gen.key(rnd, 3, 4), seq, valueFor(src, seq, rnd), src);
      }
      if (!seen.get(src).add(java.util.HexFormat.of().formatHex(e.key()) + "@" + e.seq())) {
        continue; // within one source (key, sequence) is unique
      }
      perSource.get(src).add(e);
      model.add(e);
      last = e;
    }
    model.sort(Entry.ORDER);
    List<InternalIterator> children = new ArrayList<>();
    for (int i = 0; i < sources; i++) {
      if (rnd.nextBoolean()) {
        MemTable mt = new MemTable();
        for (Entry e : perSource.get(i)) {
          mt.add(e.key(), e.seq(), e.value());
        }
        children.add(mt.newIterator());
      } else {
        children.add(new ListInternalIterator(perSource.get(i)));
      }
    }
    return new Fixture(children, model);
  }

  private static byte[] valueFor(int src, long seq, Random rnd) {
    if (rnd.nextInt(5) == 0) {
      return null;
    }
    return new byte[] {(byte) src, (byte) seq, (byte) (seq >>> 8)};
  }

  @Property(tries = 300)
  void randomWalkMatchesSortedModel(@ForAll long seed) {
    Random rnd = new Random(seed);
    Fixture f = fixture(rnd, rnd.nextInt(6), rnd.nextInt(200), rnd.nextInt(3) == 0);
    List<Entry> model = f.model();
    try (MergingIterator it = new MergingIterator(f.children())) {
      int pos = -1;
      for (int step = 0; step < 400; step++) {
        boolean valid = pos >= 0 && pos < model.size();
        int op = rnd.nextInt(valid ? 10 : 4);
        String what;
        switch (op) {
          case 0 -> {
            it.seekToFirst();
            pos = 0;
            what = "seekToFirst";
          }
          case 1 -> {
            it.seekToLast();
            pos = model.size() - 1;
            what = "seekToLast";
          }
          case 2 -> {
            byte[] k = Gen.key(rnd, 3, 4);
            long s = rnd.nextInt(model.size() * 2 + 3);
            it.seek(k, s);
            pos = firstAtOrAfter(model, k, s);
            what = "seek";
          }
          case 3 -> {
            byte[] k = Gen.key(rnd, 3, 4);
            long s = rnd.nextInt(model.size() * 2 + 3);
            it.seekForPrev(k, s);
            pos = firstAfter(model, k, s) - 1;
            what = "seekForPrev";
          }
          case 4, 5, 6 -> {
            it.next();
            pos++;
            what = "next";
          }
          default -> {
            it.prev();
            pos--;
            what = "prev";
          }
        }
        boolean want = pos >= 0 && pos < model.size();
        assertThat(it.valid()).as("valid after %s at step %d", what, step).isEqualTo(want);
        if (want) {
          Entry e = model.get(pos);
          assertThat(e.sameAs(it)).as("entry after %s at step %d: want %s", what, step, e).isTrue();
        } else {
          pos = -1;
        }
      }
    }
  }

  @Property(tries = 100)
  void fullScansInBothDirectionsMatchModel(@ForAll long seed) {
    Random rnd = new Random(seed);
    Fixture f = fixture(rnd, 1 + rnd.nextInt(8), rnd.nextInt(500), false);
    try (MergingIterator it = new MergingIterator(f.children())) {
      List<Entry> model = f.model();
      int i = 0;
      for (it.seekToFirst(); it.valid(); it.next()) {
        assertThat(model.get(i++).sameAs(it)).isTrue();
      }
      assertThat(i).isEqualTo(model.size());
      for (it.seekToLast(); it.valid(); it.prev()) {
        assertThat(model.get(--i).sameAs(it)).isTrue();
      }
      assertThat(i).isZero();
    }
  }

  @Test
  void tiesPreferTheEarlierChildInBothDirections() {
    byte[] k = {1};
    InternalIterator newer = new ListInternalIterator(List.of(new Entry(k, 5, new byte[] {0}, 0)));
    InternalIterator older = new ListInternalIterator(List.of(new Entry(k, 5, new byte[] {1}, 1)));
    try (MergingIterator it = new MergingIterator(List.of(newer, older))) {
      it.seek(k, 5);
      assertThat(it.value()).containsExactly(0);
      it.next();
      assertThat(it.value()).containsExactly(1);
      it.prev();
      assertThat(it.value()).containsExactly(0);
      it.prev();
      assertThat(it.valid()).isFalse();
      it.seekForPrev(k, 5);
      assertThat(it.value()).containsExactly(1);
    }
  }

  @Test
  void emptyMergeIsNeverValid() {
    try (MergingIterator it = new MergingIterator(List.of())) {
      it.seekToFirst();
      assertThat(it.valid()).isFalse();
      it.seekToLast();
      assertThat(it.valid()).isFalse();
      assertThatThrownBy(it::next).isInstanceOf(java.util.NoSuchElementException.class);
    }
  }

  @Test
  void closeClosesEveryChildOnceEvenIfOneThrows() {
    ListInternalIterator a = new ListInternalIterator(List.of());
    CountingIterator failing = new CountingIterator(new ListInternalIterator(List.of()));
    failing.closeFailure = new IllegalStateException("boom");
    ListInternalIterator c = new ListInternalIterator(List.of());
    MergingIterator it = new MergingIterator(List.of(a, failing, c));
    assertThatThrownBy(it::close).hasMessage("boom");
    it.close();
    assertThat(a.isClosed()).isTrue();
    assertThat(c.isClosed()).isTrue();
    assertThat(failing.closes).isEqualTo(1);
  }

  private static int firstAtOrAfter(List<Entry> model, byte[] k, long s) {
    int i = 0;
    while (i < model.size() && model.get(i).compareTo(k, s) < 0) {
      i++;
    }
    return i;
  }

  private static int firstAfter(List<Entry> model, byte[] k, long s) {
    int i = 0;
    while (i < model.size() && model.get(i).compareTo(k, s) <= 0) {
      i++;
    }
    return i;
  }
}
