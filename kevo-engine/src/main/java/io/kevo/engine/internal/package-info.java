/**
 * The engine's internals behind {@link io.kevo.engine.KevoDB}. {@link
 * io.kevo.engine.internal.DbCore} is a thin coordinator over parts that each have one job:
 *
 * <ul>
 *   <li>{@code DbOpener}: open and recovery (lock, staged checkpoint, manifest, WAL replay), on the
 *       opening thread, before any engine thread exists;
 *   <li>{@code WritePath}: the write entry points, argument checks ({@code WriteLimits}) and the
 *       write counters ({@code WriteCounters}, updated in one place), up to the group-commit {@code
 *       WriteQueue};
 *   <li>{@code GroupCommit}: what the elected write leader does with a group (screen, WAL append,
 *       memtable insert, publish the {@code VisibleSequence});
 *   <li>{@code WalSyncer}: WAL syncs outside the write path, and the {@code kevo-wal-syncer} thread
 *       in BATCH mode;
 *   <li>{@code Reads} and {@code ReadPath}: point reads, cursors, scans, snapshots ({@code
 *       Snapshots}, {@code ReadLimit});
 *   <li>{@code Maintenance}: flush, manual compaction and checkpoints, which wait for the
 *       background worker;
 *   <li>{@code StatsCollector} and {@code StatsBuilder}: {@link io.kevo.engine.DbStats};
 *   <li>{@code Lifecycle}: open or closed, and the lock close takes to wait for writes and syncs;
 *   <li>{@code LsmState}: memtables, write stalls and the read view; {@code ErrorRecovery}: refused
 *       writes and their retries; {@code TransactionImpl} and {@code CommitCheck}: transactions,
 *       with the key locks of pessimistic ones in {@code lock.LockManager}.
 * </ul>
 *
 * <p>Threading: one write leader at a time (an application thread elected by the write queue; there
 * is no dedicated writer thread) owns the WAL append, the active memtable's inserts, transaction
 * commit checks, memtable switches and publishing the visible sequence; one background worker owns
 * flushes and compactions; the BATCH syncer thread only syncs the WAL; readers take a
 * reference-counted {@code ReadView} and never lock. Ordering rule for readers: take the view, then
 * read the visible sequence.
 *
 * <p>Open: what WAL recovery replays is flushed to an SSTable before open returns ({@code
 * ReplayFlush}), so a restart replays only the log of the run before it, however many restarts came
 * without a flush in between.
 *
 * <p>Priorities: no acknowledged write lost, no unwritten value returned, clear errors on damage,
 * then speed.
 *
 * <p>Failures in the write path or the background refuse writes ({@code ErrorRecovery}); reads go
 * on. A full disk ({@code ENOSPC}, {@code EDQUOT}) met while appending to the WAL or by a flush or
 * compaction heals: a timer retries what failed, with a backoff of 100 ms doubling to 1 s, and
 * writes resume without a reopen once it works (for the WAL: the failed append's bytes are cut off
 * and a 1 MiB probe file fits). Everything else is sticky until the database is reopened: a failed
 * WAL fsync (retrying one can report success for data the kernel dropped, so it is never retried),
 * an I/O error that is not a full disk (a failing device, which retrying would hide), corruption, a
 * bug, and any {@code VirtualMachineError} met in the write path or the background, which first
 * goes to the application's {@code FatalErrorListener} ({@code FatalErrors}). On Linux's local file
 * systems a full disk shows at {@code write(2)}, where it heals; it reaches an fsync only on file
 * systems that allocate late (NFS, thin provisioning), where it is sticky like any failed fsync.
 *
 * <p>Sequence numbers on failure: a group whose WAL append failed is neither applied nor announced
 * to listeners; its numbers are given to later writes only after the WAL has truncated the segment
 * back to its last complete record and fsynced the cut ({@code Wal.repair()}), so no two records
 * with one number can ever be replayed. If the process stops first, recovery replays the group's
 * whole records (the callers were told the outcome is unknown) and drops its torn tail, and
 * numbering continues after them.
 */
package io.kevo.engine.internal;
