/**
 * The engine's internals behind {@link io.kevo.engine.KevoDB}: {@link
 * io.kevo.engine.internal.DbCore} (lifecycle, write path, reads, admin), the group-commit {@code
 * WriteQueue}, {@code LsmState} (memtables, write stalls, the read view), {@code ReadPath},
 * snapshots and transactions.
 *
 * <p>Threading: one write leader at a time (elected by the write queue) owns the WAL append, the
 * active memtable's inserts, transaction commit checks and memtable switches; one background worker
 * owns flushes and compactions; readers take a reference-counted {@code ReadView} and never lock.
 * Ordering rule for readers: take the view, then read the visible sequence.
 *
 * <p>Priorities: no acknowledged write lost, no unwritten value returned, clear errors on damage,
 * then speed. A failure in the write path or the background is sticky: writes are refused with its
 * cause until the database is reopened.
 */
package io.kevo.engine.internal;
