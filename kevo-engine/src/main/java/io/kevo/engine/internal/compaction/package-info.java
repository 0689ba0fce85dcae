/**
 * Flush and leveled compaction, run one job at a time by the {@link
 * io.kevo.engine.internal.compaction.Background} worker: frozen memtables first, then manual
 * compactions, then what the {@code CompactionPicker} chooses (L0 by file count, deeper levels by
 * size against {@code level1MaxBytes * ratio^(n-1)}). {@code VersionFilter} decides which versions
 * survive: the newest per key, older ones only while a snapshot can see them, and tombstones until
 * nothing older can exist below the output.
 *
 * <p>Classes: {@code CompactionPicker} (the policy) plans a {@code Compaction} (inputs, the
 * overlapping files of the output level, and whether it is a trivial move — a lone file relisted
 * one level down); {@code Jobs} runs a flush or a compaction as a function ending in one manifest
 * edit; {@code TableSink} writes its output tables; {@code VersionFilter} drops what no reader can
 * see.
 *
 * <p>Threading: everything here except {@code Background}'s public methods runs on its single
 * worker thread, so the picker's round-robin cursors, the sink and the filter need no locks. The
 * engine calls {@code Background} from any thread to schedule work, ask for a manual compaction (a
 * future the worker completes), read its counters or stop it; stopping never interrupts a thread
 * that may be writing files.
 */
package io.kevo.engine.internal.compaction;
