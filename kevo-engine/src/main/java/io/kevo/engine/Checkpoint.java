package io.kevo.engine;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A consistent, immutable copy-able image of a database as of sequence {@link #sequence()}: its
 * SSTables and a manifest describing them, taken with {@link KevoDB#checkpoint()} without stopping
 * writes. What a primary ships to a replica that must bootstrap.
 *
 * <p>While the handle is open the files it lists cannot be deleted (compaction may replace them in
 * the live database, but their bytes stay readable here), and the write-ahead log is held from
 * {@code sequence() + 1} on, so a reader of the checkpoint can continue with the log exactly where
 * the checkpoint ends. {@link #takeWalHold()} hands that hold to the caller, who then owns it (e.g.
 * a replication primary keeps it for the replica until it streams).
 *
 * <p>Thread-safety: {@link #read} may be called by one thread at a time; {@link #close()} from any
 * thread, idempotent, throws nothing.
 */
public interface Checkpoint extends AutoCloseable {
  /** Every operation up to this sequence, and none after it, is in the checkpoint's files. */
  long sequence();

  /**
   * The keys it is for ({@link KeyRange#ALL} for a whole database): its files hold every version of
   * them up to {@link #sequence()}, and may hold keys outside it too (a table with keys on both
   * sides is shipped whole).
   */
  KeyRange range();

  /** The files, SSTables first, the manifest last; names are plain file names. */
  List<CheckpointFile> files();

  /** The sum of the files' sizes. */
  long totalBytes();

  /**
   * Reads bytes of file {@code index} from {@code offset} into {@code dst} (as many as fit and the
   * file has). Returns the number read, 0 at the end of the file.
   *
   * @throws KevoException {@link ErrorCode#IO_ERROR} on a read failure, {@link ErrorCode#CLOSED}
   *     after close
   */
  int read(int index, long offset, ByteBuffer dst);

  /**
   * Hands the log hold from {@code sequence() + 1} to the caller (who must close it); null if it
   * was already taken. {@link #close()} no longer releases it.
   */
  RetentionHold takeWalHold();

  /** Unpins the files and releases the log hold if it was not taken. */
  @Override
  void close();
}
