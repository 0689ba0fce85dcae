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
 * <p>JVM failures: a {@link java.lang.VirtualMachineError} (an {@link java.lang.OutOfMemoryError},
 * say) met in a flush or compaction, the periodic WAL sync, a recovery attempt, a group commit or
 * {@link io.kevo.engine.KevoDB#syncWal()} is a failure of the second kind: writes are refused with
 * {@link io.kevo.engine.ErrorCode#WRITES_REFUSED} until reopened. Before that it is handed to the
 * {@link io.kevo.engine.FatalErrorListener} of {@link io.kevo.engine.Options#fatalErrorListener()},
 * if the application registered one. The engine never ends the process itself (it is a library); a
 * server's listener does, so that its supervisor restarts it and WAL recovery takes over, which is
 * what {@code kevo server} does. An application that registers nothing keeps a handle that reads
 * but refuses writes, and chooses when to reopen. Errors a {@link io.kevo.engine.WalListener}
 * throws on its delivery thread are not the engine's: they end that thread and reach its
 * uncaught-exception handler.
 *
 * <p>Replication reads the log through {@link io.kevo.engine.WalAccess}; a replica is bootstrapped
 * from a {@link io.kevo.engine.Checkpoint} of its primary, received as a {@link
 * io.kevo.engine.StagedCheckpoint} and installed atomically with {@link
 * io.kevo.engine.KevoDB#replaceWith}.
 */
package io.kevo.engine;
