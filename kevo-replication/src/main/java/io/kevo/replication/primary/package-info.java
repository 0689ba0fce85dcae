/**
 * The primary side of replication: {@link io.kevo.replication.primary.Primary} serves its
 * database's write-ahead log over {@code kevo.replication.WALReplicationService} to any number of
 * replicas.
 *
 * <p>What it holds, by role: {@link io.kevo.replication.primary.Primary} (open, close and the
 * public API, delegating to the rest); {@link io.kevo.replication.primary.SessionRouter} (admitting
 * a stream, routing acks and nacks to their session, ending sessions) over the registry {@link
 * io.kevo.replication.primary.Sessions}; {@link io.kevo.replication.primary.PrimarySession} (one
 * replica's stream: what to send, flow control, the in-flight budget), which sees the primary only
 * through {@link io.kevo.replication.primary.SessionContext}; {@link
 * io.kevo.replication.primary.WalTail} (the bounded in-memory tail of recent records) and {@link
 * io.kevo.replication.primary.EngineWalProvider} (the log files); {@link
 * io.kevo.replication.primary.Retention} and {@link io.kevo.replication.primary.PositionsFile} (the
 * WAL held for each replica, and its persisted positions); {@link
 * io.kevo.replication.primary.AckWaiters} (writes waiting for acknowledgement levels); {@link
 * io.kevo.replication.primary.ConfirmedReads} (the read ceiling); {@link
 * io.kevo.replication.primary.PrimaryTerm} (the epoch history and the stale-primary check); {@link
 * io.kevo.replication.primary.PrimaryScheduler} (threads, heartbeats, maintenance); {@link
 * io.kevo.replication.primary.PrimaryReporter} and {@link
 * io.kevo.replication.primary.PrimaryCounters} (status); {@link
 * io.kevo.replication.primary.ReplicationService} and {@link
 * io.kevo.replication.primary.SessionIdInterceptor} (the gRPC binding).
 *
 * <p>Threading: everything here is thread-safe, and each class says how. The engine's writer thread
 * only feeds the tail and wakes sessions (a flag and a task hand-off); gRPC threads admit streams
 * and route acks and nacks, which only record and schedule; a session's sends run one drain at a
 * time on the sender threads ({@link io.kevo.replication.PrimaryOptions#senderThreads()}), which
 * also run heartbeats and maintenance; one thread writes the positions file; timers complete
 * acknowledgement waits. No thread here is ever interrupted (they read and write files).
 *
 * <p>The seed's interfaces: the tail is registered as a {@link io.kevo.replication.WalObserver}
 * through the {@link io.kevo.replication.WalProvider} interface; the gRPC binding holds the primary
 * as a {@link io.kevo.replication.PrimaryNode}; the codecs take a {@link
 * io.kevo.replication.Compressor}. Held by their class instead: the log is an {@code
 * EngineWalProvider}, because a session hands its read cursor back when it ends ({@code release})
 * and maintenance expires parked cursors, which the seed's {@code WalProvider} has no word for; the
 * session registry is {@code Sessions} (the seed's {@link io.kevo.replication.SessionManager} is
 * what {@link io.kevo.replication.primary.Primary#sessions()} exposes), because the primary also
 * waits for it to empty at close and unregisters a session only if it is still the registered one;
 * and a session's batcher is a {@code ResponseBatcher} (a {@link io.kevo.replication.Batcher} that
 * also exposes its entries, which the session needs to know what a response completes).
 *
 * <p>Depends on: {@code io.kevo.replication} (options, statuses, errors, epochs), {@link
 * io.kevo.replication.wire} (encoding what is sent), {@link io.kevo.replication.snapshot} (serving
 * bootstraps), the engine ({@code KevoDB}, {@code WalAccess}) and gRPC.
 */
package io.kevo.replication.primary;
