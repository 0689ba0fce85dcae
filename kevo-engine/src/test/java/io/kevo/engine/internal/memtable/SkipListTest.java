package io.kevo.engine.internal.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
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
    for (SkipList.Node n = list.first(); n != null; n = n.next(0)) {
      got.add(new Entry(n.key(), n.sequence));
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
      SkipList.Node n = list.seek(probe, ps);
      if (want == null) {
        assertThat(n).isNull();
      } else {
        assertThat(n.key()).isEqualTo(want.key);
        assertThat(n.sequence).isEqualTo(want.seq);
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
    for (SkipList.Node n = list.first(); n != null; n = n.next(0)) {
      order.add(Arrays.toString(n.key()));
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
                SkipList.Node prev = null;
                for (SkipList.Node n = list.first(); n != null; n = n.next(0)) {
                  if (prev != null && Arrays.compareUnsigned(prev.key(), n.key()) > 0) {
                    failure.set("out of order");
                  }
                  prev = n;
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
    for (SkipList.Node n = list.first(); n != null; n = n.next(0)) {
      count++;
    }
    assertThat(count).isEqualTo(200_000);
  }
}
