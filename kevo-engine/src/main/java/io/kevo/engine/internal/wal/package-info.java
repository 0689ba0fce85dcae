/**
 * The write-ahead log: segment files ({@code <20-digit number>.wal}, sorted in log order) of
 * records framed as in {@link io.kevo.engine.internal.wal.RecordFormat}, holding logical records
 * laid out as in {@link io.kevo.engine.internal.wal.WalCodec}.
 *
 * <p>Threading: one writer at a time (the group-commit leader) appends; readers ({@link
 * io.kevo.engine.internal.wal.SegmentReader}, cursors) read only up to a segment's published size;
 * listeners are fed through per-listener queues and threads, except inline listeners ({@link
 * io.kevo.engine.internal.wal.Wal#subscribeInline}), which the leader itself calls right after each
 * append, outside the log's lock (replication's in-memory tail is one). Recovery ({@link
 * io.kevo.engine.internal.wal.WalRecovery}) runs before the writer exists.
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
