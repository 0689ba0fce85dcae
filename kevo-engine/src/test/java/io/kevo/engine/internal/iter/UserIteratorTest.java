package io.kevo.engine.internal.iter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.engine.internal.memtable.MemTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class UserIteratorTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Writes with sequences 1..n spread over several sources, as the engine's read path sees them.
   */
  private record History(List<Entry> writes, List<InternalIterator> sources) {
    /** The live keys at {@code readSeq} passing the filters: what a correct iterator returns. */
    NavigableMap<byte[], byte[]> model(
        long readSeq, byte[] lower, byte[] upper, byte[] prefix, byte[] suffix) {
      NavigableMap<byte[], byte[]> m = new TreeMap<>(Arrays::compareUnsigned);
      for (Entry e : writes) {
        if (e.seq() <= readSeq) {
          if (e.isTombstone()) {
            m.remove(e.key());
          } else {
            m.put(e.key(), e.value());
          }
        }
      }
      m.keySet().removeIf(k -> !passes(k, lower, upper, prefix, suffix));
      return m;
    }
  }

  private static boolean passes(byte[] k, byte[] lower, byte[] upper, byte[] prefix, byte[] suf) {
    if (lower != null && Arrays.compareUnsigned(k, lower) < 0) {
      return false;
    }
    if (upper != null && Arrays.compareUnsigned(k, upper) >= 0) {
      return false;
    }
    if (prefix != null
        && (k.length < prefix.length
            || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length))) {
      return false;
    }
    return suf == null
        || k.length >= suf.length
            && Arrays.equals(k, k.length - suf.length, k.length, suf, 0, suf.length);
  }

  private static History history(Random rnd, int writes, int alphabet, int sourceCount) {
    List<Entry> all = new ArrayList<>();
    List<List<Entry>> perSource = new ArrayList<>();
    for (int i = 0; i < sourceCount; i++) {
      perSource.add(new ArrayList<>());
    }
    for (int seq = 1; seq <= writes; seq++) {
      byte[] key = Gen.key(rnd, 3, alphabet);
      byte[] value = rnd.nextInt(10) < 3 ? null : ("v" + seq).getBytes(UTF_8);
      // Newer writes tend to land in earlier (newer) sources, as flushes and compactions arrange.
      int src = Math.min(sourceCount - 1, (writes - seq) * sourceCount / writes);
      if (rnd.nextInt(4) == 0) {
        src = rnd.nextInt(sourceCount);
      }
      Entry e = new Entry(key, seq, value, src);
      all.add(e);
      perSource.get(src).add(e);
    }
    List<InternalIterator> sources = new ArrayList<>();
    for (List<Entry> entries : perSource) {
      if (rnd.nextBoolean()) {
        MemTable mt = new MemTable();
        for (Entry e : entries) {
          mt.add(e.key(), e.seq(), e.value());
        }
        sources.add(mt.newIterator());
      } else {
        sources.add(new ListInternalIterator(entries));
      }
    }
    return new History(all, sources);
  }

  private static byte[] maybe(Random rnd, int percent, int maxLength, int alphabet) {
    return rnd.nextInt(100) < percent ? Gen.key(rnd, maxLength, alphabet) : null;
  }

  @Property(tries = 400)
  void randomWalkMatchesTreeMapModel(@ForAll long seed) {
    Random rnd = new Random(seed);
    int alphabet = 2 + rnd.nextInt(5);
    int writes = 1 + rnd.nextInt(400);
    History h = history(rnd, writes, alphabet, 1 + rnd.nextInt(4));
    long readSeq = rnd.nextInt(writes + 2);
    byte[] lower = maybe(rnd, 30, 2, alphabet);
    byte[] upper = maybe(rnd, 30, 2, alphabet);
    byte[] prefix = maybe(rnd, 25, 2, alphabet);
    byte[] suffix = maybe(rnd, 15, 1, alphabet);
    if (prefix != null && prefix.length == 0) {
      prefix = null; // empty means "no prefix"
    }
    if (suffix != null && suffix.length == 0) {
      suffix = null;
    }
    NavigableMap<byte[], byte[]> model = h.model(readSeq, lower, upper, prefix, suffix);
    String config =
        String.format(
            "readSeq=%d lower=%s upper=%s prefix=%s suffix=%s",
            readSeq, hex(lower), hex(upper), hex(prefix), hex(suffix));
    try (UserIterator it =
        new UserIterator(
            new MergingIterator(h.sources()), readSeq, lower, upper, prefix, suffix, null)) {
      assertThat(scanForward(it)).as(config).containsExactlyElementsOf(hexKeys(model));
      assertThat(scanBackward(it))
          .as(config)
          .containsExactlyElementsOf(hexKeys(model.descendingMap()));
      byte[] cur = null;
      for (int step = 0; step < 300; step++) {
        int op = rnd.nextInt(cur != null ? 10 : 4);
        String what;
        byte[] target = Gen.key(rnd, 3, alphabet);
        switch (op) {
          case 0 -> {
            it.seekToFirst();
            cur = model.isEmpty() ? null : model.firstKey();
            what = "seekToFirst";
          }
          case 1 -> {
            it.seekToLast();
            cur = model.isEmpty() ? null : model.lastKey();
            what = "seekToLast";
          }
          case 2 -> {
            it.seek(target);
            cur = model.ceilingKey(target);
            what = "seek " + hex(target);
          }
          case 3 -> {
            it.seekForPrev(target);
            cur = model.floorKey(target);
            what = "seekForPrev " + hex(target);
          }
          case 4, 5, 6 -> {
            it.next();
            cur = model.higherKey(cur);
            what = "next";
          }
          default -> {
            it.prev();
            cur = model.lowerKey(cur);
            what = "prev";
          }
        }
        String desc = config + " after " + what + " at step " + step;
        assertThat(it.valid()).as(desc).isEqualTo(cur != null);
        if (cur != null) {
          assertThat(hex(it.key())).as(desc).isEqualTo(hex(cur));
          assertThat(it.value()).as(desc).isEqualTo(model.get(cur));
        }
      }
    }
  }

  @Test
  void skipsManyVersionsWithSeeksNotSteps() {
    MemTable mt = new MemTable();
    byte[] a = "a".getBytes(UTF_8);
    byte[] b = "b".getBytes(UTF_8);
    byte[] c = "c".getBytes(UTF_8);
    long seq = 1;
    mt.add(a, seq++, "a".getBytes(UTF_8));
    for (int i = 0; i < 5000; i++) {
      mt.add(b, seq++, ("b" + i).getBytes(UTF_8));
    }
    long middle = seq - 1; // the last of the first 5000 versions
    for (int i = 0; i < 5000; i++) {
      mt.add(b, seq++, ("b'" + i).getBytes(UTF_8));
    }
    mt.add(c, seq++, "c".getBytes(UTF_8));
    CountingIterator counting = new CountingIterator(mt.newIterator());
    // Reading in the middle: 5000 newer invisible versions before b's visible one, 4999 older
    // after.
    try (UserIterator it = new UserIterator(counting, middle, null, null, null, null, null)) {
      List<String> forward = new ArrayList<>();
      for (it.seekToFirst(); it.valid(); it.next()) {
        forward.add(new String(it.key(), UTF_8) + "=" + new String(it.value(), UTF_8));
      }
      assertThat(forward).containsExactly("a=a", "b=b4999");
      assertThat(counting.moves).isLessThan(60);

      counting.reset();
      List<String> backward = new ArrayList<>();
      for (it.seekToLast(); it.valid(); it.prev()) {
        backward.add(new String(it.key(), UTF_8) + "=" + new String(it.value(), UTF_8));
      }
      assertThat(backward).containsExactly("b=b4999", "a=a");
      assertThat(counting.moves).isLessThan(60);
    }
  }

  @Test
  void prefixIterationSeeksToThePrefixAndStopsPastIt() {
    MemTable mt = new MemTable();
    long seq = 1;
    for (int i = 0; i < 20_000; i++) {
      byte[] k = String.format("k%05d", i).getBytes(UTF_8);
      mt.add(k, seq++, k);
      if (i % 3 == 0) {
        mt.add(k, seq++, null); // some keys deleted later
      }
    }
    byte[] prefix = "k123".getBytes(UTF_8);
    CountingIterator counting = new CountingIterator(mt.newIterator());
    try (UserIterator it = new UserIterator(counting, seq, null, null, prefix, null, null)) {
      int forward = 0;
      for (it.seekToFirst(); it.valid(); it.next()) {
        assertThat(it.key()).startsWith(prefix);
        forward++;
      }
      assertThat(forward).isEqualTo(100 - 34); // k12300..k12399 minus the multiples of three
      assertThat(outside(counting, prefix)).isLessThanOrEqualTo(1);
      assertThat(counting.visitedKeys.size()).isLessThan(200);

      counting.reset();
      int backward = 0;
      for (it.seekToLast(); it.valid(); it.prev()) {
        assertThat(it.key()).startsWith(prefix);
        backward++;
      }
      assertThat(backward).isEqualTo(forward);
      assertThat(outside(counting, prefix)).isLessThanOrEqualTo(1);
      assertThat(counting.visitedKeys.size()).isLessThan(200);

      counting.reset();
      it.seek("k12350".getBytes(UTF_8));
      assertThat(new String(it.key(), UTF_8)).isEqualTo("k12350");
      it.seek("k2".getBytes(UTF_8));
      assertThat(it.valid()).isFalse();
      it.seekForPrev("k0".getBytes(UTF_8));
      assertThat(it.valid()).isFalse();
      assertThat(counting.moves).isLessThan(10);
    }
  }

  @Test
  void prefixOfAllOnesHasNoUpperBound() {
    MemTable mt = new MemTable();
    byte[] ff = {(byte) 0xFF};
    byte[] ffff = {(byte) 0xFF, (byte) 0xFF};
    byte[] fe = {(byte) 0xFE};
    mt.add(fe, 1, fe);
    mt.add(ff, 2, ff);
    mt.add(ffff, 3, ffff);
    try (UserIterator it = new UserIterator(mt.newIterator(), 10, null, null, ff, null, null)) {
      it.seekToLast();
      assertThat(it.key()).isEqualTo(ffff);
      it.prev();
      assertThat(it.key()).isEqualTo(ff);
      it.prev();
      assertThat(it.valid()).isFalse();
    }
  }

  @Test
  void returnedArraysBelongToTheCaller() {
    MemTable mt = new MemTable();
    mt.add(new byte[] {1}, 1, new byte[] {10});
    mt.add(new byte[] {2}, 2, new byte[] {20});
    try (UserIterator it = new UserIterator(mt.newIterator(), 5, null, null, null, null, null)) {
      it.seekToFirst();
      it.key()[0] = 9; // must not derail the step past key 1
      it.value()[0] = 9;
      assertThat(it.key()).containsExactly(1);
      assertThat(it.value()).containsExactly(10);
      it.next();
      assertThat(it.key()).containsExactly(2);
      it.prev();
      it.key()[0] = 9;
      it.value()[0] = 9;
      assertThat(it.value()).containsExactly(10);
      it.next();
      assertThat(it.key()).containsExactly(2);
    }
  }

  @Test
  void closeIsIdempotentAndRunsTheHookOnceAfterClosingTheSource() {
    CountingIterator source = new CountingIterator(new ListInternalIterator(List.of()));
    AtomicInteger hook = new AtomicInteger();
    UserIterator it =
        new UserIterator(
            source,
            1,
            null,
            null,
            null,
            null,
            () -> {
              assertThat(source.closes).isEqualTo(1);
              hook.incrementAndGet();
            });
    it.close();
    it.close();
    assertThat(hook).hasValue(1);
    assertThat(source.closes).isEqualTo(1);
    assertThat(it.valid()).isFalse();
    assertThatThrownBy(it::seekToFirst).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void hookRunsEvenIfClosingTheSourceFails() {
    CountingIterator source = new CountingIterator(new ListInternalIterator(List.of()));
    source.closeFailure = new IllegalStateException("boom");
    AtomicInteger hook = new AtomicInteger();
    UserIterator it = new UserIterator(source, 1, null, null, null, null, hook::incrementAndGet);
    assertThatThrownBy(it::close).hasMessage("boom");
    assertThat(hook).hasValue(1);
  }

  private static long outside(CountingIterator counting, byte[] prefix) {
    return counting.visitedKeys.stream().filter(k -> !passes(k, null, null, prefix, null)).count();
  }

  private static List<String> scanForward(UserIterator it) {
    List<String> keys = new ArrayList<>();
    for (it.seekToFirst(); it.valid(); it.next()) {
      keys.add(hex(it.key()));
    }
    return keys;
  }

  private static List<String> scanBackward(UserIterator it) {
    List<String> keys = new ArrayList<>();
    for (it.seekToLast(); it.valid(); it.prev()) {
      keys.add(hex(it.key()));
    }
    return keys;
  }

  private static List<String> hexKeys(Map<byte[], byte[]> m) {
    return m.keySet().stream().map(UserIteratorTest::hex).toList();
  }

  private static String hex(byte[] b) {
    return b == null ? "null" : "[" + HEX.formatHex(b) + "]";
  }
}
