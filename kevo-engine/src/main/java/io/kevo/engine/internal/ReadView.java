package io.kevo.engine.internal;

import io.kevo.engine.internal.memtable.MemTable;
import io.kevo.engine.internal.util.RefCount;
import io.kevo.engine.internal.version.Version;
import java.util.List;

/**
 * What a read consults, captured together: the mutable memtable, the frozen ones (newest first) and
 * the file set. Replaced whenever one of them changes; readers take a reference for as long as they
 * read (a point lookup, or an iterator's lifetime), which keeps the version's files on disk.
 * Memtables need no counting: the garbage collector keeps them while referenced.
 *
 * <p>Readers must take the view <em>before</em> fixing their read sequence: everything at or below
 * a sequence read afterwards is then in the view, or was flushed into its version with nothing a
 * reader at that sequence needs dropped.
 */
final class ReadView {
  /** A frozen memtable and the last sequence written into it. */
  record Frozen(MemTable table, long maxSequence) {}

  final MemTable active;
  final List<Frozen> frozen;
  final Version version;
  private final RefCount refs = new RefCount();

  /** Takes over the caller's reference on {@code version}. */
  ReadView(MemTable active, List<Frozen> frozenNewestFirst, Version version) {
    this.active = active;
    this.frozen = List.copyOf(frozenNewestFirst);
    this.version = version;
  }

  boolean tryRef() {
    return refs.tryRef();
  }

  void unref() {
    if (refs.unref()) {
      version.unref();
    }
  }
}
