package io.kevo.engine.internal.version;

import io.kevo.engine.internal.sstable.TableReader;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A live SSTable: its manifest entry, its path, and its reader, opened on first use. Reference
 * counted by the {@link Version}s that list it: when the last one is released the file is in no
 * version a reader, iterator or compaction can still see, and its owner closes (and, unless the
 * database is closing, deletes) it.
 */
public final class TableFile {
  /** Told when a file's last reference goes. */
  interface Owner {
    TableReader openReader(TableFile file);

    void unreferenced(TableFile file);
  }

  private final FileMeta meta;
  private final Path path;
  private final Owner owner;
  private final AtomicInteger refs = new AtomicInteger();
  private volatile TableReader reader;

  TableFile(FileMeta meta, Path path, Owner owner) {
    this.meta = meta;
    this.path = path;
    this.owner = owner;
  }

  public FileMeta meta() {
    return meta;
  }

  public long number() {
    return meta.number();
  }

  public Path path() {
    return path;
  }

  /** The reader, opened on first use (thread-safe). */
  public TableReader reader() {
    TableReader r = reader;
    if (r == null) {
      synchronized (this) {
        r = reader;
        if (r == null) {
          r = owner.openReader(this);
          reader = r;
        }
      }
    }
    return r;
  }

  /** Closes the reader if one was opened. Called by the owner once unreferenced. */
  synchronized void closeReader() {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }

  void ref() {
    refs.incrementAndGet();
  }

  void unref() {
    int n = refs.decrementAndGet();
    if (n == 0) {
      owner.unreferenced(this);
    } else if (n < 0) {
      throw new IllegalStateException("table file " + meta + " released too often");
    }
  }

  @Override
  public String toString() {
    return meta.toString();
  }
}
