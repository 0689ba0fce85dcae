/**
 * {@code kevo-bench replication}: a primary and two replicas, each a child JVM on this machine,
 * against a standalone node in the same run: replicated write throughput, replica visibility lag at
 * half of that throughput, the catch-up rate of a replica far behind, and the bytes the primary
 * sends per entry with and without compression. {@code kevo-bench safety}, on the same nodes: put
 * throughput and latency per acknowledgement level against the standalone node, read-your-writes
 * reads ({@code kevo-min-sequence}) against plain replica reads, and the time a brand-new replica
 * takes to bootstrap from a loaded primary. Reuses the {@code server} benchmark's node ({@link
 * io.kevo.bench.server.ServerNodeCommand}), process handle (a kevo-testkit node process) and
 * asynchronous client loops. {@link io.kevo.bench.replication.NodeFigures} reads a node's typed
 * replication status ({@link io.kevo.wire.ReplicationStatus}).
 *
 * <p>Threading: each command runs on one thread; writers run on the gRPC channels' event loops (and
 * a pacing scheduler), visibility and read-your-writes probes on threads of their own, a
 * bootstrapping replica's output on the node process's reader thread.
 */
package io.kevo.bench.replication;
