/**
 * The {@code server} command: a load generator speaking {@code kevo.KevoService} over gRPC to a
 * node (one started in a child JVM by the hidden {@code server-node} subcommand, or any {@code
 * --target}), and the same workloads on the embedded engine in another child JVM (hidden {@code
 * server-embedded}), so that the report shows what the network layer costs per workload in
 * throughput and CPU.
 *
 * <p>Clients are either asynchronous loops with one call in flight each ({@link
 * io.kevo.bench.server.ClientLoops}), run on the channels' event loops so that 64 outstanding
 * requests do not need 64 threads on two cores, or blocking threads. Not thread-safe as a whole;
 * commands run once per process. Callers and tallies belong to one client each.
 */
package io.kevo.bench.server;
