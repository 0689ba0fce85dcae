package io.kevo.engine.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.OpType;
import io.kevo.engine.Options;
import io.kevo.engine.ReadOptions;
import io.kevo.engine.SyncMode;
import io.kevo.engine.WalCursor;
import io.kevo.engine.WalListener;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WriteOptions;
import io.kevo.engine.WriteRefusal;
import io.kevo.engine.internal.io.FaultyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on a disk that fills up and is freed again, through the file-system seam ({@link
 * FaultyFiles}): writes are refused while it is full and resume by themselves once it is not, no
 * acknowledged write is lost, and no sequence number is ever given to two different writes, across
 * recovery and reopen.
 */
class FullDiskRecoveryTest {
  /**
   * Large memtables, and the log held at open (a reopen flushes what it replayed and would trim
   * it): the WAL keeps every record for inspection.
   */
  private static final Options WAL_ONLY = Options.builder().holdWalAtOpen(true).build();

  /** Small memtables: flushes and compactions run while the test writes. */
  private static final Options SMALL =
      Options.builder()
          .memtableSize(64 * 1024)
          .segmentSize(64 * 1024)
          .targetFileSize(64 * 1024)
          .level1MaxBytes(256 * 1024)
          .l0CompactionTrigger(2)
          .build();

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final FaultyFiles disk = new FaultyFiles();

  /** Every acknowledged write: key to value, in write order. */
  private final Map<String, String> acked = new LinkedHashMap<>();

  /** Records the WAL announced to a listener since the first open, in order. */
  private final List<WalRecord> announced = new CopyOnWriteArrayList<>();

  private EngineEnv env(Duration firstRetry) {
    return EngineEnv.DEFAULT.withFiles(disk).withRetries(firstRetry, firstRetry.multipliedBy(4));
  }

  private DbCore open(Options options, Duration firstRetry) {
    DbCore db = DbCore.open(dir, options, env(firstRetry));
    db.wal()
        .subscribeInline(
            new WalListener() {
              @Override
              public void onRecord(WalRecord record) {
                announced.add(record);
              }

              @Override
              public void onSync(long durableSequence) {}
            });
    return db;
  }

