package io.kevo.engine.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.FatalErrorListener;
import io.kevo.engine.KevoException;
import io.kevo.engine.Options;
import io.kevo.engine.ReadOptions;
import io.kevo.engine.WriteOptions;
import io.kevo.engine.WriteRefusal;
import io.kevo.engine.internal.io.FileIo;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link VirtualMachineError} the engine meets reaches the {@link FatalErrorListener} the
 * application registered, on the thread that met it, and the engine refuses writes until reopened;
 * with no listener registered only the refusal remains. The error is injected through the
 * file-system seam, which throws an {@link OutOfMemoryError} when asked to open a file, as the JVM
 * would if the buffers of a new SSTable or WAL segment did not fit. Nothing acknowledged is lost.
 */
class FatalErrorTest {
  /** Small memtables, so that the test's writes are flushed. */
  private static final Options FLUSHING = Options.builder().memtableSize(64 << 10).build();

  /** Small WAL segments and one large memtable: writes start new segments, nothing is flushed. */
  private static final Options ROTATING = Options.builder().segmentSize(64 << 10).build();

  private static final byte[] VALUE = new byte[1024];

  @TempDir Path dir;

  private final OutOfMemoryError injected = new OutOfMemoryError("Java heap space (injected)");

  private volatile Predicate<Path> failOpen = p -> false;

  private final FileIo files =
      (path, options) -> {
        if (failOpen.test(path)) {
          throw injected;
        }
        return FileChannel.open(path, options);
      };

  /** What the listener heard, in order. */
  private final List<Heard> heard = new CopyOnWriteArrayList<>();

  private record Heard(String thread, VirtualMachineError error) {}

  private final FatalErrorListener listener = (t, e) -> heard.add(new Heard(t.getName(), e));

  /** Every acknowledged write. */
  private final Map<String, byte[]> acked = new LinkedHashMap<>();

  @Test
  void anOutOfMemoryErrorInABackgroundFlushReachesTheListenerAndWritesAreRefused() {
    Options options = FLUSHING.toBuilder().fatalErrorListener(listener).build();
    try (Closer c = new Closer(open(options))) {
      putAll(c.db, "before", 20);
      failOpen = p -> p.getFileName().toString().contains(".sst");

      KevoException flush = catchThrowableOfType(c.db::flush, KevoException.class);

      assertThat(flush.code()).isEqualTo(ErrorCode.WRITES_REFUSED);
      assertThat(heard).hasSize(1);
      assertThat(heard.get(0).error()).isSameAs(injected);
      assertThat(heard.get(0).thread()).startsWith("kevo-background-");
      assertRefusedAfter("flushing a memtable", c.db);
    }
    assertEverythingAckedSurvivesReopen();
    assertThat(heard).hasSize(1);
  }

  @Test
  void withoutAListenerAnOutOfMemoryErrorInAFlushOnlyRefusesWritesUntilReopened() {
    try (Closer c = new Closer(open(FLUSHING))) {
      putAll(c.db, "before", 20);
      failOpen = p -> p.getFileName().toString().contains(".sst");

      KevoException flush = catchThrowableOfType(c.db::flush, KevoException.class);

      assertThat(flush.code()).isEqualTo(ErrorCode.WRITES_REFUSED);
      assertRefusedAfter("flushing a memtable", c.db);
    }
    assertEverythingAckedSurvivesReopen();
  }

  @Test
  void anOutOfMemoryErrorWhileCommittingReachesTheListenerAndTheWriter() {
    Options options = ROTATING.toBuilder().fatalErrorListener(listener).build();
    try (Closer c = new Closer(open(options))) {
      putAll(c.db, "before", 10);
      failOpen = p -> p.getFileName().toString().endsWith(".wal");

      // Keep writing until a write needs a new segment (64 KiB of 1 KiB values).
      Throwable thrown = null;
      for (int i = 0; i < 1000 && thrown == null; i++) {
        String key = "during-" + i;
        thrown = catchThrowable(() -> c.db.put(key(key), VALUE, WriteOptions.DEFAULT));
        if (thrown == null) {
          acked.put(key, VALUE);
        }
      }

      assertThat(thrown).isSameAs(injected);
      assertThat(heard).containsExactly(new Heard(Thread.currentThread().getName(), injected));
      assertRefusedAfter("committing a group of writes", c.db);
    }
    assertEverythingAckedSurvivesReopen();
  }

  private DbCore open(Options options) {
    return DbCore.open(dir, options, EngineEnv.DEFAULT.withFiles(files));
  }

  /** Writes are refused, until a reopen, for the injected error; reads go on. */
  private void assertRefusedAfter(String what, DbCore db) {
    WriteRefusal why = db.writeRefusal().orElseThrow();
    assertThat(why.code()).isEqualTo(ErrorCode.WRITES_REFUSED);
    assertThat(why.resumesByItself()).isFalse();
    assertThat(why.reason()).contains(what).contains("OutOfMemoryError");
    KevoException refused =
        catchThrowableOfType(
            () -> db.put(key("refused"), VALUE, WriteOptions.DEFAULT), KevoException.class);
    assertThat(refused.code()).isEqualTo(ErrorCode.WRITES_REFUSED);
    assertThat(refused.getMessage()).contains("reopen the database");
    String someKey = acked.keySet().iterator().next();
    assertThat(db.get(key(someKey), ReadOptions.DEFAULT)).isEqualTo(acked.get(someKey));
  }

  /** Reopened on a healthy file system: every acknowledged write is there and writes work. */
  private void assertEverythingAckedSurvivesReopen() {
    failOpen = p -> false;
    try (Closer c = new Closer(open(FLUSHING))) {
      for (Map.Entry<String, byte[]> e : acked.entrySet()) {
        assertThat(c.db.get(key(e.getKey()), ReadOptions.DEFAULT))
            .as(e.getKey())
            .isEqualTo(e.getValue());
      }
      assertThat(c.db.writeRefusal()).isEmpty();
      c.db.put(key("after-reopen"), VALUE, WriteOptions.DEFAULT);
      c.db.flush();
      assertThat(c.db.get(key("after-reopen"), ReadOptions.DEFAULT)).isEqualTo(VALUE);
    }
  }

  private void putAll(DbCore db, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      String key = prefix + "-" + i;
      byte[] value = (key + "-value").getBytes(UTF_8);
      db.put(key(key), value, WriteOptions.DEFAULT);
      acked.put(key, value);
    }
  }

  private static byte[] key(String k) {
    return k.getBytes(UTF_8);
  }

  private record Closer(DbCore db) implements AutoCloseable {
    @Override
    public void close() {
      db.close();
    }
  }
}
