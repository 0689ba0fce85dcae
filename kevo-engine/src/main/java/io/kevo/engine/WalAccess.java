package io.kevo.engine;

/**
 * The write-ahead log as replication sees it (the seed's {@code WALProvider}): read operations from
 * a sequence onwards, learn of new writes and syncs, and hold segments that a reader still needs.
 * Thread-safe.
 */
public interface WalAccess {
  /** The sequence number the next operation will receive. */
  long nextSequence();

  /** The highest sequence number known to be on stable storage. */
  long durableSequence();

  /** The lowest sequence number the log can still return (1 for a log never trimmed). */
  long firstRetainedSequence();

  /**
   * Bytes of log the segments holding {@code sequence} and everything after it take on disk: what a
   * reader starting at {@code sequence} keeps alive (0 if nothing from there on is logged yet).
   */
  long bytesFrom(long sequence);

  /**
   * A cursor over logical records from the one containing {@code sequence} onwards, across
   * segments, up to what has been written when each record is reached (the live segment included).
   * If {@code sequence} falls inside an atomic batch, the whole batch is returned: batches are
   * never split.
   *
   * @throws KevoException {@link ErrorCode#INVALID_ARGUMENT} if {@code sequence} is before {@link
   *     #firstRetainedSequence()} or after {@link #nextSequence()}
   */
  WalCursor readFrom(long sequence);

  /**
   * Registers a listener. Each listener has its own delivery thread and a bounded queue: the writer
   * only enqueues and never waits for, nor can be deadlocked by, a listener. A listener that falls
   * behind further than its queue is told which sequences it missed (it reads them with {@link
   * #readFrom}). Records and syncs are delivered in order, records at or after the sequence current
   * at registration. Close the subscription to stop delivery.
   */
  WalSubscription subscribe(String name, WalListener listener);

  /**
   * Registers a listener called on the writer's own thread: {@link WalListener#onRecord} right
   * after each append (before the writer goes on, in log order, for the records appended after this
   * returns), {@link WalListener#onSync} on the thread that synced (possibly while another thread
   * is in {@code onRecord}); never {@code onMissed}. It saves the thread hand-off per write of
   * {@link #subscribe}, at a price: the listener must return quickly, must never block, and must
   * not call into the database (a write from it would deadlock). Meant for handing records on, such
   * as to an in-memory buffer. Exceptions are logged and ignored. Close the subscription to stop.
   */
  WalSubscription subscribeInline(WalListener listener);

  /**
   * Keeps every operation from {@code fromSequence} onwards in the log until the hold is closed or
   * moved: segments holding them are not deleted even once their data is in SSTables.
   */
  RetentionHold retain(long fromSequence);

  /**
   * The hold that has kept every WAL segment since open when the database was opened with {@link
   * Options#holdWalAtOpen()}, handed over to the caller, who closes it once its own holds are in
   * place; null if there is none or it was already taken.
   */
  RetentionHold takeOpeningHold();
}
