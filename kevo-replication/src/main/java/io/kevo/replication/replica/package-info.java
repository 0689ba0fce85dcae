/**
 * The replica side of replication: {@link io.kevo.replication.replica.Replica} streams a primary's
 * write-ahead log into a local database at the primary's sequence numbers, makes it durable,
 * acknowledges it, and reconnects forever.
 *
 * <p>What it holds, by role: {@link io.kevo.replication.replica.Replica} (the lifecycle: start,
 * stop, getters, status); {@link io.kevo.replication.replica.ReplicaLoop} (the apply thread's body:
 * connect, stream, dispatch each event, and after a stream ends wait, bootstrap or reconnect);
 * {@link io.kevo.replication.replica.ReplicaStream} (one {@code StreamWAL} call, its events and its
 * flow control); {@link io.kevo.replication.replica.ApplyPipeline} (assembling records and applying
 * them in group commits) with {@link io.kevo.replication.replica.GapNacker} (gaps and nacks);
 * {@link io.kevo.replication.replica.Acknowledger} (sync, then acknowledge) with {@link
 * io.kevo.replication.replica.AckSender} (the Acknowledge calls); {@link
 * io.kevo.replication.replica.ReplicaConnection} (the channel, the unary calls, the backoff) with
 * {@link io.kevo.replication.replica.ReplicaBackoff}; {@link
 * io.kevo.replication.replica.ReplicaEpochs} (the epoch check before each stream) and {@link
 * io.kevo.replication.replica.DiscardReport} (what a divergence discards); {@link
 * io.kevo.replication.replica.ReplicaBootstrap} (driving a bootstrap) and {@link
 * io.kevo.replication.replica.SnapshotFetch} (fetching and installing the snapshot); {@link
 * io.kevo.replication.replica.LocalRefusal} (what a failure of the local database means); {@link
 * io.kevo.replication.replica.ReplicaStateMachine} (the states and their legal transitions); {@link
 * io.kevo.replication.replica.ReplicaCounters} and {@link io.kevo.replication.replica.ReplicaLag}
 * (what status reports); {@link io.kevo.replication.replica.EngineApplier} (the seed's applier over
 * a {@code KevoDB}); {@link io.kevo.replication.replica.ReplicaStreamEnded} (why a stream ended).
 *
 * <p>Threading: one thread per replica, {@code kevo-replica-<id>}, owns everything mutable here and
 * does everything that matters in order; the classes it runs are not thread-safe and say so. Other
 * threads only enqueue events for it: gRPC's callbacks (stream messages, headers, its end; the
 * answers to acks), the {@code kevo-replica-sync-<id>} thread (the end of a background sync). Any
 * thread may call {@link io.kevo.replication.replica.Replica}'s methods and read the counters, the
 * lag and the state machine's current state. The apply thread is never interrupted.
 *
 * <p>The seed's interfaces: the replica is a {@link io.kevo.replication.ReplicaNode}; the apply
 * pipeline and the acknowledger hold the database as a {@link io.kevo.replication.WalEntryApplier}
 * (apply, then sync) and the assembler a {@link io.kevo.replication.Compressor}. Where the database
 * itself is needed, it is a {@code KevoDB}: its next and durable sequences, the opening WAL hold,
 * its write refusal after a failure, and replacing its contents in a bootstrap are beyond the
 * applier's contract.
 *
 * <p>Depends on: {@code io.kevo.replication} (options, statuses, errors, epochs, the node id),
 * {@link io.kevo.replication.wire} (assembling what is received), {@link
 * io.kevo.replication.snapshot.SnapshotStreamReader} (reading a snapshot), the engine and gRPC.
 */
package io.kevo.replication.replica;
