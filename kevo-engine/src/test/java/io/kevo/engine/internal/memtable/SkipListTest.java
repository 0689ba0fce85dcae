package io.kevo.engine.internal.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SkipListTest {
  private record Entry(byte[] key, long seq) {}

  private static final Comparator<Entry> ORDER =
      (a, b) -> {
        int c = Arrays.compareUnsigned(a.key, b.key);
        return c != 0 ? c : Long.compare(b.seq, a.seq);
      };

  @Property(tries = 200)
  void iteratesInKeyThenNewestFirstOrderAndSeeksExactly(
      @ForAll @Size(max = 200) List<@Size(max = 10) byte[]> keys, @ForAll long seed) {
    SkipList list = new SkipList();
    List<Entry> model = new ArrayList<>();
    long seq = 1;
    for (byte[] k : keys) {
      list.insert(k, seq, new byte[] {(byte) seq});
      model.add(new Entry(k, seq++));
    }
    model.sort(ORDER);
    List<Entry> got = new ArrayList<>();
    for (int n = list.first(); n != SkipList.NONE; n = list.next(n)) {
      got.add(new Entry(list.key(n), list.sequence(n)));
    }
    assertThat(got).hasSize(model.size());
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i).key).isEqualTo(model.get(i).key);
      assertThat(got.get(i).seq).isEqualTo(model.get(i).seq);
    }
    Random rnd = new Random(seed);
    for (int i = 0; i < 20; i++) {
      byte[] probe = new byte[rnd.nextInt(10)];
      rnd.nextBytes(probe);
      long ps = rnd.nextInt((int) seq + 1);
      Entry want =
          model.stream()
              .filter(e -> ORDER.compare(e, new Entry(probe, ps)) >= 0)
              .findFirst()
              .orElse(null);
      int n = list.seek(probe, ps);
      if (want == null) {
        assertThat(n).isEqualTo(SkipList.NONE);
      } else {
        assertThat(list.key(n)).isEqualTo(want.key);
        assertThat(list.sequence(n)).isEqualTo(want.seq);
      }
    }
  }

  @Test
  void shortKeysAndZeroSuffixesKeepByteOrder() {
    SkipList list = new SkipList();
    byte[][] keys = {{1, 0}, {1}, {1, 0, 0}, {0, 0, 0, 0, 0, 0, 0, 0, 1}, {0}, {(byte) 0xFF}};
    long s = 1;
    for (byte[] k : keys) {
      list.insert(k, s++, new byte[0]);
    }
    List<String> order = new ArrayList<>();
    for (int n = list.first(); n != SkipList.NONE; n = list.next(n)) {
      order.add(Arrays.toString(list.key(n)));
    }
    assertThat(order)
        .containsExactly(
            "[0]", "[0, 0, 0, 0, 0, 0, 0, 0, 1]", "[1]", "[1, 0]", "[1, 0, 0]", "[-1]");
  }

  @Test
  void readersRunningDuringInsertsAlwaysSeeASortedList() throws Exception {
    SkipList list = new SkipList();
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<String> failure = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              while (!done.get() && failure.get() == null) {
                byte[] prev = null;
                for (int n = list.first(); n != SkipList.NONE; n = list.next(n)) {
                  byte[] k = list.key(n);
                  if (prev != null && Arrays.compareUnsigned(prev, k) > 0) {
                    failure.set("out of order");
                  }
                  prev = k;
                }
              }
            });
    reader.start();
    Random rnd = new Random(3);
    for (int i = 1; i <= 200_000; i++) {
      byte[] k = new byte[16];
      rnd.nextBytes(k);
      list.insert(k, i, k);
    }
    done.set(true);
    reader.join();
    assertThat(failure.get()).isNull();
    int count = 0;
    for (int n = list.first(); n != SkipList.NONE; n = list.next(n)) {
      count++;
    }
    assertThat(count).isEqualTo(200_000);
  }

  /**
   * A seek must return the node its search compared, not a second read of the last link: the writer
   * may link a node in between. Here each insert is a new key just before the target, so it lands
   * exactly between the seek's last node before the target and the target; a seek that re-reads
   * that link lands on the new key, and a memtable lookup then reports the target absent (in the
   * engine: a read at a snapshot falls through to an older version, a lost update).
   */
  @Test
  void aSeekRacingAnInsertJustBeforeItsTargetStillLandsOnTheTarget() throws Exception {
    byte[] target = {'b'};
    // Bounded: before the fix every run of a second missed (10 of 10, on 2 loaded cores), most
    // within the first rounds; it stops at the first miss.
    long deadline = System.nanoTime() + 1_000_000_000L;
    AtomicReference<SkipList> current = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong seeks = new AtomicLong();
    AtomicLong misses = new AtomicLong();
    Runnable seeker =
        () -> {
          while (!done.get()) {
            SkipList list = current.get();
            for (int i = 0; i < 1000; i++) {
              int n = list.seek(target, 1);
              if (n == SkipList.NONE || list.compareKey(n, target) != 0) {
                misses.incrementAndGet();
              }
            }
            seeks.addAndGet(1000);
          }
        };
    List<Thread> readers = new ArrayList<>();
    int readerCount = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    try {
      long seq = 2;
      do {
        SkipList list = new SkipList(1 << 20);
        list.insert(target, 1, target);
        current.set(list);
        if (readers.isEmpty()) {
          for (int r = 0; r < readerCount; r++) {
            Thread t = new Thread(seeker, "seeker-" + r);
            t.start();
            readers.add(t);
          }
        }
        for (int i = 0; i < 20_000; i++) {
          byte[] k = String.format("a%08d", i).getBytes(StandardCharsets.US_ASCII);
          list.insert(k, seq++, k);
        }
      } while (System.nanoTime() < deadline && misses.get() == 0);
    } finally {
      done.set(true);
      for (Thread t : readers) {
        t.join();
      }
    }
    assertThat(misses.get()).as("seeks of %d that missed the target", seeks.get()).isZero();
  }

  @Test
  void entriesSpanningManyPagesAndChunksReadBackExactly() {
    // Smallest pages (16 KiB of ints), so that nodes fill hundreds of them; values of every size
    // class: small ones share 2 MiB chunks, big ones (over 512 KiB, and exactly 2 MiB) get their
    // own chunk and must not disturb the chunk being filled.
    SkipList list = new SkipList(1);
    Random rnd = new Random(11);
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 60_000; i++) {
      byte[] k = new byte[1 + rnd.nextInt(24)];
      rnd.nextBytes(k);
      int size = i % 20_000 == 7 ? 2 << 20 : i % 10_000 == 3 ? (600 << 10) : rnd.nextInt(300);
      byte[] v = i % 13 == 0 ? null : new byte[size];
      if (v != null) {
        rnd.nextBytes(v);
      }
      assertThat(list.insert(k, i + 1, v)).isEqualTo(SkipList.nodeBytes(heightOf(list, k, i + 1)));
      keys.add(k);
      values.add(v);
    }
    for (int i = 0; i < keys.size(); i++) {
      int n = list.seek(keys.get(i), i + 1);
      assertThat(n).isNotEqualTo(SkipList.NONE);
      assertThat(list.compareKey(n, keys.get(i))).isZero();
      assertThat(list.sequence(n)).isEqualTo(i + 1);
      if (values.get(i) == null) {
        assertThat(list.isTombstone(n)).isTrue();
      } else {
        assertThat(list.isTombstone(n)).isFalse();
        assertThat(list.value(n)).isEqualTo(values.get(i));
      }
    }
    int count = 0;
    for (int n = list.first(); n != SkipList.NONE; n = list.next(n)) {
      count++;
    }
    assertThat(count).isEqualTo(keys.size());
    assertThat(list.key(list.last())).isNotNull();
  }

  /** The height the list gave the node of {@code (key, seq)}, from its links. */
  private static int heightOf(SkipList list, byte[] key, long seq) {
    int n = list.seek(key, seq);
    return list.height(n);
  }
}
