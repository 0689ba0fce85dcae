/**
 * The write-ahead log: segment files ({@code <20-digit number>.wal}, sorted in log order) of
 * records framed as in {@link io.kevo.engine.internal.wal.RecordFormat}, holding logical records
 * laid out as in {@link io.kevo.engine.internal.wal.WalCodec}.
 *
 * <p>Classes: {@link io.kevo.engine.internal.wal.Wal} is the log's handle and hands each call to
 * the part that owns it: {@code WalWriter} (appends, rotation, fsync, repair; framing by {@code
 * RecordFramer}), {@code SegmentFiles} (the segment list: creation, lookup, deletion), {@code
 * RetentionHolds} (what must not be deleted yet) and {@code WalObservers} (feeding the tail to
 * listeners). {@link io.kevo.engine.internal.wal.WalRecovery} replays the log at open, {@code
 * WalCursorImpl} and {@link io.kevo.engine.internal.wal.SegmentReader} read it back.
 *
 * <p>Threading: there is no WAL thread. One writer at a time appends: the group-commit leader, an
 * application thread the engine's write queue elected. A sync may run on any thread (the leader,
 * the engine's BATCH syncer, a {@code syncWal} caller) while the leader appends. Readers ({@link
 * io.kevo.engine.internal.wal.SegmentReader}, cursors) read only up to a segment's published size.
 * Listeners are fed through per-listener queues and threads ({@code ListenerDispatcher}), except
 * inline listeners ({@link io.kevo.engine.internal.wal.Wal#subscribeInline}), which the leader
 * itself calls, on its own thread, right after each append and outside the log's lock
 * (replication's in-memory tail is one); their sync notices come on the thread that ran the sync.
 * Recovery ({@link io.kevo.engine.internal.wal.WalRecovery}) runs before the writer exists.
 *
 * <p>Design choices: no block alignment or padding (the framing is fixed by PROTOCOL.md and records
 * are packed); a new segment is started at every open rather than appending to a recovered one, so
 * recovery never writes into a file it may have truncated; a sync forces sealed segments before the
 * active one (with BATCH and IMMEDIATE at rotation, with NONE at the next sync), so what is durable
 * is always a prefix of the log. A failed append is undone by truncating the active segment back to
 * its last complete record ({@link io.kevo.engine.internal.wal.Wal#repair()}) before any number it
 * took is used again; a failed fsync is never retried (see {@link
 * io.kevo.engine.internal.wal.Wal#sync()}).
 */
package io.kevo.engine.internal.wal;
