package io.kevo.engine.internal.iter;

/**
 * Hides every entry with a sequence above {@code maxSequence}: the source as it was at that
 * sequence, for merging with entries that must rank above all of it (a transaction's own writes).
 * Movement skips hidden entries in the direction of travel.
 */
public final class SequenceFilter implements InternalIterator {
  private final InternalIterator source;
  private final long maxSequence;

  public SequenceFilter(InternalIterator source, long maxSequence) {
    this.source = source;
    this.maxSequence = maxSequence;
  }

  private void skipForward() {
    while (source.valid() && source.sequence() > maxSequence) {
      source.next();
    }
  }

  private void skipBackward() {
    while (source.valid() && source.sequence() > maxSequence) {
      source.prev();
    }
  }

  @Override
  public boolean valid() {
    return source.valid();
  }

  @Override
  public void seekToFirst() {
    source.seekToFirst();
    skipForward();
  }

  @Override
  public void seekToLast() {
    source.seekToLast();
    skipBackward();
  }

  @Override
  public void seek(byte[] userKey, long sequence) {
    source.seek(userKey, sequence);
    skipForward();
  }

  @Override
  public void seekForPrev(byte[] userKey, long sequence) {
    source.seekForPrev(userKey, sequence);
    skipBackward();
  }

  @Override
  public void next() {
    source.next();
    skipForward();
  }

  @Override
  public void prev() {
    source.prev();
    skipBackward();
  }

  @Override
  public byte[] userKey() {
    return source.userKey();
  }

  @Override
  public long sequence() {
    return source.sequence();
  }

  @Override
  public boolean isTombstone() {
    return source.isTombstone();
  }

  @Override
  public byte[] value() {
    return source.value();
  }

  @Override
  public void close() {
    source.close();
  }
}
