package io.kevo.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KevoDB#syncWal()} runs its fsync outside the write queue: writers, segment rotations and
 * syncs from several threads at once, in every sync mode. Nothing fails (no channel closed under a
 * running force), the durable sequence only grows and never passes what was written, a final sync
 * covers everything, and all of it is there after reopening.
 */
@Timeout(120)
class WalSyncConcurrencyTest {
  @TempDir Path dir;

  @Test
  void syncsRaceWritesAndRotationsWithoutFailureInEveryMode() throws Exception {
    for (SyncMode mode : SyncMode.values()) {
      run(dir.resolve(mode.name()), mode);
    }
  }

  private void run(Path path, SyncMode mode) throws Exception {
    Options options =
        Options.builder()
            .syncMode(mode)
            .segmentSize(64 << 10) // the minimum: a rotation every ~300 writes
            .memtableSize(256 << 10)
            .build();
    int writers = 3;
    int perWriter = 2_000;
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Long> durables = new CopyOnWriteArrayList<>();
    try (KevoDB db = KevoDB.open(path, options)) {
      AtomicBoolean writing = new AtomicBoolean(true);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < writers; t++) {
        int id = t;
        threads.add(
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < perWriter; i++) {
                      byte[] v = ("value-" + i).repeat(20).getBytes(UTF_8);
                      if (i % 97 == 0) {
                        db.put(key(id, i), v, WriteOptions.SYNC);
                      } else {
                        db.put(key(id, i), v);
                      }
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }));
      }
      for (int s = 0; s < 2; s++) {
        threads.add(
            new Thread(
                () -> {
                  try {
                    long previous = 0;
                    while (writing.get()) {
                      long written = db.wal().nextSequence() - 1;
                      long d = db.syncWal();
                      assertThat(d)
                          .isGreaterThanOrEqualTo(written)
                          .isGreaterThanOrEqualTo(previous);
                      previous = d;
                      durables.add(d);
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }));
      }
      threads.forEach(Thread::start);
      for (int t = 0; t < writers; t++) {
        threads.get(t).join();
      }
      writing.set(false);
      for (Thread t : threads) {
        t.join();
      }
      assertThat(failures).as("failures in mode %s", mode).isEmpty();
      assertThat(durables).isNotEmpty();
      assertThat(db.syncWal()).isEqualTo(db.latestSequence());
      assertThat(db.wal().durableSequence()).isEqualTo((long) writers * perWriter);
    }
    assertThat(durables).allSatisfy(d -> assertThat(d).isBetween(0L, (long) writers * perWriter));
    try (KevoDB db = KevoDB.open(path, options)) {
      for (int t = 0; t < writers; t++) {
        for (int i = 0; i < perWriter; i++) {
          assertThat(db.get(key(t, i))).as("key %d/%d after reopen (%s)", t, i, mode).isPresent();
        }
      }
    }
  }

  private static byte[] key(int writer, int i) {
    return String.format("w%d-%06d", writer, i).getBytes(UTF_8);
  }
}
