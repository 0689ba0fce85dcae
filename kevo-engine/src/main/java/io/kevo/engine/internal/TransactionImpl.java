package io.kevo.engine.internal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.Isolation;
import io.kevo.engine.KevoCursor;
import io.kevo.engine.KevoException;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.ReadOptions;
import io.kevo.engine.ScanOptions;
import io.kevo.engine.Snapshot;
import io.kevo.engine.Transaction;
import io.kevo.engine.TransactionOptions;
import io.kevo.engine.WriteBatch;
import io.kevo.engine.internal.iter.InternalOrder;
import io.kevo.engine.internal.lock.LockManager;
import io.kevo.engine.internal.lock.LockOwner;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A transaction over {@link DbCore}: a snapshot (registered, so compaction keeps what it sees), a
 * sorted write buffer, and for serializable transactions the keys and ranges read. Commit turns the
 * buffer into one atomic batch whose {@link CommitCheck} the write leader runs just before logging
 * it — so validation and the write are one step with respect to every other writer.
 *
 * <p>Optimistic transactions hold no lock while they run. A pessimistic one locks each key it reads
 * or writes ({@link LockManager}) before touching it and then moves its snapshot to the latest
 * committed state, so the read after the lock sees whatever the previous holder committed (its
 * commit is visible before it releases); the key is checked at commit from that sequence. A lock
 * timeout or deadlock rolls the transaction back. Locks are released once the commit is visible, or
 * at rollback or close. Not thread-safe.
 */
final class TransactionImpl implements Transaction {
  /** Buffer value standing for a delete (compared by identity). */
  private static final byte[] DELETED = new byte[0];

  private enum State {
    ACTIVE,
    COMMITTED,
    ROLLED_BACK
  }

  private final DbCore db;
  private final long id;
  private final TransactionOptions options;
  private Snapshot snapshot;
  private final TreeMap<byte[], byte[]> writes = new TreeMap<>(InternalOrder::compareKeys);
  private final CommitCheck check;
  private final LockManager lockManager;
  private final LockOwner locks; // null unless pessimistic and read-write
  private long bufferedBytes;
  private State state = State.ACTIVE;

