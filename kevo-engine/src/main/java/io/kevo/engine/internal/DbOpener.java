package io.kevo.engine.internal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.KeyRange;
import io.kevo.engine.OpType;
import io.kevo.engine.Options;
import io.kevo.engine.WalOperation;
import io.kevo.engine.internal.memtable.MemTable;
import io.kevo.engine.internal.sstable.BlockCache;
import io.kevo.engine.internal.sstable.TableStats;
import io.kevo.engine.internal.version.VersionSet;
import io.kevo.engine.internal.wal.Wal;
import io.kevo.engine.internal.wal.WalRecovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open and recovery, before any engine thread exists: locks the directory, installs or discards a
 * staged checkpoint, recovers the file set from the manifest, replays the WAL operations not yet in
 * SSTables into a fresh memtable, checks that the log and the tables meet with no gap, and opens
 * the WAL for appending. {@link DbCore} then starts the engine on what this returns.
 *
 * <p>Threading: runs on the opening thread only, and starts no thread. On failure it releases what
 * it took (the manifest, the lock) before throwing.
 */
final class DbOpener {
  private static final Logger LOG = LoggerFactory.getLogger(DbOpener.class);

  /** What recovery produced, all owned by the engine about to start. */
  record Opened(
      DirectoryLock lock,
      Wal wal,
      WalRecovery.Result recovery,
      VersionSet versions,
      BlockCache cache,
      TableStats tableStats,
      MemTable memtable,
      long lastSequence,
      KeyRange retained) {

    /** Releases the manifest and the lock when starting the engine on this failed. */
    void abandon() {
      closeQuietly(versions);
      lock.close();
    }
  }

  private DbOpener() {}

  static Opened recover(Path dir, Options options, EngineEnv env) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "cannot create " + dir + ": " + e, e);
    }
    DirectoryLock lock = DirectoryLock.acquire(dir);
    VersionSet versions = null;
    try {
      Path walDir = options.walDirectory() != null ? options.walDirectory() : dir.resolve("wal");
      Files.createDirectories(walDir);
      // A checkpoint staged for this directory is installed (sealed) or discarded (unfinished)
      // before anything is read: the database is the old one or the whole checkpoint.
      CheckpointInstaller.recover(dir, walDir);
      KeyRange retained = RetainedRangeFile.read(dir);
      TableStats tableStats = new TableStats();
      BlockCache cache = new BlockCache(options.blockCacheSize());
      versions = VersionSet.open(dir, cache, tableStats, env.files());
      long persisted = versions.persistedSequence();
      MemTable memtable = new MemTable(options.memtableSize());
      long[] firstReplayed = {0};
      WalRecovery.Result result =
          WalRecovery.recover(
              walDir,
              options.walRecoveryMode(),
              persisted,
              rec -> {
                if (firstReplayed[0] == 0) {
                  firstReplayed[0] = rec.firstSequence();
                }
                for (WalOperation op : rec.operations()) {
                  if (op.sequence() > persisted) {
                    memtable.add(
                        op.key(), op.sequence(), op.type() == OpType.PUT ? op.value() : null);
                  }
                }
              });
      if (firstReplayed[0] > persisted + 1) {
        throw new KevoException(
            ErrorCode.CORRUPTION,
            "the WAL in "
                + walDir
                + " starts at sequence "
                + firstReplayed[0]
                + " but SSTables hold only up to "
                + persisted
                + ": operations "
                + (persisted + 1)
                + ".."
                + (firstReplayed[0] - 1)
                + " are missing");
      }
      Wal wal = Wal.open(walDir, options, result, persisted, env.files());
      if (options.holdWalAtOpen()) {
        wal.installOpeningHold();
      } else {
        wal.deleteObsoleteSegments(persisted);
      }
      long last = Math.max(result.lastSequence(), persisted);
      LOG.info(
          "opened {}: {} tables, persisted sequence {}, {} WAL records replayed from {} segments"
              + " in {} ms, last sequence {}{}{}",
          dir,
          versions.peek().totalFiles(),
          persisted,
          result.records(),
          result.segments().size(),
          result.millis(),
          last,
          result.tornBytes() > 0 ? ", torn tail of " + result.tornBytes() + " bytes truncated" : "",
          retained.isAll() ? "" : ", keeping only the keys " + retained);
      return new Opened(lock, wal, result, versions, cache, tableStats, memtable, last, retained);
    } catch (IOException e) {
      closeQuietly(versions);
      lock.close();
      throw new KevoException(ErrorCode.IO_ERROR, "cannot open " + dir + ": " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(versions);
      lock.close();
      throw e;
    }
  }

  private static void closeQuietly(VersionSet versions) {
    if (versions != null) {
      try {
        versions.close();
      } catch (IOException | RuntimeException ignored) {
        // already failing
      }
    }
  }
}
