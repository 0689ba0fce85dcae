package io.kevo.engine;

import static io.kevo.engine.TestData.b;
import static io.kevo.engine.TestData.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReadCeiling}: reads, snapshots and transactions at a ceiling below the visible sequence
 * see exactly the state at the ceiling, through flushes and compactions; a read-your-writes token
 * reads above it.
 */
class ReadCeilingTest {
  @TempDir Path dir;

  /** Small memtables and tables: a few thousand writes make several flushes and compactions. */
  private static final Options OPTS = LsmTest.SMALL;

  /** Every write made, in sequence order, to compute the state at any sequence. */
  private final List<Object[]> log = new ArrayList<>(); // {sequence, key, value or null}

  private long put(KevoDB db, String k, String v) {
    long seq = db.put(b(k), b(v));
    log.add(new Object[] {seq, k, v});
    return seq;
  }

  private long delete(KevoDB db, String k) {
    long seq = db.delete(b(k));
    log.add(new Object[] {seq, k, null});
    return seq;
  }

  private TreeMap<String, String> stateAt(long sequence) {
    TreeMap<String, String> m = new TreeMap<>();
    for (Object[] op : log) {
      if ((long) op[0] <= sequence) {
        if (op[2] == null) {
          m.remove((String) op[1]);
        } else {
          m.put((String) op[1], (String) op[2]);
        }
      }
    }
    return m;
  }

  private static Map<String, String> scan(KevoIterator it) {
    Map<String, String> m = new LinkedHashMap<>();
    try (it) {
      it.forEachRemaining(kv -> m.put(s(kv.key()), s(kv.value())));
    }
    return m;
  }

  /** Scans and point reads (of every key ever written) through {@code ro} match {@code want}. */
  private void assertReads(KevoDB db, ReadOptions ro, TreeMap<String, String> want) {
    assertThat(scan(db.scan(ScanOptions.ALL, ro))).containsExactlyEntriesOf(want);
    for (Object[] op : log) {
      String k = (String) op[1];
      assertThat(db.get(b(k), ro).map(TestData::s))
          .as("key %s", k)
          .isEqualTo(java.util.Optional.ofNullable(want.get(k)));
    }
  }

  private void assertReadsAt(KevoDB db, long sequence) {
    assertThat(db.readSequence()).isEqualTo(sequence);
    assertReads(db, ReadOptions.DEFAULT, stateAt(sequence));
  }

  /** Overwrites and deletes random keys of {@code k0..k(keys-1)} {@code n} times. */
  private long churn(KevoDB db, Random rnd, int keys, int n, String tag) {
    long last = 0;
    for (int i = 0; i < n; i++) {
      String k = "k" + rnd.nextInt(keys);
      last = rnd.nextInt(8) == 0 ? delete(db, k) : put(db, k, tag + "-" + i + "-" + "x".repeat(40));
    }
    return last;
  }

