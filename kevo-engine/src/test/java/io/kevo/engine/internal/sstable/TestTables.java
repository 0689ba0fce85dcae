package io.kevo.engine.internal.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.internal.iter.InternalIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/** Shared helpers: random sorted entry sets, writing them, reading a table back whole. */
final class TestTables {
  private TestTables() {}

  /**
   * Random entries in internal order: keys over a small alphabet (so many share prefixes), 1 to 5
   * versions per key with distinct sequences, about 20% tombstones, some empty values and a few
   * values larger than {@code largeValue} bytes.
   */
  static List<Entry> randomEntries(Random rnd, int keys, int largeValue) {
    Set<String> seen = new HashSet<>();
    List<Entry> out = new ArrayList<>();
    long seqBase = 1 + rnd.nextInt(1000);
    for (int k = 0; k < keys; k++) {
      byte[] key = randomKey(rnd);
      if (!seen.add(new String(key, java.nio.charset.StandardCharsets.ISO_8859_1))) {
        continue;
      }
      int versions = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 5 : 2);
      for (int v = 0; v < versions; v++) {
        long seq = seqBase + rnd.nextInt(100_000) * 8L + v;
        boolean tombstone = rnd.nextInt(5) == 0;
        byte[] value = tombstone ? null : randomValue(rnd, largeValue);
        out.add(new Entry(key, seq, tombstone, value));
      }
    }
    out.sort(Entry.ORDER);
    // Drop accidental duplicates of (key, sequence): the writer rightly refuses them.
    List<Entry> unique = new ArrayList<>();
    for (Entry e : out) {
      if (unique.isEmpty() || Entry.ORDER.compare(unique.get(unique.size() - 1), e) != 0) {
        unique.add(e);
      }
    }
    return unique;
  }

  static byte[] randomKey(Random rnd) {
    int len = rnd.nextInt(24);
    byte[] key = new byte[len];
    for (int i = 0; i < len; i++) {
      // Mostly a narrow alphabet for shared prefixes, sometimes any byte (incl. >= 0x80).
      key[i] = rnd.nextInt(8) == 0 ? (byte) rnd.nextInt(256) : (byte) ('a' + rnd.nextInt(4));
    }
    return key;
  }

  static byte[] randomValue(Random rnd, int largeValue) {
    int r = rnd.nextInt(100);
    int len = r < 10 ? 0 : r < 98 ? rnd.nextInt(120) : largeValue + rnd.nextInt(largeValue);
    byte[] v = new byte[len];
    // Half compressible text-like bytes, half random, so codecs both help and give up.
    if (rnd.nextBoolean()) {
      for (int i = 0; i < len; i++) {
        v[i] = (byte) ('A' + (i % 7));
      }
    } else {
      rnd.nextBytes(v);
    }
    return v;
  }

  static TableProperties write(Path file, TableOptions options, List<Entry> entries) {
    try (TableWriter w = TableWriter.create(file, options)) {
      for (Entry e : entries) {
        w.add(e.userKey(), e.sequence(), e.tombstone(), e.value());
      }
      return w.finish();
    }
  }

  /** Writes the entries to a fresh table in {@code dir} and opens it without a block cache. */
  static TableReader open(Path dir, List<Entry> entries, TableOptions options) {
    Path file = dir.resolve("000099.sst");
    write(file, options, entries);
    return TableReader.open(file, 99, new BlockCache(0), new TableStats());
  }

  static List<Entry> readAll(InternalIterator it) {
    List<Entry> out = new ArrayList<>();
    for (it.seekToFirst(); it.valid(); it.next()) {
      out.add(current(it));
    }
    return out;
  }

  static List<Entry> readAllBackwards(InternalIterator it) {
    List<Entry> out = new ArrayList<>();
    for (it.seekToLast(); it.valid(); it.prev()) {
      out.add(current(it));
    }
    return out;
  }

  static Entry current(InternalIterator it) {
    return new Entry(it.userKey(), it.sequence(), it.isTombstone(), it.value());
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("kevo-sst");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void assertNoTempFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }
}
