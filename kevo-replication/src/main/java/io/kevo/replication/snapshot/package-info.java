/**
 * Serving snapshots to bootstrapping replicas ({@code FetchSnapshot}): {@link
 * io.kevo.replication.snapshot.SnapshotTransfers} admits at most {@link
 * io.kevo.replication.PrimaryOptions#maxConcurrentBootstraps()} transfers at once, runs each {@link
 * io.kevo.replication.snapshot.SnapshotSender} (a pinned {@link io.kevo.engine.Checkpoint} sent in
 * CRC-32C chunks while the call is ready) on a small pool of its own, aborts stalled ones, and at
 * the end hands the transfer's WAL hold over to the primary's retention through {@link
 * io.kevo.replication.snapshot.SnapshotTransfers.HoldHandOver}, so this package does not depend on
 * the primary's. The replica's side of a bootstrap is {@link
 * io.kevo.replication.replica.SnapshotFetch}.
 *
 * <p>Threading: {@code SnapshotTransfers} is thread-safe (gRPC threads admit, the primary's
 * maintenance expires, the pool's threads send); a sender sends in bursts, one at a time (its pump
 * is synchronized), on the pool, gRPC's readiness callbacks only scheduling the next one; no file
 * is read on a gRPC thread.
 *
 * <p>Depends on: {@code io.kevo.replication} (options, status values, errors, epochs), the engine
 * (checkpoints, WAL holds) and gRPC. Uses none of the seed's interfaces.
 */
package io.kevo.replication.snapshot;
