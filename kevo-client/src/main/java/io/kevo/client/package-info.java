/**
 * The Java client for a Kevo node ({@code kevo.KevoService} over gRPC).
 *
 * <p>Entry point: {@link io.kevo.client.KevoClient#connect(ClientOptions)}. The public API is
 * {@link io.kevo.client.KevoClient}, its options ({@link io.kevo.client.ClientOptions}, {@link
 * io.kevo.client.TlsConfig}, {@link io.kevo.client.ReadPreference}, {@link io.kevo.wire.AckLevel}),
 * the values it takes and returns ({@link io.kevo.client.Op}, {@link io.kevo.client.ScanSpec},
 * {@link io.kevo.client.WriteSpec}, {@link io.kevo.client.TransactionSpec} with {@link
 * io.kevo.client.TransactionMode}, {@link io.kevo.client.WriteResult}, {@link
 * io.kevo.client.KeyValue}, {@link io.kevo.client.Topology}), the handles it opens ({@link
 * io.kevo.client.KevoScan}, {@link io.kevo.client.ClientTransaction}) and one exception type,
 * {@link io.kevo.client.KevoClientException} (with {@link
 * io.kevo.client.ReplicationTimeoutException} for a write committed on the primary whose
 * acknowledgement level was not met, and {@link io.kevo.client.TransactionConflictException} for an
 * aborted transaction). Generated protocol types appear only where the server's answer has no
 * simpler shape (stats and node info).
 *
 * <p>Priorities: a client reads its own writes without being told to (reads on the primary and a
 * read-your-writes session by default; see {@link io.kevo.client.ClientOptions}); never redo a call
 * that is not safe to redo; stream scans rather than buffer them; report the server's status code
 * and message unchanged; send writes and transactions to the primary and reads where {@link
 * io.kevo.client.ReadPreference} says, re-reading the topology rather than failing when a node goes
 * away. Package-private plumbing: {@code NodePool} (one channel per node), {@code TopologyTracker}
 * (what the client knows of the cluster), {@code Seeds} (the nodes it starts from), {@code
 * ZkDiscovery} and {@code ZkEndpoint} (a {@code zk://} endpoint: the cluster's members read and
 * watched in ZooKeeper become the seeds; needs slf4j-api, which Curator and ZooKeeper log through),
 * {@code Router} (which node each attempt goes to, redirects), {@code Retrier} (attempts and
 * backoff), {@code Consistency} (the {@code kevo-*} metadata and the session's sequence), {@code
 * ClientReads} and {@code ClientWrites} (the reads and writes {@code KevoClient} hands on), {@code
 * ClientLog} (SLF4J when the application has it, which kevo-client declares optional). The node
 * info's replication figures are read with {@link io.kevo.wire.ReplicationStatus}. The client is
 * thread-safe; scans and transactions are single-threaded handles.
 */
package io.kevo.client;
