/**
 * The faults a chaos run injects, one at a time on a seeded schedule ({@link
 * io.kevo.chaos.nemesis.NemesisSchedule}): {@code kill} (SIGKILL and restart), {@code pause}
 * (SIGSTOP/SIGCONT), {@code partition} (a node isolated, or the primary cut off from its replicas;
 * black hole or reset), {@code slow} (throttled links), {@code large-writes} (10 MiB atomic batches
 * and 4 MiB values) and {@code failover} (SIGKILL of the primary, {@code kevo promote} of the
 * replica furthest ahead, {@code kevo repoint} of the others, the old primary back as a replica);
 * with a coordinator, {@code zk-restart}, {@code zk-cut} and {@code session-expire}; in a sharded
 * cluster, {@code split-kill} (an online split with the source shard's primary killed during it)
 * and {@code shard-zk-cut} (every node of a shard cut off from ZooKeeper). {@link
 * io.kevo.chaos.nemesis.Nemeses} says which cluster each needs. Each records its fault window in
 * the history. A nemesis heals what it broke before it returns, so faults never overlap; the run
 * heals everything once more before it checks.
 */
package io.kevo.chaos.nemesis;
