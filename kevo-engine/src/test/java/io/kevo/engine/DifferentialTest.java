package io.kevo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random puts, deletes and batches, with reopens (clean, and after dropping the handle's state by
 * reopening) in between, checked against a {@link TreeMap} model: point reads of every key ever
 * touched, full and bounded scans, and the sequence counter.
 */
class DifferentialTest {
  private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

  @Property(tries = 15)
  void engineMatchesTreeMapModel(@ForAll long seed) throws Exception {
    Path dir = Files.createTempDirectory("kevo-diff");
    Random rnd = new Random(seed);
    TreeMap<byte[], byte[]> model = new TreeMap<>(UNSIGNED);
    TreeMap<byte[], Boolean> touched = new TreeMap<>(UNSIGNED);
    Options opts =
        Options.builder()
            .segmentSize(64 * 1024)
            .syncMode(SyncMode.values()[rnd.nextInt(3)])
            .build();
    long expectedSeq = 0;
    try {
      for (int session = 0; session < 4; session++) {
        try (KevoDB db = KevoDB.open(dir, opts)) {
          assertThat(db.latestSequence()).isEqualTo(expectedSeq);
          check(db, model, touched, rnd);
          int ops = 200 + rnd.nextInt(600);
          for (int i = 0; i < ops; i++) {
            int kind = rnd.nextInt(10);
            if (kind < 6) {
              byte[] k = key(rnd);
              byte[] v = value(rnd);
              db.put(k, v);
              model.put(k, v);
              touched.put(k, true);
              expectedSeq++;
            } else if (kind < 8) {
              byte[] k = key(rnd);
              db.delete(k);
              model.remove(k);
              touched.put(k, true);
              expectedSeq++;
            } else {
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
            }
            if (rnd.nextInt(100) == 0) {
              check(db, model, touched, rnd);
            }
          }
          assertThat(db.latestSequence()).isEqualTo(expectedSeq);
          check(db, model, touched, rnd);
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
      k[i] = (byte) (rnd.nextInt(6) * 50);
    }
    return k;
  }

  private static byte[] value(Random rnd) {
    int size = rnd.nextInt(10) == 0 ? rnd.nextInt(40_000) : rnd.nextInt(20);
    byte[] v = new byte[size];
    rnd.nextBytes(v);
    return v;
  }

  private static void check(
      KevoDB db, TreeMap<byte[], byte[]> model, TreeMap<byte[], Boolean> touched, Random rnd) {
    for (byte[] k : touched.keySet()) {
      byte[] expected = model.get(k);
      if (expected == null) {
        assertThat(db.get(k)).isEmpty();
      } else {
        assertThat(db.get(k)).hasValueSatisfying(v -> assertThat(v).isEqualTo(expected));
      }
    }
    assertScan(db.scan(ScanOptions.ALL), model);
    byte[] a = key(rnd);
    byte[] b = key(rnd);
    if (UNSIGNED.compare(a, b) > 0) {
      byte[] t = a;
      a = b;
      b = t;
    }
    assertScan(db.scan(ScanOptions.range(a, b)), model.subMap(a, true, b, false));
    byte[] p = new byte[] {a[0]};
    TreeMap<byte[], byte[]> withPrefix = new TreeMap<>(UNSIGNED);
    model.forEach(
        (k, v) -> {
          if (k[0] == p[0]) {
            withPrefix.put(k, v);
          }
        });
    assertScan(db.scan(ScanOptions.prefix(p)), withPrefix);
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