  @Test
  void writesAreRefusedWhileTheDiskIsFullAndResumeWithoutReopen() throws Exception {
    long failedSequence;
    try (Closer c = new Closer(open(WAL_ONLY, Duration.ofMillis(20)))) {
      DbCore db = c.db;
      putAll(db, "before", 50);
      long last = db.latestSequence();

      disk.fillUp();
      KevoException unknown = catchPut(db, "torn", "never acknowledged");
      assertThat(unknown.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
      assertThat(unknown.getMessage())
          .contains("outcome of this write is unknown")
          .contains(FaultyFiles.NO_SPACE);
      failedSequence = last + 1;

      KevoException refused = catchPut(db, "refused", "x");
      assertThat(refused.code()).isEqualTo(ErrorCode.NO_SPACE);
      assertThat(refused.retriable()).isTrue();
      assertThat(refused.getMessage())
          .contains("refuses writes since")
          .contains("nothing was written")
          .contains(FaultyFiles.NO_SPACE)
          .doesNotContain("unknown");
      WriteRefusal why = db.writeRefusal().orElseThrow();
      assertThat(why.code()).isEqualTo(ErrorCode.NO_SPACE);
      assertThat(why.resumesByItself()).isTrue();
      assertThat(db.stats().backgroundError()).contains(FaultyFiles.NO_SPACE);

      // Reads go on, and the failed write is not visible (it was never applied).
      assertThat(get(db, "before-7")).isEqualTo("value-before-7");
      assertThat(get(db, "torn")).isNull();
      assertThat(db.latestSequence()).isEqualTo(last);

      disk.free();
      await().atMost(PATIENCE).until(() -> db.writeRefusal().isEmpty());
      // The failed write's sequence goes to the next write: safe only because its bytes were cut
      // off the segment before (checked after the reopen below).
      assertThat(db.put(b("after-0"), b("value-after-0"), WriteOptions.DEFAULT))
          .isEqualTo(failedSequence);
      acked.put("after-0", "value-after-0");
      putAll(db, "after", 50);
      assertThat(db.stats().backgroundError()).isNull();
      assertAllAckedPresent(db);
    }

    try (Closer c = new Closer(DbCore.open(dir, WAL_ONLY))) {
      assertAllAckedPresent(c.db);
      assertThat(get(c.db, "torn")).isNull();
      List<WalRecord> log = readLog(c.db);
      assertSequencesStrictlyConsecutive(log);
      assertThat(recordAt(log, failedSequence))
          .extracting(this::keys)
          .isEqualTo(List.of("after-0"));
      // Listeners (a primary's replicas) were told exactly what the log holds: not the failed
      // write, and every sequence once.
      assertThat(announced.stream().map(this::keys).toList())
          .isEqualTo(log.stream().map(this::keys).toList());
      assertThat(announced.stream().map(WalRecord::firstSequence).toList())
          .isEqualTo(log.stream().map(WalRecord::firstSequence).toList());
    }
  }

  @Test
  void recordsLeftWholeByAFailedGroupAreCutOffBeforeTheirSequencesAreReused() throws Exception {
    long first;
    try (Closer c = new Closer(open(WAL_ONLY, Duration.ofMillis(20)))) {
      DbCore db = c.db;
      putAll(db, "before", 10);
      first = db.latestSequence() + 1;
      disk.fillUp();
      // One group of two records: the short write stores the small one whole and part of the big.
      KevoException e =
          catchThrowableOfType(
              () -> db.applyReplicated(twoRecords(first, "group"), WriteOptions.DEFAULT),
              KevoException.class);
      assertThat(e.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
      assertThat(Files.size(onlySegment())).isGreaterThan(segmentEnd(db));

      disk.free();
      await().atMost(PATIENCE).until(() -> db.writeRefusal().isEmpty());
      assertThat(Files.size(onlySegment())).isEqualTo(segmentEnd(db));
      assertThat(db.put(b("reused"), b("v"), WriteOptions.DEFAULT)).isEqualTo(first);
      acked.put("reused", "v");
    }
    try (Closer c = new Closer(DbCore.open(dir, WAL_ONLY))) {
      assertAllAckedPresent(c.db);
      assertThat(get(c.db, "group-small")).isNull();
      List<WalRecord> log = readLog(c.db);
      assertSequencesStrictlyConsecutive(log);
      assertThat(keys(recordAt(log, first))).isEqualTo(List.of("reused"));
    }
  }

  @Test
  void aRestartBeforeRecoveryKeepsWholeRecordsOfTheFailedGroupAndNeverReusesTheirSequences()
      throws Exception {
    long first;
    // Retries far in the future: the database closes with the failed group's bytes in the log,
    // as after a crash.
    try (Closer c = new Closer(open(WAL_ONLY, Duration.ofHours(1)))) {
      DbCore db = c.db;
      putAll(db, "before", 10);
      first = db.latestSequence() + 1;
      disk.fillUp();
      assertThatThrownBy(() -> db.applyReplicated(twoRecords(first, "group"), WriteOptions.DEFAULT))
          .isInstanceOf(KevoException.class)
          .extracting(t -> ((KevoException) t).code())
          .isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
    }
    disk.free();
    try (Closer c = new Closer(DbCore.open(dir, WAL_ONLY))) {
      DbCore db = c.db;
      assertAllAckedPresent(db);
      // The whole small record is replayed (allowed: its write's outcome was "unknown"); the torn
      // one is dropped as a torn tail; the next write continues after what was replayed.
      assertThat(get(db, "group-small")).isEqualTo("small");
      assertThat(get(db, "group-big")).isNull();
      assertThat(db.latestSequence()).isEqualTo(first);
      assertThat(db.put(b("next"), b("v"), WriteOptions.DEFAULT)).isEqualTo(first + 1);
      acked.put("next", "v");
      List<WalRecord> log = readLog(db);
      assertSequencesStrictlyConsecutive(log);
      assertThat(keys(recordAt(log, first))).isEqualTo(List.of("group-small"));
      assertThat(keys(recordAt(log, first + 1))).isEqualTo(List.of("next"));
    }
  }

  @Test
  void aFlushThatRunsOutOfSpaceIsRunAgainUntilItSucceeds() throws Exception {
    try (Closer c = new Closer(open(SMALL, Duration.ofMillis(20)))) {
      DbCore db = c.db;
      putAll(db, "before", 200);
      // Tables cannot be written; the log (on another device, say) still can.
      disk.failWrites(FaultyFiles.named(".sst.tmp"), FaultyFiles.NO_SPACE);
      KevoException e = flushRunsOutOfSpace(db);
      assertThat(e.getMessage()).contains("flushing a memtable or compacting");
      assertThat(catchPut(db, "refused", "x").code()).isEqualTo(ErrorCode.NO_SPACE);
      assertThat(get(db, "before-199")).isEqualTo("value-before-199");

      disk.free();
      await().atMost(PATIENCE).until(() -> db.writeRefusal().isEmpty());
      putAll(db, "after", 200);
      db.flush();
      assertThat(db.stats().persistedSequence()).isEqualTo(db.latestSequence());
      assertAllAckedPresent(db);
    }
    assertThat(disk.failures()).isPositive();
    assertAllAckedPresentAfterReopen(SMALL);
  }

  @Test
  void anEditWhoseManifestFsyncFailedKeepsItsTablesSoARestartStillOpens() throws Exception {
    try (Closer c = new Closer(open(SMALL, Duration.ofHours(1)))) {
      DbCore db = c.db;
      putAll(db, "before", 200);
      // The edit is written but its fsync fails: it may be on disk, so its tables must stay.
      disk.failForces(FaultyFiles.prefixed("MANIFEST-"), FaultyFiles.NO_SPACE);
      flushRunsOutOfSpace(db);
    }
    disk.free();
    assertAllAckedPresentAfterReopen(SMALL);
  }

  @Test
  void aFailedManifestAppendIsFollowedByAFreshManifestAndItsTablesAreThenDeleted()
      throws Exception {
    try (Closer c = new Closer(open(SMALL, Duration.ofMillis(20)))) {
      DbCore db = c.db;
      putAll(db, "before", 200);
      disk.failForces(FaultyFiles.prefixed("MANIFEST-"), FaultyFiles.NO_SPACE);
      flushRunsOutOfSpace(db);
      disk.free();
      await().atMost(PATIENCE).until(() -> db.writeRefusal().isEmpty());
      db.flush();
      assertThat(tableFiles()).hasSize(db.stats().sstableCount());
      assertThat(manifests()).hasSize(1);
      putAll(db, "after", 50);
    }
    assertAllAckedPresentAfterReopen(SMALL);
  }

  @Test
  void aFailedWalFsyncIsNeverRetriedAndKeepsWritesRefusedUntilReopen() throws Exception {
    Options immediate = WAL_ONLY.toBuilder().syncMode(SyncMode.IMMEDIATE).build();
    try (Closer c = new Closer(open(immediate, Duration.ofMillis(20)))) {
      DbCore db = c.db;
      putAll(db, "before", 10);
      disk.failForces(FaultyFiles.named(".wal"), FaultyFiles.NO_SPACE);
      KevoException unknown = catchPut(db, "written", "not synced");
      assertThat(unknown.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
      assertThat(unknown.getMessage()).contains("reopened");
      // It is in the log and was announced, so this node shows it too.
      assertThat(get(db, "written")).isEqualTo("not synced");
      assertThat(announced).anyMatch(r -> keys(r).contains("written"));
      disk.free();
      KevoException refused = catchPut(db, "refused", "x");
      assertThat(refused.code()).isEqualTo(ErrorCode.WRITES_REFUSED);
      assertThat(refused.getMessage()).contains("reopen");
      assertThat(db.writeRefusal().orElseThrow().resumesByItself()).isFalse();
      assertThatThrownBy(db::syncWal)
          .isInstanceOf(KevoException.class)
          .hasMessageContaining("fsync");
    }
    try (Closer c = new Closer(DbCore.open(dir, immediate))) {
      assertAllAckedPresent(c.db);
      assertThat(get(c.db, "written")).isEqualTo("not synced");
      c.db.put(b("after"), b("reopen"), WriteOptions.DEFAULT);
      assertThat(get(c.db, "after")).isEqualTo("reopen");
    }
  }

  @Test
  void anIoErrorThatIsNotAFullDiskStaysUntilReopen() throws Exception {
    try (Closer c = new Closer(open(WAL_ONLY, Duration.ofMillis(20)))) {
      DbCore db = c.db;
      putAll(db, "before", 10);
      disk.failWrites(FaultyFiles.named(".wal"), FaultyFiles.IO_ERROR);
      assertThat(catchPut(db, "torn", "x").code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
      disk.free();
      KevoException refused = catchPut(db, "refused", "x");
      assertThat(refused.code()).isEqualTo(ErrorCode.WRITES_REFUSED);
      assertThat(refused.getMessage()).contains(FaultyFiles.IO_ERROR).contains("reopen");
      assertThat(db.writeRefusal().orElseThrow().resumesByItself()).isFalse();
    }
    try (Closer c = new Closer(DbCore.open(dir, WAL_ONLY))) {
      assertAllAckedPresent(c.db);
      assertSequencesStrictlyConsecutive(readLog(c.db));
    }
  }

  // ---- helpers ----

  private void putAll(DbCore db, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      String k = prefix + "-" + i;
      String v = "value-" + k;
      db.put(b(k), b(v), WriteOptions.DEFAULT);
      acked.put(k, v);
    }
  }

  private static KevoException catchPut(DbCore db, String key, String value) {
    KevoException e =
        catchThrowableOfType(
            () -> db.put(b(key), b(value), WriteOptions.DEFAULT), KevoException.class);
    assertThat(e).as("put of %s", key).isNotNull();
    return e;
  }

  /** Flushes {@code db}, which must fail for want of space; returns the error. */
  private static KevoException flushRunsOutOfSpace(DbCore db) {
    KevoException e = catchThrowableOfType(db::flush, KevoException.class);
    assertThat(e).as("flush error").isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.NO_SPACE);
    return e;
  }

  /** Reopens the closed database with {@code options} and checks every acknowledged write. */
  private void assertAllAckedPresentAfterReopen(Options options) {
    try (Closer c = new Closer(DbCore.open(dir, options))) {
      assertAllAckedPresent(c.db);
    }
  }

  private void assertAllAckedPresent(DbCore db) {
    Map<String, String> found = new LinkedHashMap<>();
    for (String k : acked.keySet()) {
      found.put(k, get(db, k));
    }
    assertThat(found).containsExactlyEntriesOf(acked);
  }

  private static String get(DbCore db, String key) {
    byte[] v = db.get(b(key), ReadOptions.DEFAULT);
    return v == null ? null : new String(v, UTF_8);
  }

  /** Two records starting at {@code first}: a small one, then a big one. */
  private static List<WalRecord> twoRecords(long first, String prefix) {
    return List.of(
        new WalRecord(
            List.of(new WalOperation(OpType.PUT, first, b(prefix + "-small"), b("small"))), false),
        new WalRecord(
            List.of(new WalOperation(OpType.PUT, first + 1, b(prefix + "-big"), new byte[4000])),
            false));
  }

  private static List<WalRecord> readLog(DbCore db) {
    List<WalRecord> out = new ArrayList<>();
    try (WalCursor cursor = db.wal().readFrom(1)) {
      cursor.forEachRemaining(out::add);
    }
    return out;
  }

  private static void assertSequencesStrictlyConsecutive(List<WalRecord> log) {
    assertThat(log).isNotEmpty();
    long expected = log.get(0).firstSequence();
    for (WalRecord r : log) {
      for (WalOperation op : r.operations()) {
        assertThat(op.sequence()).as("sequence in log order").isEqualTo(expected++);
      }
    }
  }

  private static WalRecord recordAt(List<WalRecord> log, long sequence) {
    return log.stream().filter(r -> r.firstSequence() == sequence).findFirst().orElseThrow();
  }

  private List<String> keys(WalRecord r) {
    return r.operations().stream().map(op -> new String(op.key(), UTF_8)).toList();
  }

  private static long segmentEnd(DbCore db) {
    List<io.kevo.engine.internal.wal.Segment> segs = db.walInternal().segments();
    return segs.get(segs.size() - 1).size();
  }

  private Path onlySegment() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
      List<Path> nonEmpty =
          s.filter(p -> p.toString().endsWith(".wal"))
              .filter(FullDiskRecoveryTest::nonEmpty)
              .toList();
      assertThat(nonEmpty).hasSize(1);
      return nonEmpty.get(0);
    }
  }

  private static boolean nonEmpty(Path p) {
    try {
      return Files.size(p) > 0;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<Path> tableFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".sst")).toList();
    }
  }

  private List<Path> manifests() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("MANIFEST-")).toList();
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  /** Closes the database at the end of a block, even when an assertion failed. */
  private record Closer(DbCore db) implements AutoCloseable {
    @Override
    public void close() {
      db.close();
    }
  }
}
