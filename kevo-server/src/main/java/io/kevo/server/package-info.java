/**
 * The Kevo node: {@code kevo.KevoService} over gRPC on top of a {@link io.kevo.engine.KevoDB}.
 *
 * <p>{@link io.kevo.server.KevoServer} owns the engine and the gRPC server and is the only public
 * entry point; everything else is package-private. Priorities: never lose or corrupt data because
 * of a request, map every failure to a precise gRPC status in exactly one place ({@link
 * io.kevo.server.StatusMapper}), and never let one client's slow stream grow the server's memory
 * (scans are pulled from the engine only as fast as the client reads).
 *
 * <p>Layout: {@code KevoServiceImpl} hands each RPC to its kind's class ({@code ReadCalls}, {@code
 * WriteCalls}, {@code TransactionCalls}, {@code AdminCalls}); {@code NodeReplication} holds the
 * node's replication role and its transitions, {@code ReplicationGate} decides what the role allows
 * of a client call, and {@code NodeInfoReport} builds {@code GetNodeInfo}, its replication figures
 * typed as {@link io.kevo.wire.ReplicationStatus}.
 *
 * <p>Threading: RPC handlers run many at once; the engine is thread-safe. By default ({@link
 * io.kevo.server.Dispatch#EVENT_LOOP}) point reads and unsynced puts and deletes run on the Netty
 * event loop that read them and everything else on a pool ({@code CallDispatch}); with {@code POOL}
 * every handler runs on the pool. A transaction is used by one call at a time (its registry entry
 * is the lock); a call of a pessimistic transaction may hold its pool thread while it waits for a
 * key's lock, up to the lock timeout, and a scan's callbacks are serialized by gRPC and by the
 * scan's own monitor. A write waiting for replica acknowledgements, and a read waiting on a replica
 * for a sequence ({@link io.kevo.wire.WireMetadata}), hold no thread: the handler registers a
 * waiter and returns, and the answer is sent from the thread that releases it (the primary's
 * acknowledging RPC, the replica's apply thread handing the read to the pool, or a timer).
 */
package io.kevo.server;
