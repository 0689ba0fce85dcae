/**
 * {@code kevo-bench failover}: kill -9 rounds of an automatically failing-over cluster (three
 * {@code kevo server} processes of the distribution, coordinated by an embedded ZooKeeper server in
 * the bench JVM) under writers acknowledged at {@code replica:1}. It measures how long writes are
 * unavailable per round, how long the election takes and where that time goes (from the nodes'
 * logs), and whether any acknowledged write was lost.
 *
 * <p>One thread drives the rounds ({@link io.kevo.bench.failover.FailoverCommand}); the writers are
 * threads of their own, each owning its {@link io.kevo.bench.failover.AckLog} until they are
 * stopped; every figure is computed after the run from what they recorded.
 */
package io.kevo.bench.failover;
