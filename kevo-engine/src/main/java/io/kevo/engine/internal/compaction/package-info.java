/**
 * Flush and leveled compaction, run one job at a time by the {@link
 * io.kevo.engine.internal.compaction.Background} worker: frozen memtables first, then manual
 * compactions, then what the {@code CompactionPicker} chooses (L0 by file count, deeper levels by
 * size against {@code level1MaxBytes * ratio^(n-1)}). {@code VersionFilter} decides which versions
 * survive: the newest per key, older ones only while a snapshot can see them, and tombstones until
 * nothing older can exist below the output.
 */
package io.kevo.engine.internal.compaction;
