package io.kevo.engine;

import static io.kevo.engine.TestData.b;
import static io.kevo.engine.TestData.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node restarted over and over before its memtable fills (a kill loop, rolling restarts): each
 * open must replay only what the previous run wrote, not every segment since the last flush.
 * Closing flushes nothing (it only syncs the log), so each reopen here rebuilds the memtable from
 * the WAL exactly as after a crash of a node that synced its writes.
 */
class RestartLoopTest {
  private static final int RUNS = 40;
  private static final int WRITES_PER_RUN = 50;

  /** The default 64 MiB memtable never fills here: no flush happens but the one at open. */
  private static final Options SMALL_SEGMENTS =
      Options.builder().segmentSize(64 << 10).syncMode(SyncMode.IMMEDIATE).build();

  @TempDir Path dir;

  @Test
  void eachOpenReplaysOnlyThePreviousRunsSegment() {
    restartLoop(SMALL_SEGMENTS, false);
  }

  /** As a primary or replica does: it opens with the hold and releases it once it may. */
  @Test
  void eachOpenReplaysOnlyThePreviousRunsSegmentWhenTheOpeningHoldIsReleased() {
    restartLoop(SMALL_SEGMENTS.toBuilder().holdWalAtOpen(true).build(), true);
  }

  private void restartLoop(Options o, boolean releaseOpeningHold) {
    Map<String, String> written = new TreeMap<>();
    for (int run = 0; run < RUNS; run++) {
      try (KevoDB db = KevoDB.open(dir, o)) {
        DbStats st = db.stats();
        if (run > 0) {
          assertThat(st.recoveredSegments()).as("segments replayed at open %d", run).isEqualTo(1);
          assertThat(st.recoveredOperations())
              .as("operations replayed at open %d", run)
              .isEqualTo(WRITES_PER_RUN);
        }
        if (releaseOpeningHold) {
          db.wal().takeOpeningHold().close();
        }
        assertThat(db.stats().walSegments()).as("segment files after open %d", run).isEqualTo(1);
        for (Map.Entry<String, String> e : written.entrySet()) {
          assertThat(db.get(b(e.getKey())).map(TestData::s))
              .as("%s after open %d", e.getKey(), run)
              .hasValue(e.getValue());
        }
        for (int i = 0; i < WRITES_PER_RUN; i++) {
          String key = "k" + (i % 7) + "-" + run + "-" + i;
          String value = "v" + run + "." + i;
          db.put(b(key), b(value));
          written.put(key, value);
        }
      }
    }
    try (KevoDB db = KevoDB.open(dir, o)) {
      long live = 0;
      try (KevoIterator it = db.scan(ScanOptions.ALL)) {
        while (it.hasNext()) {
          KeyValue kv = it.next();
          assertThat(s(kv.value())).isEqualTo(written.get(s(kv.key())));
          live++;
        }
      }
      assertThat(live).isEqualTo(written.size());
      assertThat(db.latestSequence()).isEqualTo((long) RUNS * WRITES_PER_RUN);
    }
  }

  @Test
  void theReplayedLogStaysWhileARetentionHoldNeedsIt() {
    Options o = Options.builder().holdWalAtOpen(true).build();
    try (KevoDB db = KevoDB.open(dir, o)) {
      for (int i = 1; i <= 10; i++) {
        db.put(b("a" + i), b("x"));
      }
    }
    try (KevoDB db = KevoDB.open(dir, o)) {
      assertThat(db.stats().persistedSequence()).as("replayed and flushed").isEqualTo(10);
      assertThat(db.wal().firstRetainedSequence()).as("kept for the opening hold").isEqualTo(1);

      RetentionHold replica = db.wal().retain(6); // a replica that has acknowledged up to 5
      db.wal().takeOpeningHold().close();
      assertThat(db.wal().firstRetainedSequence()).as("kept for the replica").isEqualTo(1);

      replica.close();
      db.put(b("b"), b("y"));
      db.flush();
      assertThat(db.wal().firstRetainedSequence()).as("deleted at the next flush").isEqualTo(11);
      assertThat(db.get(b("a7")).map(TestData::s)).hasValue("x");
    }
  }
}
