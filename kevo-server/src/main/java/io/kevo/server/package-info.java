/**
 * The Kevo node: {@code kevo.KevoService} over gRPC on top of a {@link io.kevo.engine.KevoDB}.
 *
 * <p>{@link io.kevo.server.KevoServer} owns the engine and the gRPC server and is the only public
 * entry point; everything else is package-private. Priorities: never lose or corrupt data because
 * of a request, map every failure to a precise gRPC status in exactly one place ({@link
 * io.kevo.server.StatusMapper}), and never let one client's slow stream grow the server's memory
 * (scans are pulled from the engine only as fast as the client reads).
 *
 * <p>Threading: RPC handlers run many at once; the engine is thread-safe. By default ({@link
 * io.kevo.server.ServerOptions.Dispatch#EVENT_LOOP}) point reads and unsynced point writes run on
 * the Netty event loop that read them and everything else on a pool ({@code CallDispatch}); with
 * {@code POOL} every handler runs on the pool. A transaction is used by one call at a time (its
 * registry entry is the lock), and a scan's callbacks are serialized by gRPC and by the scan's own
 * monitor.
 */
package io.kevo.server;
