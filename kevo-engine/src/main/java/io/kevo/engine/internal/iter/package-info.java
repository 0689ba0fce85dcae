/**
 * The read path's iterators. Every source (memtables, SSTables) exposes an {@link
 * io.kevo.engine.internal.iter.InternalIterator} over all its versions in {@link
 * io.kevo.engine.internal.iter.InternalOrder}; a {@link
 * io.kevo.engine.internal.iter.MergingIterator} merges them, newest source first; a {@link
 * io.kevo.engine.internal.iter.UserIterator} turns the merged stream into what a reader at one
 * sequence sees: newest visible version per key, deletes hidden, bounds, prefix and suffix applied.
 *
 * <p>Priorities: correctness in both directions and across direction switches first, then O(log n)
 * seeks instead of scans wherever a scan could be long (reverse steps in the memtable, skipping
 * many versions of one key, prefix iteration).
 *
 * <p>Threading: every iterator here is used by one thread at a time. Sources may be read while
 * their writer appends (the memtable), because entries written later carry sequences above any
 * reader's read sequence.
 */
package io.kevo.engine.internal.iter;
