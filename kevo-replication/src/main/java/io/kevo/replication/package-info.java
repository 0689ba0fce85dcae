/**
 * Primary–replica replication: a primary streams its write-ahead log over {@code
 * kevo.replication.WALReplicationService}; replicas apply it with the primary's sequence numbers,
 * make it durable and acknowledge it.
 *
 * <p>Layout (each sub-package's {@code package-info} states what it holds, its threading contract
 * and its dependencies; dependencies point one way: {@code wire} and {@code snapshot} on this
 * package, {@code replica} on {@code wire}, {@code primary} on {@code wire} and {@code snapshot},
 * and this package on none of them):
 *
 * <ul>
 *   <li>{@code io.kevo.replication} (this package): the API and what both sides share. The seed's
 *       interfaces; the options ({@link io.kevo.replication.PrimaryOptions}, {@link
 *       io.kevo.replication.ReplicaOptions}) and the status values ({@link
 *       io.kevo.replication.PrimaryStatus}, {@link io.kevo.replication.ReplicaStatus}, {@link
 *       io.kevo.replication.BootstrapProgress}, {@link io.kevo.replication.SnapshotTransferStatus},
 *       {@link io.kevo.replication.AckResult}); the one exception type ({@link
 *       io.kevo.replication.ReplicationException}) and the one place errors become gRPC statuses
 *       ({@link io.kevo.replication.StatusMapping}, {@link io.kevo.replication.EngineStatus}); the
 *       epoch history and the node id both sides persist ({@link io.kevo.replication.EpochHistory},
 *       {@link io.kevo.replication.ReplicaIdentity}, {@link io.kevo.engine.DurableFiles}); and the
 *       JVM-failure plumbing of every replication thread ({@link io.kevo.replication.JvmFailures},
 *       {@link io.kevo.replication.SurfacingScheduledExecutor}). The last four are public only so
 *       that the sub-packages can use them; they are not API.
 *   <li>{@link io.kevo.replication.primary}: the primary ({@link
 *       io.kevo.replication.primary.Primary}) and what it is made of: sessions, retention, the
 *       in-memory tail, acknowledgement waits, the read ceiling, the gRPC binding.
 *   <li>{@link io.kevo.replication.replica}: the replica ({@link
 *       io.kevo.replication.replica.Replica}), its apply thread and the parts it runs, and its side
 *       of a bootstrap.
 *   <li>{@link io.kevo.replication.snapshot}: serving snapshots to bootstrapping replicas.
 *   <li>{@link io.kevo.replication.wire}: the wire codecs: entry payloads and CRCs, compression,
 *       cutting records into entries and responses, and assembling them back.
 * </ul>
 *
 * <p>The seed's interfaces, by Java name: {@link io.kevo.replication.WalProvider}, {@link
 * io.kevo.replication.WalObserver}, {@link io.kevo.replication.WalEntryApplier}, {@link
 * io.kevo.replication.PrimaryNode}, {@link io.kevo.replication.ReplicaNode}, {@link
 * io.kevo.replication.ReplicaState}, {@link io.kevo.replication.Batcher}, {@link
 * io.kevo.replication.Compressor}, {@link io.kevo.replication.SessionManager}. Where the seed was
 * loose, we chose:
 *
 * <ul>
 *   <li><b>Entries are logical records.</b> {@code WalProvider.getEntriesFrom} and {@code
 *       WalEntryApplier.apply} deal in {@link io.kevo.engine.WalRecord}s: a single operation or a
 *       whole atomic batch, so batches and transaction commits are applied on a replica as one
 *       unit. On the wire every operation is one {@code WALEntry}; batch membership travels in
 *       {@code batch_first_sequence}/{@code batch_count} (see {@code replication.proto}).
 *   <li><b>Bounded everywhere.</b> Reads from the log are sliced by bytes; a session's memory is
 *       one batch plus a capped number of unacknowledged bytes in flight; observers are fed through
 *       a bounded queue and told what they missed instead of holding up writers.
 *   <li><b>Sessions are explicit.</b> The gRPC layer sends {@code session-id} and passes the id to
 *       {@link io.kevo.replication.PrimaryNode} methods as an argument; an ack or nack for an
 *       unknown session is an error, never credited elsewhere.
 *   <li><b>Refusals are explicit.</b> A position the primary no longer holds, or one from the
 *       future, ends the stream with a status and a {@code kevo-repl-error} trailer ({@link
 *       io.kevo.wire.WireMetadata}); errors map to gRPC statuses in one place.
 *   <li><b>Bootstrap is a snapshot plus the log after it.</b> A replica refused with {@code
 *       POSITION_NOT_RETAINED} calls {@code FetchSnapshot}: the primary flushes and pins a {@link
 *       io.kevo.engine.Checkpoint} (SSTables and a manifest at sequence S, taken without stopping
 *       writes; the WAL held from S+1), sends it in CRC-32C chunks only while the call is ready,
 *       and at the end moves the WAL hold to the replica's retention entry, exempt from the byte
 *       limit until the replica caught up, so a bootstrap never ends in another refusal. The
 *       replica suspends its database (reads get {@code UNAVAILABLE}), stages the files, seals and
 *       installs them atomically ({@link io.kevo.engine.StagedCheckpoint}), then streams from S+1.
 *       At most {@link io.kevo.replication.PrimaryOptions#maxConcurrentBootstraps()} transfers run
 *       at once ({@code RESOURCE_EXHAUSTED} beyond; the replica backs off and retries).
 *   <li><b>A full local disk is waited out, not streamed through.</b> A replica whose database
 *       refuses an apply for lack of space drops the stream and stays in {@code ERROR} ("the local
 *       disk is full; retrying") until its engine takes writes again, then reconnects from the
 *       engine's own next sequence; one whose database needs a reopen stops replicating and says
 *       why ({@code LocalRefusal}).
 *   <li><b>A primary whose writes wait for replicas reads only what a replica confirmed.</b> With
 *       {@link io.kevo.replication.PrimaryOptions#ackLevel()} other than {@code async}, the primary
 *       installs a {@link io.kevo.engine.ReadCeiling} on its database: reads see up to the highest
 *       sequence some replica acknowledged as durable through a session of this primary ({@link
 *       io.kevo.replication.primary.Primary#confirmedSequence()}; acks are cumulative, and one
 *       replica is enough at any level, since a failover promotes the replica furthest ahead). A
 *       write no replica has can be lost in a failover; reading it would be a dirty read. Positions
 *       loaded from disk (perhaps of an older term) and positions a replica declares when it
 *       connects confirm nothing, for reads nor for writes' acknowledgement levels: only
 *       acknowledgements do. After it opens (a restart, a promotion) the primary does not know
 *       which of its entries were confirmed before, so it refuses reads ({@link
 *       io.kevo.replication.primary.Primary#readRefusal()}) until a replica has acknowledged its
 *       last sequence at open; every new session asks its replica for an acknowledgement at once,
 *       and a replica answers a request with its durable position even when it applied nothing new.
 *       At {@code async} there is no ceiling: {@code async} already allows a failover to lose
 *       acknowledged writes.
 * </ul>
 *
 * <p>Where the seed's interfaces are the seam, the code that drives them holds them by interface:
 * the replica's apply pipeline and acknowledger hold a {@code WalEntryApplier}, the codecs a {@code
 * Compressor}, the gRPC binding a {@code PrimaryNode}, the log a {@code WalObserver}. Where they
 * are not, the sub-package's {@code package-info} says why.
 *
 * <p>Threading: primary sessions send on gRPC's {@code onReady} callbacks and a small executor,
 * never on the engine's write path; only the in-memory tail ({@code WalTail}) is fed on it, by the
 * writer right after each append, and it merely copies the records and wakes the sessions; the
 * replica has one thread that applies, syncs and acknowledges in order, fed by a bounded hand-off
 * from the gRPC callback thread, with gRPC flow control (manual {@code request(n)}) keeping what is
 * buffered bounded.
 *
 * <p>JVM failures: a {@link java.lang.VirtualMachineError} met on a replication thread is never
 * survived or retried here. It ends the replica's thread, or, where something would keep it (a
 * scheduled task's future, gRPC's client callbacks), it is handed to the thread's
 * uncaught-exception handler, where the process that owns the JVM decides ({@code kevo server}
 * halts).
 */
package io.kevo.replication;
