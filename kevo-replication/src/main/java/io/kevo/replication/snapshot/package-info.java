/**
 * Both sides of {@code FetchSnapshot}, the snapshot transfer.
 *
 * <p>Serving snapshots to bootstrapping replicas and backups: {@link
 * io.kevo.replication.snapshot.SnapshotTransfers} admits at most {@link
 * io.kevo.replication.PrimaryOptions#maxConcurrentBootstraps()} transfers at once, runs each {@link
 * io.kevo.replication.snapshot.SnapshotSender} (a pinned {@link io.kevo.engine.Checkpoint} sent in
 * CRC-32C chunks while the call is ready) on a small pool of its own, aborts stalled ones, and at
 * the end hands the transfer's WAL hold over to the primary's retention through {@link
 * io.kevo.replication.snapshot.SnapshotTransfers.HoldHandOver}, so this package does not depend on
 * the primary's.
 *
 * <p>Reading one: {@link io.kevo.replication.snapshot.SnapshotStreamReader} calls {@code
 * FetchSnapshot}, keeps a window of a few messages in flight, checks the header's sizes, the file
 * order, every chunk's and every file's CRC-32C and the trailer, and hands the checked contents to
 * its caller's sink; failures are {@link io.kevo.replication.snapshot.SnapshotStreamException}s of
 * one kind each, which the caller words for its users. Its callers are a replica's bootstrap
 * ({@link io.kevo.replication.replica.SnapshotFetch}, which installs the snapshot) and {@code kevo
 * backup} (kevo-backup's {@code BackupWriter}).
 *
 * <p>Threading: {@code SnapshotTransfers} is thread-safe (gRPC threads admit, the primary's
 * maintenance expires, the pool's threads send); a sender sends in bursts, one at a time (its pump
 * is synchronized), on the pool, gRPC's readiness callbacks only scheduling the next one; no file
 * is read on a gRPC thread. A reader reads on its caller's thread; gRPC's threads only enqueue.
 *
 * <p>Depends on: {@code io.kevo.replication} (options, status values, errors, epochs, {@code
 * JvmFailures}), the engine (checkpoints, WAL holds) and gRPC. Uses none of the seed's interfaces.
 */
package io.kevo.replication.snapshot;
