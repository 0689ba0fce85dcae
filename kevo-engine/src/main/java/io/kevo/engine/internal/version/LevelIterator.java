package io.kevo.engine.internal.version;

import io.kevo.engine.internal.iter.InternalIterator;
import io.kevo.engine.internal.iter.InternalOrder;
import java.util.List;

/**
 * Iterates one sorted level (1 and up) as a single stream: the files do not overlap and are sorted,
 * so only the file under the cursor has an open table iterator. Seeking binary-searches the file by
 * key range. The caller keeps the {@link Version} referenced while this is open.
 */
public final class LevelIterator implements InternalIterator {
  private final List<TableFile> files;
  private int index = -1;
  private InternalIterator current;

  public LevelIterator(List<TableFile> files) {
    this.files = files;
  }

  private void open(int i) {
    if (current != null) {
      current.close();
      current = null;
    }
    index = i;
    if (i >= 0 && i < files.size()) {
      current = files.get(i).reader().newIterator();
    }
  }

  /** Moves forward over files whose iterator is exhausted. */
  private void skipForward() {
    while (current != null && !current.valid()) {
      if (index + 1 >= files.size()) {
        open(files.size());
        return;
      }
      open(index + 1);
      current.seekToFirst();
    }
  }

  private void skipBackward() {
    while (current != null && !current.valid()) {
      if (index - 1 < 0) {
        open(-1);
        return;
      }
      open(index - 1);
      current.seekToLast();
    }
  }

  @Override
  public boolean valid() {
    return current != null && current.valid();
  }

  @Override
  public void seekToFirst() {
    open(0);
    if (current != null) {
      current.seekToFirst();
      skipForward();
    }
  }

  @Override
  public void seekToLast() {
    open(files.size() - 1);
    if (current != null) {
      current.seekToLast();
      skipBackward();
    }
  }

  @Override
  public void seek(byte[] userKey, long sequence) {
    int i = Version.firstEndingAtOrAfter(files, userKey);
    open(i);
    if (current != null) {
      current.seek(userKey, sequence);
      skipForward();
    }
  }

  @Override
  public void seekForPrev(byte[] userKey, long sequence) {
    // The last file whose smallest key is at or before the target.
    int lo = 0;
    int hi = files.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      FileMeta m = files.get(mid).meta();
      if (InternalOrder.compare(m.smallestKey(), m.smallestSequence(), userKey, sequence) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    open(lo - 1);
    if (current != null) {
      current.seekForPrev(userKey, sequence);
      skipBackward();
    }
  }

  @Override
  public void next() {
    current.next();
    skipForward();
  }

  @Override
  public void prev() {
    current.prev();
    skipBackward();
  }

  @Override
  public byte[] userKey() {
    return current.userKey();
  }

  @Override
  public long sequence() {
    return current.sequence();
  }

  @Override
  public boolean isTombstone() {
    return current.isTombstone();
  }

  @Override
  public byte[] value() {
    return current.value();
  }

  @Override
  public void close() {
    open(-1);
  }
}
