/**
 * A chaos run's cluster: a primary and replicas as {@code kevo server} processes of the packaged
 * distribution on 127.0.0.1 ({@link io.kevo.testkit.NodeProcess}), each behind a {@link
 * io.kevo.testkit.TcpProxy} for its clients, with one more proxy per replication link. The proxies
 * are the cluster's addresses: a node advertises its client proxy, replicas follow their primary
 * through a link proxy, so a partition or a slow link is a proxy's mode. Nodes keep their ports
 * across restarts. The cluster is the only thing that moves the primary role ({@code kevo promote},
 * {@code kevo repoint}), so it always knows where writes go; with a coordinator the nodes elect and
 * the harness watches ({@link io.kevo.chaos.cluster.PrimaryTracker}). A sharded cluster runs a
 * replication group per shard and the harness follows its shard map ({@link
 * io.kevo.chaos.cluster.ShardMapFollower}), by which clients route keys. Thread-safe.
 */
package io.kevo.chaos.cluster;