  @Test
  void readsAtTheCeilingSeeExactlyItsStateAcrossFlushesAndCompactions() {
    Random rnd = new Random(7);
    AtomicLong ceiling = new AtomicLong();
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      db.readCeiling(ceiling::get);
      long confirmed = churn(db, rnd, 300, 3000, "a");
      ceiling.set(confirmed);
      long last = churn(db, rnd, 300, 3000, "b"); // above the ceiling: never seen
      assertThat(db.latestSequence()).isEqualTo(last);
      assertReadsAt(db, confirmed);

      db.flush();
      db.compactRange(null, null);
      assertThat(db.stats().compactions()).isPositive();
      // Versions above the ceiling stayed invisible; the newest at or below it did not vanish,
      // though newer versions of the same keys exist.
      assertReadsAt(db, confirmed);

      // The ceiling moves into the middle of what was written above it, more is written on top.
      long middle = confirmed + (last - confirmed) / 2;
      ceiling.set(middle);
      long more = churn(db, rnd, 300, 3000, "c");
      assertReadsAt(db, middle);
      db.compactRange(null, null);
      assertReadsAt(db, middle);

      // A ceiling that goes down is not followed: what readers could see stays visible.
      ceiling.set(confirmed);
      assertReadsAt(db, middle);

      ceiling.set(Long.MAX_VALUE);
      assertReadsAt(db, more);
    }
  }

  @Test
  void aTokenReadsUpToItAboveTheCeilingButNeverBeyondTheWrittenState() {
    AtomicLong ceiling = new AtomicLong();
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      db.readCeiling(ceiling::get);
      for (int i = 1; i <= 10; i++) {
        put(db, "k", "v" + i); // at sequence 2i - 1
        put(db, "other" + i, "o" + i); // at 2i
      }
      long last = db.latestSequence();
      ceiling.set(5);
      assertReads(db, ReadOptions.DEFAULT, stateAt(5));
      assertThat(db.readSequence(12)).isEqualTo(12);
      assertReads(db, ReadOptions.atLeast(12), stateAt(12));
      assertThat(db.readSequence(3)).as("a token below the ceiling changes nothing").isEqualTo(5);
      assertReads(db, ReadOptions.atLeast(3), stateAt(5));
      assertThat(db.readSequence(1000)).isEqualTo(last);
      assertReads(db, ReadOptions.atLeast(1000), stateAt(last));
      assertThat(db.get(b("k"), ReadOptions.atLeast(12)).map(TestData::s)).hasValue("v6");

      // A token's reads stay exact through a flush and compaction too.
      db.compactRange(null, null);
      assertReads(db, ReadOptions.atLeast(12), stateAt(12));
      assertReads(db, ReadOptions.DEFAULT, stateAt(5));
      assertThatThrownBy(() -> ReadOptions.atLeast(-1)).isInstanceOf(KevoException.class);
    }
  }

  @Test
  void snapshotsAndTransactionsBeginAtTheCeilingOrTheToken() {
    AtomicLong ceiling = new AtomicLong();
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      db.readCeiling(ceiling::get);
      long a1 = put(db, "a", "1");
      put(db, "b", "1");
      ceiling.set(db.latestSequence());
      long confirmed = ceiling.get();
      long a2 = put(db, "a", "2"); // not confirmed
      long c1 = put(db, "c", "1"); // not confirmed

      try (Snapshot above = db.snapshot(a2)) {
        assertThat(above.sequence()).isEqualTo(a2);
        // The only snapshot is above the ceiling: compaction still keeps the ceiling's state.
        db.compactRange(null, null);
        assertReads(db, ReadOptions.at(above), stateAt(a2));
        assertReads(db, ReadOptions.DEFAULT, stateAt(confirmed));
      }
      try (Snapshot snap = db.snapshot()) {
        assertThat(snap.sequence()).isEqualTo(confirmed);
        assertReads(db, ReadOptions.at(snap), stateAt(confirmed));
      }

      try (Transaction ro = db.beginTransaction(TransactionOptions.READ_ONLY)) {
        assertThat(ro.snapshotSequence()).isEqualTo(confirmed);
        assertThat(ro.get(b("a")).map(TestData::s)).hasValue("1");
        assertThat(ro.get(b("c"))).isEmpty();
      }
      try (Transaction ro = db.beginTransaction(TransactionOptions.READ_ONLY.withMinSequence(c1))) {
        assertThat(ro.snapshotSequence()).isEqualTo(c1);
        assertThat(ro.get(b("a")).map(TestData::s)).hasValue("2");
        assertThat(scan(ro.scan(ScanOptions.ALL))).containsOnlyKeys("a", "b", "c");
      }

      // A read-write transaction reads at the ceiling; writing a key that has an unconfirmed write
      // after its snapshot is a conflict: it read a state that the commit would silently overwrite.
      Transaction rw = db.beginTransaction();
      assertThat(rw.snapshotSequence()).isEqualTo(confirmed);
      assertThat(rw.get(b("a")).map(TestData::s)).hasValue("1");
      rw.put(b("a"), b("3"));
      assertThatThrownBy(rw::commit).isInstanceOf(TransactionConflictException.class);
      assertThat(db.get(b("a"), ReadOptions.atLeast(Long.MAX_VALUE)).map(TestData::s))
          .hasValue("2");

      // A key without unconfirmed writes commits; the commit is above the ceiling until raised.
      long committed;
      try (Transaction ok = db.beginTransaction()) {
        ok.put(b("b"), b("2"));
        committed = ok.commit();
      }
      assertThat(db.get(b("b")).map(TestData::s)).hasValue("1");
      ceiling.set(committed);
      assertThat(db.get(b("b")).map(TestData::s)).hasValue("2");
      assertThat(db.get(b("a")).map(TestData::s)).hasValue("2");
      assertThat(a1).isLessThan(confirmed);
    }
  }

  @Test
  void aCeilingSetLaterNeverTakesBackWhatReadersSaw() {
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      for (int i = 0; i < 10; i++) {
        put(db, "k" + i, "v");
      }
      db.readCeiling(() -> 3);
      assertThat(db.readSequence()).isEqualTo(10);
      assertReadsAt(db, 10);
      AtomicLong ceiling = new AtomicLong(3);
      db.readCeiling(ceiling::get);
      for (int i = 0; i < 10; i++) {
        put(db, "k" + i, "w");
      }
      assertReadsAt(db, 10);
      ceiling.set(15);
      assertReadsAt(db, 15);
      db.readCeiling(ReadCeiling.NONE);
      assertReadsAt(db, 20);
    }
  }
}
