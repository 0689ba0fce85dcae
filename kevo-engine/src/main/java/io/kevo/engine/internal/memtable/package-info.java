/**
 * Memtables: every version written since the last flush, in a single-writer, lock-free-reader
 * skiplist ordered by (key ascending, sequence descending). Keys and values live in arena chunks
 * that the garbage collector never copies; nodes carry the first eight key bytes so that most
 * comparisons touch no array. The write leader is the only inserter; readers filter by read
 * sequence.
 */
package io.kevo.engine.internal.memtable;
