package io.kevo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random puts, deletes and batches, with explicit flushes, range compactions, snapshots taken and
 * read later, cursors walked both ways, and reopens, checked against a {@link TreeMap} model: point
 * reads of every key ever touched, bounded scans in both directions, and the sequence counter.
 * jqwik prints the seed of a failing try.
 */
class DifferentialTest {
  private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

  private record Snap(Snapshot snapshot, TreeMap<byte[], byte[]> model) {}

  @Property(tries = 12)
  void engineMatchesTreeMapModel(@ForAll long seed) throws Exception {
    Path dir = Files.createTempDirectory("kevo-diff");
    Random rnd = new Random(seed);
    TreeMap<byte[], byte[]> model = new TreeMap<>(UNSIGNED);
    TreeMap<byte[], Boolean> touched = new TreeMap<>(UNSIGNED);
    Options opts =
        LsmTest.SMALL.toBuilder()
            .syncMode(SyncMode.values()[rnd.nextInt(3)])
            .compression(Compression.values()[rnd.nextInt(Compression.values().length)])
            .build();
    long expectedSeq = 0;
    try {
      for (int session = 0; session < 4; session++) {
        List<Snap> snaps = new ArrayList<>();
        try (KevoDB db = KevoDB.open(dir, opts)) {
          assertThat(db.latestSequence()).isEqualTo(expectedSeq);
          check(db, model, touched, rnd, ReadOptions.DEFAULT);
          int ops = 500 + rnd.nextInt(1500);
          for (int i = 0; i < ops; i++) {
            int kind = rnd.nextInt(100);
            if (kind < 55) {
              byte[] k = key(rnd);
              byte[] v = value(rnd);
              db.put(k, v);
              model.put(k, v);
              touched.put(k, true);
              expectedSeq++;
            } else if (kind < 75) {
              byte[] k = key(rnd);
              db.delete(k);
              model.remove(k);
              touched.put(k, true);
              expectedSeq++;
            } else if (kind < 93) {
              WriteBatch batch = new WriteBatch();
              int n = 1 + rnd.nextInt(20);
              for (int j = 0; j < n; j++) {
                byte[] k = key(rnd);
                touched.put(k, true);
                if (rnd.nextInt(3) == 0) {
                  batch.delete(k);
                  model.remove(k);
                } else {
                  byte[] v = value(rnd);
                  batch.put(k, v);
                  model.put(k, v);
                }
              }
              db.write(batch);
              expectedSeq += n;
            } else if (kind < 95) {
              snaps.add(new Snap(db.snapshot(), new TreeMap<>(model)));
            } else if (kind < 97) {
              db.flush();
            } else if (kind < 98) {
              byte[] a = key(rnd);
              byte[] c = key(rnd);
              if (UNSIGNED.compare(a, c) > 0) {
                byte[] t = a;
                a = c;
                c = t;
              }
              db.compactRange(rnd.nextBoolean() ? a : null, rnd.nextBoolean() ? c : null);
            } else if (!snaps.isEmpty()) {
              Snap s = snaps.remove(rnd.nextInt(snaps.size()));
              check(db, s.model(), touched, rnd, ReadOptions.at(s.snapshot()));
              s.snapshot().close();
            }
          }
          assertThat(db.latestSequence()).isEqualTo(expectedSeq);
          check(db, model, touched, rnd, ReadOptions.DEFAULT);
          for (Snap s : snaps) {
            check(db, s.model(), touched, rnd, ReadOptions.at(s.snapshot()));
            s.snapshot().close();
          }
          assertThat(db.stats().backgroundError()).isNull();
        }
      }
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static byte[] key(Random rnd) {
    byte[] k = new byte[1 + rnd.nextInt(3)];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (rnd.nextInt(8) * 36);
    }
    return k;
  }

  private static byte[] value(Random rnd) {
    int size = rnd.nextInt(20) == 0 ? rnd.nextInt(40_000) : rnd.nextInt(200);
    byte[] v = new byte[size];
    rnd.nextBytes(v);
    return v;
  }

  private static void check(
      KevoDB db,
      TreeMap<byte[], byte[]> model,
      TreeMap<byte[], Boolean> touched,
      Random rnd,
      ReadOptions ro) {
    for (byte[] k : touched.keySet()) {
      byte[] expected = model.get(k);
      if (expected == null) {
        assertThat(db.get(k, ro)).as("key %s", Arrays.toString(k)).isEmpty();
      } else {
        assertThat(db.get(k, ro))
            .as("key %s", Arrays.toString(k))
            .hasValueSatisfying(v -> assertThat(v).isEqualTo(expected));
      }
    }
    assertScan(db.scan(ScanOptions.ALL, ro), model);
    byte[] a = key(rnd);
    byte[] b = key(rnd);
    if (UNSIGNED.compare(a, b) > 0) {
      byte[] t = a;
      a = b;
      b = t;
    }
    NavigableMap<byte[], byte[]> range = model.subMap(a, true, b, false);
    assertScan(db.scan(ScanOptions.range(a, b), ro), range);
    assertScan(
        db.scan(ScanOptions.builder().start(a).end(b).reverse(true).build(), ro),
        range.descendingMap());
    byte[] p = new byte[] {a[0]};
    TreeMap<byte[], byte[]> withPrefix = new TreeMap<>(UNSIGNED);
    model.forEach(
        (k, v) -> {
          if (k[0] == p[0]) {
            withPrefix.put(k, v);
          }
        });
    assertScan(db.scan(ScanOptions.prefix(p), ro), withPrefix);
    walk(db, model, rnd, ro);
  }

  /** A random walk of seeks, nexts and prevs on a cursor, against the model. */
  private static void walk(KevoDB db, TreeMap<byte[], byte[]> model, Random rnd, ReadOptions ro) {
    try (KevoCursor c = db.cursor(ScanOptions.ALL, ro)) {
      Map.Entry<byte[], byte[]> at = null;
      for (int step = 0; step < 60; step++) {
        int move = rnd.nextInt(6);
        if (move == 0 || at == null && move >= 4) {
          byte[] t = key(rnd);
          c.seek(t);
          at = model.ceilingEntry(t);
        } else if (move == 1) {
          byte[] t = key(rnd);
          c.seekForPrev(t);
          at = model.floorEntry(t);
        } else if (move == 2) {
          c.seekToFirst();
          at = model.firstEntry();
        } else if (move == 3) {
          c.seekToLast();
          at = model.lastEntry();
        } else if (move == 4) {
          c.next();
          at = model.higherEntry(at.getKey());
        } else {
          c.prev();
          at = model.lowerEntry(at.getKey());
        }
        if (at == null) {
          assertThat(c.valid()).as("cursor past the model's end").isFalse();
        } else {
          assertThat(c.valid()).as("cursor valid").isTrue();
          assertThat(c.key()).isEqualTo(at.getKey());
          assertThat(c.value()).isEqualTo(at.getValue());
        }
      }
    }
  }

  private static void assertScan(KevoIterator it, Map<byte[], byte[]> expected) {
    try (it) {
      Iterator<Map.Entry<byte[], byte[]>> want = expected.entrySet().iterator();
      while (it.hasNext()) {
        KeyValue kv = it.next();
        assertThat(want.hasNext()).as("scan returned an extra key").isTrue();
        Map.Entry<byte[], byte[]> e = want.next();
        assertThat(kv.key()).isEqualTo(e.getKey());
        assertThat(kv.value()).isEqualTo(e.getValue());
      }
      assertThat(want.hasNext()).as("scan missed keys").isFalse();
    }
  }
}
