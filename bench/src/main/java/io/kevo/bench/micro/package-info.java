/**
 * JMH micro-benchmarks of the engine's hot inner parts, through their public seams: memtable
 * (skiplist) insert, a point lookup in a table whose blocks are cached (index and data block seek),
 * and the WAL operation codec. Run by {@code ./kevo-bench micro} ({@link
 * io.kevo.bench.micro.MicroCommand}), short by default. Each benchmark's state is per thread.
 */
package io.kevo.bench.micro;
