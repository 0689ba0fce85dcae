package io.kevo.engine.internal.version;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.KeyRange;
import io.kevo.engine.internal.io.FileIo;
import io.kevo.engine.internal.io.Files2;
import io.kevo.engine.internal.sstable.BlockCache;
import io.kevo.engine.internal.sstable.TableReader;
import io.kevo.engine.internal.sstable.TableStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the current {@link Version}, the manifest, file numbers and the persisted sequence.
 *
 * <p>Every change goes through {@link #logAndApply}: the edit is made durable in the manifest
 * first, then the new version is installed in memory (durable step first, then the switch), so
 * after a crash the database reopens with either the old or the new file set, never a mix. Files
 * leave the disk only when no version references them any more.
 *
 * <p>A failed manifest append ({@link ManifestWriteException}) leaves an edit that may or may not
 * be on disk. Its new tables are kept (a restart may read the edit and need them), the manifest is
 * not appended to again, and the next {@link #logAndApply} first writes a fresh manifest of the
 * current version and points CURRENT at it; then those tables are strays and are deleted. So a
 * flush or compaction that failed that way can simply be run again.
 *
 * <p>Thread-safety: {@link #logAndApply} and {@link #newFileNumber} are synchronized (flushes and
 * compactions may run on different threads); {@link #acquire()} is lock-free.
 */
public final class VersionSet implements AutoCloseable, TableFile.Owner {
  private static final Logger LOG = LoggerFactory.getLogger(VersionSet.class);
  private static final long MAX_MANIFEST_BYTES = 16L << 20;

  private final Path dir;
  private final BlockCache cache;
  private final TableStats stats;
  private final FileIo files;
  private final Map<Long, TableFile> live = new HashMap<>();
  private final Set<Long> keptAfterFailedEdit = new HashSet<>();
  private Manifest manifest;
  private boolean manifestFailed;
  private long nextFileNumber;
  private volatile Version current;
  private volatile long persistedSequence;
  private volatile boolean closing;

  private VersionSet(Path dir, BlockCache cache, TableStats stats, FileIo files) {
    this.dir = dir;
    this.cache = cache;
    this.stats = stats;
    this.files = files;
  }

  /** Recovers the file set from CURRENT and its manifest (or starts empty) and cleans up. */
  public static VersionSet open(Path dir, BlockCache cache, TableStats stats) {
    return open(dir, cache, stats, FileIo.DEFAULT);
  }

  /**
   * As {@link #open(Path, BlockCache, TableStats)}, writing tables and manifests through {@code
   * files}.
   */
  public static VersionSet open(Path dir, BlockCache cache, TableStats stats, FileIo files) {
    VersionSet vs = new VersionSet(dir, cache, stats, files);
    try {
      vs.recover();
      return vs;
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "opening the manifest in " + dir + ": " + e, e);
    }
  }

  private void recover() throws IOException {
    List<VersionEdit> edits = Manifest.recover(dir);
    List<Map<Long, FileMeta>> levels = new ArrayList<>();
    for (int i = 0; i < Version.MAX_LEVELS; i++) {
      levels.add(new HashMap<>());
    }
    long next = 1;
    long persisted = 0;
    if (edits != null) {
      for (VersionEdit e : edits) {
        for (VersionEdit.Deleted d : e.deleted()) {
          levels.get(d.level()).remove(d.number());
        }
        for (VersionEdit.Added a : e.added()) {
          levels.get(a.level()).put(a.file().number(), a.file());
        }
        next = Math.max(next, e.nextFileNumber());
        persisted = Math.max(persisted, e.persistedSequence());
      }
    }
    List<List<TableFile>> files = new ArrayList<>();
    VersionEdit snapshot = new VersionEdit();
    for (int level = 0; level < Version.MAX_LEVELS; level++) {
      List<TableFile> list = new ArrayList<>();
      for (FileMeta m : levels.get(level).values()) {
        Path p = dir.resolve(FileMeta.fileName(m.number()));
        if (!Files.exists(p)) {
          throw new KevoException(
              ErrorCode.CORRUPTION,
              "the manifest lists " + p + " (level " + level + ") but the file is missing");
        }
        if (Files.size(p) != m.size()) {
          throw new KevoException(
              ErrorCode.CORRUPTION,
              p + " is " + Files.size(p) + " bytes; the manifest recorded " + m.size());
        }
        TableFile f = new TableFile(m, p, this);
        list.add(f);
        live.put(m.number(), f);
        snapshot.add(level, m);
        next = Math.max(next, m.number() + 1);
      }
      sort(level, list);
      files.add(list);
    }
    this.nextFileNumber = next;
    this.persistedSequence = persisted;
    this.current = new Version(files);
    long manifestNumber = nextFileNumber++;
    snapshot.persistedSequence(persisted).nextFileNumber(nextFileNumber);
    this.manifest = Manifest.create(dir, manifestNumber, snapshot, this.files);
    removeStrayFiles();
  }

  private static void sort(int level, List<TableFile> files) {
    if (level == 0) {
      files.sort(Comparator.comparingLong(TableFile::number).reversed());
    } else {
      files.sort((a, b) -> Arrays.compareUnsigned(a.meta().smallestKey(), b.meta().smallestKey()));
    }
  }

  /** Deletes what a crash may have left: temp files, unlisted tables, old manifests. */
  private void removeStrayFiles() throws IOException {
    String currentManifest = manifest.path().getFileName().toString();
    List<Path> stray = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        boolean remove =
            name.endsWith(".tmp")
                || (name.startsWith(Manifest.PREFIX) && !name.equals(currentManifest))
                || (name.endsWith(".sst") && !live.containsKey(tableNumber(name)));
        if (remove && Files.isRegularFile(p)) {
          stray.add(p);
        }
      }
    }
    for (Path p : stray) {
      LOG.info("removing stray file {} left by an earlier run", p);
      Files.deleteIfExists(p);
    }
    if (!stray.isEmpty()) {
      Files2.fsyncDirectory(dir);
    }
  }

  private static long tableNumber(String name) {
    try {
      return Long.parseLong(name.substring(0, name.length() - 4));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public synchronized long newFileNumber() {
    return nextFileNumber++;
  }

  public Path tablePath(long number) {
    return dir.resolve(FileMeta.fileName(number));
  }

  /** The seam new tables are written through. */
  public FileIo files() {
    return files;
  }

  /**
   * Makes {@code edit} durable in the manifest, then installs the resulting version.
   *
   * @throws ManifestWriteException if appending the edit failed: its new tables now belong to this
   *     set (see the class comment); the current version is unchanged
   * @throws IOException if the manifest could not be replaced after an earlier failure: nothing of
   *     the edit was written; the current version is unchanged
   */
  public synchronized void logAndApply(VersionEdit edit) throws IOException {
    if (closing) {
      throw new KevoException(ErrorCode.CLOSED, "the database is closing");
    }
    if (manifestFailed) {
      rotateManifest();
    }
    Version base = current;
    List<List<TableFile>> levels = new ArrayList<>();
    for (int level = 0; level < Version.MAX_LEVELS; level++) {
      levels.add(new ArrayList<>(base.files(level)));
    }
    for (VersionEdit.Deleted d : edit.deleted()) {
      boolean removed = levels.get(d.level()).removeIf(f -> f.number() == d.number());
      if (!removed) {
        throw new IllegalStateException("edit deletes #" + d.number() + " not at L" + d.level());
      }
    }
    Map<Long, TableFile> added = new HashMap<>();
    for (VersionEdit.Added a : edit.added()) {
      TableFile f = live.get(a.file().number());
      if (f == null) {
        f = new TableFile(a.file(), tablePath(a.file().number()), this);
        added.put(a.file().number(), f);
      }
      levels.get(a.level()).add(f);
    }
    for (int level = 0; level < Version.MAX_LEVELS; level++) {
      sort(level, levels.get(level));
    }
    edit.nextFileNumber(nextFileNumber);
    try {
      manifest.append(edit);
    } catch (IOException | RuntimeException e) {
      manifestFailed = true;
      for (VersionEdit.Added a : edit.added()) {
        if (!live.containsKey(a.file().number())) {
          keptAfterFailedEdit.add(a.file().number());
        }
      }
      throw new ManifestWriteException(
          "appending to manifest " + manifest.path() + " failed: " + e, e);
    }
    live.putAll(added);
    for (VersionEdit.Deleted d : edit.deleted()) {
      boolean stillListed = false;
      for (VersionEdit.Added a : edit.added()) {
        stillListed |= a.file().number() == d.number();
      }
      if (!stillListed) {
        live.remove(d.number());
      }
    }
    if (edit.persistedSequence() >= 0) {
      persistedSequence = Math.max(persistedSequence, edit.persistedSequence());
    }
    current = new Version(levels);
    base.unref();
    if (manifest.size() > MAX_MANIFEST_BYTES) {
      try {
        rotateManifest();
      } catch (IOException e) {
        // The edit is applied and durable: report nothing to the job (it would delete tables that
        // are now live). CURRENT may name either manifest now, so append to neither: the next edit
        // starts with another attempt at a fresh one.
        manifestFailed = true;
        LOG.warn("replacing the manifest failed; retrying before the next edit", e);
      }
    }
  }

  private void rotateManifest() throws IOException {
    VersionEdit snapshot = new VersionEdit();
    Version v = current;
    for (int level = 0; level < Version.MAX_LEVELS; level++) {
      for (TableFile f : v.files(level)) {
        snapshot.add(level, f.meta());
      }
    }
    long number = nextFileNumber++;
    snapshot.persistedSequence(persistedSequence).nextFileNumber(nextFileNumber);
    Manifest old = manifest;
    manifest = Manifest.create(dir, number, snapshot, files);
    manifestFailed = false;
    try {
      old.close();
    } catch (IOException e) {
      LOG.warn("closing the replaced manifest {} failed", old.path(), e);
    }
    Files.deleteIfExists(old.path());
    if (!keptAfterFailedEdit.isEmpty()) {
      // CURRENT now names a manifest without the failed edit: nothing can list these tables.
      for (long n : keptAfterFailedEdit) {
        if (!live.containsKey(n)) {
          Files.deleteIfExists(tablePath(n));
          LOG.info("deleted table {} of an edit that failed to reach the manifest", n);
        }
      }
      keptAfterFailedEdit.clear();
    }
  }

  /**
   * The current version pinned for a checkpoint, consistent with the persisted sequence (both
   * change together under this lock, and flushes install memtables in sequence order, so the files
   * hold exactly the operations up to it), plus a one-record manifest describing its tables that
   * hold keys of {@code range} (a table holding keys on both sides of it is listed whole). The
   * caller must {@link Version#unref()} the version.
   */
  public synchronized Pinned pinForCheckpoint(KeyRange range) {
    if (closing) {
      throw new KevoException(ErrorCode.CLOSED, "the database is closing");
    }
    Version v = acquire();
    VersionEdit snapshot = new VersionEdit();
    for (int level = 0; level < Version.MAX_LEVELS; level++) {
      for (TableFile f : v.files(level)) {
        if (Pinned.lists(range, f)) {
          snapshot.add(level, f.meta());
        }
      }
    }
    // A number of our own for the shipped manifest: it can collide with no table it lists.
    long number = nextFileNumber++;
    snapshot.persistedSequence(persistedSequence).nextFileNumber(number + 1);
    return new Pinned(
        v,
        range,
        persistedSequence,
        Manifest.fileName(number),
        io.kevo.engine.internal.wal.RecordFormat.frame(snapshot.encode()));
  }

  /**
   * A version pinned by {@link #pinForCheckpoint()}.
   *
   * @param range the keys it is for: only the version's tables holding some of them are listed
   * @param manifestName the manifest's file name
   * @param manifest a complete manifest file (one snapshot record) listing those tables
   */
  public record Pinned(
      Version version,
      KeyRange range,
      long persistedSequence,
      String manifestName,
      byte[] manifest) {
    /** Whether a checkpoint for {@code range} lists {@code table}. */
    public static boolean lists(KeyRange range, TableFile table) {
      return range.overlaps(table.meta().smallestKey(), table.meta().largestKey());
    }
  }

  /** The name of the file that names the live manifest. */
  public static final String CURRENT_FILE = Manifest.CURRENT;

  /** Makes manifest {@code name} (already durable in {@code dir}) the database's state. */
  public static void pointCurrentAt(Path dir, String name) throws IOException {
    Manifest.writeCurrent(dir, name);
  }

  /** The current version with a reference taken; the caller must {@link Version#unref()} it. */
  public Version acquire() {
    while (true) {
      Version v = current;
      if (v.tryRef()) {
        return v;
      }
    }
  }

  /** The current version without a reference (for statistics only). */
  public Version peek() {
    return current;
  }

  /** Every operation at or below this sequence is in SSTables. */
  public long persistedSequence() {
    return persistedSequence;
  }

  @Override
  public TableReader openReader(TableFile file) {
    return TableReader.open(file.path(), file.number(), cache, stats);
  }

  @Override
  public void unreferenced(TableFile file) {
    file.closeReader();
    cache.evictFile(file.number());
    if (closing) {
      return;
    }
    synchronized (this) {
      if (live.get(file.number()) == file) {
        return;
      }
    }
    try {
      Files.deleteIfExists(file.path());
      LOG.debug("deleted obsolete table {}", file);
    } catch (IOException e) {
      LOG.warn("could not delete obsolete table {}: {}", file.path(), e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    Version v;
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      v = current;
    }
    v.unref();
    manifest.close();
  }
}