  TransactionImpl(
      DbCore db, long id, TransactionOptions options, Snapshot snapshot, LockManager lockManager) {
    this.db = db;
    this.id = id;
    this.options = options;
    this.snapshot = snapshot;
    this.check = new CommitCheck(snapshot.sequence(), options.isolation(), writes.keySet());
    this.lockManager = lockManager;
    this.locks = options.locking() ? lockManager.owner(id) : null;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public boolean readOnly() {
    return options.readOnly();
  }

  @Override
  public long snapshotSequence() {
    return snapshot.sequence();
  }

  private boolean serializable() {
    return !options.readOnly() && options.isolation() == Isolation.SERIALIZABLE;
  }

  private void checkActive() {
    if (state != State.ACTIVE) {
      throw new KevoException(
          ErrorCode.CLOSED,
          "transaction "
              + id
              + " was "
              + (state == State.COMMITTED ? "committed" : "rolled back")
              + "; begin a new one");
    }
  }

  private void checkWritable() {
    checkActive();
    if (options.readOnly()) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT, "transaction " + id + " is read-only and cannot write");
    }
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    checkActive();
    db.checkKey(key);
    lock(key);
    byte[] mine = writes.get(key);
    if (mine != null) {
      return mine == DELETED ? Optional.empty() : Optional.of(mine.clone());
    }
    if (serializable()) {
      check.recordRead(key.clone());
    }
    return Optional.ofNullable(db.get(key, ReadOptions.at(snapshot)));
  }

  @Override
  public void put(byte[] key, byte[] value) {
    checkWritable();
    db.checkKey(key);
    db.checkValue(value);
    lock(key);
    buffer(key, value.clone());
  }

  @Override
  public void delete(byte[] key) {
    checkWritable();
    db.checkKey(key);
    lock(key);
    buffer(key, DELETED);
  }

  /**
   * Pessimistic: locks {@code key} for this transaction and, if the lock is new, moves the snapshot
   * to the latest committed state (at least the read-your-writes token). Rolls back on failure.
   */
  private void lock(byte[] key) {
    if (locks == null) {
      return;
    }
    boolean fresh;
    try {
      fresh = lockManager.lock(locks, key, options.lockTimeout().toNanos());
    } catch (KevoException e) {
      rollback();
      throw new KevoException(
          e.code(), e.getMessage() + "; transaction " + id + " was rolled back, run it again");
    }
    if (fresh) {
      // The latest committed state, past any read ceiling: the previous holder's commit is there.
      Snapshot latest = db.snapshot(Math.max(options.minSequence(), db.latestSequence()));
      snapshot.close();
      snapshot = latest;
      check.lockedAt(key.clone(), latest.sequence());
    }
  }

  private void buffer(byte[] key, byte[] value) {
    byte[] old = writes.get(key);
    long delta = value.length + (old == null ? key.length : -old.length);
    if (bufferedBytes + delta > options.maxBufferBytes()) {
      throw new KevoException(
          ErrorCode.TRANSACTION_TOO_LARGE,
          "transaction "
              + id
              + " would buffer more than "
              + options.maxBufferBytes()
              + " bytes of writes; commit in smaller transactions or raise maxBufferBytes");
    }
    writes.put(key.clone(), value);
    bufferedBytes += delta;
  }

  @Override
  public KevoIterator scan(ScanOptions scan) {
    KevoCursor c = cursor(scan);
    if (scan.reverse()) {
      c.seekToLast();
    } else {
      c.seekToFirst();
    }
    return new ScanIterator(c, scan.reverse());
  }

  @Override
  public KevoCursor cursor(ScanOptions scan) {
    checkActive();
    if (serializable()) {
      byte[] lo = scan.start();
      byte[] hi = scan.end();
      byte[] prefix = scan.prefixBytes();
      if (prefix != null) {
        byte[] end = prefixEnd(prefix);
        lo = lo == null || InternalOrder.compareKeys(prefix, lo) > 0 ? prefix : lo;
        hi = hi == null || (end != null && InternalOrder.compareKeys(end, hi) < 0) ? end : hi;
      }
      check.recordRange(lo, hi, snapshot.sequence());
    }
    return db.transactionCursor(scan, snapshot.sequence(), writes, DELETED);
  }

  /** The first key after every key starting with {@code prefix}, or null if there is none. */
  private static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return java.util.Arrays.copyOf(end, i + 1);
      }
    }
    return null;
  }

  @Override
  public long commit() {
    checkActive();
    try {
      if (writes.isEmpty()) {
        // Read-only work commits trivially; a serializable reader that wrote nothing needs no
        // validation either: it is equivalent to running entirely at its snapshot.
        state = State.COMMITTED;
        return snapshot.sequence();
      }
      WriteBatch batch = new WriteBatch();
      for (Map.Entry<byte[], byte[]> e : writes.entrySet()) {
        if (e.getValue() == DELETED) {
          batch.delete(e.getKey());
        } else {
          batch.put(e.getKey(), e.getValue());
        }
      }
      long last = db.commitTransaction(batch, check);
      state = State.COMMITTED;
      return last;
    } catch (RuntimeException e) {
      state = State.ROLLED_BACK;
      throw e;
    } finally {
      writes.clear();
      snapshot.close();
      unlock();
    }
  }

  @Override
  public void rollback() {
    checkActive();
    state = State.ROLLED_BACK;
    writes.clear();
    snapshot.close();
    unlock();
  }

  private void unlock() {
    if (locks != null) {
      lockManager.releaseAll(locks);
    }
  }

  @Override
  public void close() {
    if (state == State.ACTIVE) {
      rollback();
    }
  }
}
