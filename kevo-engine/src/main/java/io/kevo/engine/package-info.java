/**
 * Kevo's embeddable storage engine: the public API.
 *
 * <p>Priorities, in order: never lose or invent an acknowledged write; report damage clearly
 * instead of guessing; then speed.
 *
 * <p>Entry point: {@link io.kevo.engine.KevoDB#open(java.nio.file.Path, Options)}. Every handle is
 * {@link java.lang.AutoCloseable} with an idempotent {@code close()}. {@link io.kevo.engine.KevoDB}
 * is thread-safe; iterators and cursors are for one thread each. Options and write options are
 * immutable. Failures are one unchecked type, {@link io.kevo.engine.KevoException}, with an {@link
 * io.kevo.engine.ErrorCode}.
 *
 * <p>Durability contract: a write returns after its WAL record reached the OS ({@link
 * io.kevo.engine.SyncMode#NONE}, {@link io.kevo.engine.SyncMode#BATCH}) or stable storage ({@link
 * io.kevo.engine.SyncMode#IMMEDIATE}, or {@link io.kevo.engine.WriteOptions#SYNC}). Concurrent
 * writers are group-committed. Sequence numbers start at 1, are assigned per operation in commit
 * order, and are never reused for an acknowledged write, across segments and restarts.
 *
 * <p>Failures: a write being logged when the log fails gets {@link
 * io.kevo.engine.ErrorCode#OUTCOME_UNKNOWN}; later writes are refused, without being attempted,
 * with {@link io.kevo.engine.ErrorCode#NO_SPACE} after a full disk (the engine resumes by itself
 * once space is freed) or {@link io.kevo.engine.ErrorCode#WRITES_REFUSED} after anything else
 * (reopen). {@link io.kevo.engine.KevoDB#writeRefusal()} says which, and since when. Reads go on.
 *
 * <p>Replication reads the log through {@link io.kevo.engine.WalAccess}; a replica is bootstrapped
 * from a {@link io.kevo.engine.Checkpoint} of its primary, received as a {@link
 * io.kevo.engine.StagedCheckpoint} and installed atomically with {@link
 * io.kevo.engine.KevoDB#replaceWith}.
 */
package io.kevo.engine;
