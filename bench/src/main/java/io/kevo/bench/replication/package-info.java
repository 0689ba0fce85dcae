/**
 * {@code kevo-bench replication}: a primary and two replicas, each a child JVM on this machine,
 * against a standalone node in the same run: replicated write throughput, replica visibility lag at
 * half of that throughput, the catch-up rate of a replica far behind, and the bytes the primary
 * sends per entry with and without compression. Reuses the {@code server} benchmark's node ({@link
 * io.kevo.bench.server.ServerNodeCommand}), process handle and asynchronous client loops.
 *
 * <p>Threading: the command runs on one thread; writers run on the gRPC channels' event loops (and
 * a pacing scheduler), visibility probes on threads of their own.
 */
package io.kevo.bench.replication;
