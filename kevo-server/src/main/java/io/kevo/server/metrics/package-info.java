/**
 * The node's Prometheus endpoint ({@code kevo server --metrics-listen}): a Micrometer registry in
 * Prometheus naming ({@code kevo_} prefix, base units, {@code _total} counters), served as text at
 * {@code GET /metrics} by the JDK's HTTP server, and the binders that feed it from what the node
 * already counts (RPC calls, the engine's {@code DbStats}, replication status, transactions,
 * authentication denials) plus the JVM's own meters.
 *
 * <p>Priorities: a scrape never blocks or fails the node (a value that cannot be read is {@code
 * NaN}); meters read the node's state when scraped rather than being pushed on every operation,
 * except RPC timings, which are recorded as calls end. Roles change at run time, so replication
 * meters ask the node for its current primary or replica on each read.
 *
 * <p>Threading: every class here is thread-safe; scrapes run on the endpoint's single thread.
 */
package io.kevo.server.metrics;
