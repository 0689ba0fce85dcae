/**
 * Key locks for pessimistic transactions: {@link io.kevo.engine.internal.lock.LockManager} grants
 * exclusive, per-transaction re-entrant locks on keys, makes a transaction wait (up to a timeout)
 * for a key another holds, hands a released key to the longest waiter, and refuses a wait that
 * would close a cycle of waiting transactions (deadlock). Each transaction is represented by a
 * {@link io.kevo.engine.internal.lock.LockOwner}.
 *
 * <p>Threading: all state is guarded by one lock inside the manager, so the wait-for graph is
 * always seen whole; a transaction waits on a condition of its own. Locks live in memory only: they
 * vanish with the process, and {@code close()} wakes every waiter with {@code CLOSED}.
 */
package io.kevo.engine.internal.lock;
