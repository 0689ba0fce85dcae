package io.kevo.engine.internal.compaction;

import io.kevo.engine.KeyRange;
import io.kevo.engine.internal.iter.InternalIterator;
import io.kevo.engine.internal.iter.MergingIterator;
import io.kevo.engine.internal.sstable.TableOptions;
import io.kevo.engine.internal.version.FileMeta;
import io.kevo.engine.internal.version.LevelIterator;
import io.kevo.engine.internal.version.ManifestWriteException;
import io.kevo.engine.internal.version.TableFile;
import io.kevo.engine.internal.version.Version;
import io.kevo.engine.internal.version.VersionEdit;
import io.kevo.engine.internal.version.VersionSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Flush and compaction as functions: read a sorted input, keep what {@link VersionFilter} keeps
 * among the keys the database retains (every version of a key outside that range is dropped), write
 * new tables, then commit one {@link VersionEdit}. Until the edit is in the manifest the new tables
 * are not part of the database (a crash leaves them as stray files, removed at the next open);
 * after it, the inputs are obsolete and leave the disk when no reader holds them. A job that fails
 * deletes the tables it wrote, unless the manifest append itself failed ({@link
 * ManifestWriteException}: the edit may be on disk, so the version set keeps them), and changes
 * nothing else, so it can be run again.
 */
final class Jobs {
  private Jobs() {}

  /** What a job wrote. */
  record Outcome(List<FileMeta> files, long bytesRead, long bytesWritten, long dropped) {}

  /**
   * Writes a frozen memtable to L0 and records {@code maxSequence} as persisted in the same edit,
   * so that the WAL up to it may be deleted.
   */
  static Outcome flush(
      InternalIterator memtable,
      long maxSequence,
      long oldestSnapshot,
      KeyRange retained,
      VersionSet versions,
      TableOptions options)
      throws IOException {
    TableSink sink = new TableSink(versions, options, Long.MAX_VALUE);
    VersionFilter filter = new VersionFilter(oldestSnapshot, null);
    long outside = 0;
    List<FileMeta> files;
    try (memtable) {
      for (memtable.seekToFirst(); memtable.valid(); memtable.next()) {
        byte[] key = memtable.userKey();
        if (!retained.contains(key)) {
          outside++;
        } else if (filter.keep(key, memtable.sequence(), memtable.isTombstone())) {
          sink.add(key, memtable.sequence(), memtable.isTombstone(), memtable.value());
        }
      }
      files = sink.finish();
      VersionEdit edit = new VersionEdit().persistedSequence(maxSequence);
      for (FileMeta f : files) {
        edit.add(0, f);
      }
      versions.logAndApply(edit);
    } catch (ManifestWriteException e) {
      throw e; // the tables may be listed on disk: the version set keeps them
    } catch (IOException | RuntimeException e) {
      sink.abandon();
      throw e;
    }
    return new Outcome(files, 0, sink.bytesWritten(), filter.dropped() + outside);
  }

  /** Thrown out of a compaction abandoned because the database is closing. */
  static final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super("compaction cancelled: the database is closing", null, false, false);
    }
  }

  /**
   * Runs {@code c} against {@code version} (referenced by the caller). Checks {@code cancelled} as
   * it goes, so that closing the database does not wait for a long compaction: a cancelled
   * compaction deletes what it wrote and changes nothing.
   */
  static Outcome compact(
      Compaction c,
      Version version,
      long oldestSnapshot,
      KeyRange retained,
      VersionSet versions,
      TableOptions options,
      long targetFileSize,
      java.util.function.BooleanSupplier cancelled)
      throws IOException {
    if (c.isTrivialMove(version.fileCount(0))) {
      TableFile f = c.inputs().get(0);
      versions.logAndApply(
          new VersionEdit().delete(c.level(), f.number()).add(c.outputLevel(), f.meta()));
      return new Outcome(List.of(f.meta()), 0, 0, 0);
    }
    List<InternalIterator> sources = new ArrayList<>();
    if (c.level() == 0) {
      for (TableFile f : c.inputs()) {
        sources.add(f.reader().newIterator());
      }
    } else {
      sources.add(new LevelIterator(c.inputs()));
    }
    if (!c.nextInputs().isEmpty()) {
      sources.add(new LevelIterator(c.nextInputs()));
    }
    int out = c.outputLevel();
    TableSink sink = new TableSink(versions, options, targetFileSize);
    VersionFilter filter =
        new VersionFilter(oldestSnapshot, key -> version.deeperLevelsMayContain(out, key));
    long outside = 0;
    List<FileMeta> files;
    try (InternalIterator it = new MergingIterator(sources)) {
      long n = 0;
      for (it.seekToFirst(); it.valid(); it.next()) {
        if ((++n & 1023) == 0 && cancelled.getAsBoolean()) {
          throw new Cancelled();
        }
        byte[] key = it.userKey();
        if (!retained.contains(key)) {
          outside++; // every version of it goes, so no older one below can matter to a reader
        } else if (filter.keep(key, it.sequence(), it.isTombstone())) {
          sink.add(key, it.sequence(), it.isTombstone(), it.value());
        }
      }
      files = sink.finish();
      VersionEdit edit = new VersionEdit();
      for (TableFile f : c.inputs()) {
        edit.delete(c.level(), f.number());
      }
      for (TableFile f : c.nextInputs()) {
        edit.delete(out, f.number());
      }
      for (FileMeta f : files) {
        edit.add(out, f);
      }
      versions.logAndApply(edit);
    } catch (ManifestWriteException e) {
      throw e; // the tables may be listed on disk: the version set keeps them
    } catch (IOException | RuntimeException e) {
      sink.abandon();
      throw e;
    }
    return new Outcome(files, c.inputBytes(), sink.bytesWritten(), filter.dropped() + outside);
  }
}
