package io.kevo.engine.internal.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.internal.iter.InternalIterator;
import io.kevo.engine.internal.iter.InternalOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class MemTableIteratorTest {
  private record Version(byte[] key, long seq, byte[] value) {
    int compareTo(byte[] k, long s) {
      return InternalOrder.compare(key, seq, k, s);
    }

    boolean matches(InternalIterator it) {
      return Arrays.equals(key, it.userKey())
          && seq == it.sequence()
          && (value == null) == it.isTombstone()
          && Arrays.equals(value, it.value());
    }

    @Override
    public String toString() {
      return Arrays.toString(key) + "@" + seq;
    }
  }

  private static final Comparator<Version> ORDER =
      (a, b) -> InternalOrder.compare(a.key, a.seq, b.key, b.seq);

  private static byte[] randomKey(Random rnd, int alphabet) {
    byte[] k = new byte[rnd.nextInt(4)];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (0xFF - rnd.nextInt(alphabet) * 0x7F); // 0xFF, 0x80, 0x01: unsigned order
    }
    return k;
  }

  private static List<Version> fill(MemTable mt, Random rnd, int n) {
    List<Version> model = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      byte[] k = randomKey(rnd, 3);
      long seq = rnd.nextInt(n * 3 + 1);
      if (!seen.add(Arrays.toString(k) + "@" + seq)) {
        continue;
      }
      byte[] v = rnd.nextInt(4) == 0 ? null : new byte[] {(byte) i, (byte) (i >> 8)};
      mt.add(k, seq, v);
      model.add(new Version(k, seq, v));
    }
    model.sort(ORDER);
    return model;
  }

  @Property(tries = 300)
  void scansAndSeeksMatchSortedModel(@ForAll long seed) {
    Random rnd = new Random(seed);
    MemTable mt = new MemTable();
    List<Version> model = fill(mt, rnd, rnd.nextInt(300));
    InternalIterator it = mt.newIterator();
    assertThat(it.valid()).isFalse();

    int i = 0;
    for (it.seekToFirst(); it.valid(); it.next()) {
      assertThat(model.get(i++).matches(it)).isTrue();
    }
    assertThat(i).isEqualTo(model.size());
    for (it.seekToLast(); it.valid(); it.prev()) {
      assertThat(model.get(--i).matches(it)).isTrue();
    }
    assertThat(i).isZero();

    int pos = -1;
    for (int step = 0; step < 300; step++) {
      boolean valid = pos >= 0 && pos < model.size();
      int op = rnd.nextInt(valid ? 6 : 2);
      byte[] k = randomKey(rnd, 3);
      long s = rnd.nextInt(model.size() * 3 + 2);
      String what;
      switch (op) {
        case 0 -> {
          it.seek(k, s);
          pos = 0;
          while (pos < model.size() && model.get(pos).compareTo(k, s) < 0) {
            pos++;
          }
          what = "seek";
        }
        case 1 -> {
          it.seekForPrev(k, s);
          pos = model.size() - 1;
          while (pos >= 0 && model.get(pos).compareTo(k, s) > 0) {
            pos--;
          }
          what = "seekForPrev";
        }
        case 2, 3 -> {
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
      assertThat(it.valid()).as("%s at step %d", what, step).isEqualTo(want);
      if (want) {
        assertThat(model.get(pos).matches(it)).as("%s at step %d", what, step).isTrue();
      }
    }
    it.close();
    assertThat(it.valid()).isFalse();
  }

  @Test
  void returnedArraysAreCopiesThatSurviveMoves() {
    MemTable mt = new MemTable();
    mt.add(new byte[] {1}, 1, new byte[] {10});
    mt.add(new byte[] {2}, 2, new byte[] {20});
    InternalIterator it = mt.newIterator();
    it.seekToFirst();
    byte[] k = it.userKey();
    byte[] v = it.value();
    it.next();
    assertThat(k).containsExactly(1);
    assertThat(v).containsExactly(10);
    assertThat(it.userKey()).containsExactly(2);
  }

  @Test
  void iteratesInOrderInBothDirectionsWhileTheWriterInserts() throws Exception {
    MemTable mt = new MemTable();
    int n = 50_000;
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              Random rnd = new Random(7);
              for (int i = 1; i <= n; i++) {
                byte[] k = new byte[4];
                rnd.nextBytes(k);
                mt.add(k, i, k);
              }
            });
    writer.start();
    Thread reader =
        new Thread(
            () -> {
              try {
                InternalIterator it = mt.newIterator();
                while (mt.entryCount() < n) {
                  byte[] prevKey = null;
                  long prevSeq = 0;
                  for (it.seekToFirst(); it.valid(); it.next()) {
                    if (prevKey != null) {
                      assertThat(
                              InternalOrder.compare(prevKey, prevSeq, it.userKey(), it.sequence()))
                          .isNegative();
                    }
                    assertThat(it.value()).isEqualTo(it.userKey());
                    prevKey = it.userKey();
                    prevSeq = it.sequence();
                  }
                  prevKey = null;
                  int steps = 0;
                  for (it.seekToLast(); it.valid() && steps < 2000; it.prev(), steps++) {
                    if (prevKey != null) {
                      assertThat(
                              InternalOrder.compare(prevKey, prevSeq, it.userKey(), it.sequence()))
                          .isPositive();
                    }
                    prevKey = it.userKey();
                    prevSeq = it.sequence();
                  }
                }
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    reader.start();
    writer.join();
    reader.join();
    assertThat(failure.get()).isNull();
    InternalIterator it = mt.newIterator();
    int count = 0;
    for (it.seekToFirst(); it.valid(); it.next()) {
      count++;
    }
    assertThat(count).isEqualTo(n);
  }
}
