/**
 * Checkers that judge a recorded chaos run ({@link io.kevo.chaos.history.History}) and say, with
 * evidence a person can follow, whether the store kept its promises.
 *
 * <h2>The model</h2>
 *
 * Each key is an independent register whose state is "absent" or a string. Operations act on it
 * through their micro-operations in order: a read must see the register's current state (after the
 * operation's own earlier writes), a put sets it, a delete makes it absent. A transaction reads two
 * keys and then writes both, as one atomic step. Values are unique per write in a run, so a value
 * read names the write that produced it. Outcomes: an OK operation took effect once, at some
 * instant between its invocation and its completion; a FAIL operation never took effect; an UNKNOWN
 * one took effect at some instant after its invocation, or never, and its reads tell nothing.
 *
 * <h2>What each checker proves, and what it does not</h2>
 *
 * <ul>
 *   <li>{@link io.kevo.chaos.check.LinearizabilityChecker}: the given operations (the harness
 *       passes those sent to the primary) are linearizable per key. It splits the history by key
 *       and checks each key alone, which is sound and complete for single-key operations because
 *       linearizability is compositional (Herlihy and Wing 1990; the P-compositionality that
 *       Porcupine, Anish Athalye's checker, exploits). Per key it runs Wing and Gong's backtracking
 *       search (Wing and Gong 1993) with the memoisation of explored configurations that Lowe
 *       describes (Lowe 2017, "Testing for linearizability"), plus a reduction for reads (see
 *       {@code WingGongSearch}). A transaction is checked as an atomic read-modify-write of each of
 *       its keys separately, so a violation of its atomicity across keys (one transaction seeing
 *       half of another) is out of its sight. A key whose search exceeds its step budget is
 *       reported UNKNOWN, never VALID.
 *   <li>{@link io.kevo.chaos.check.LostWriteChecker}: against the primary's final state after
 *       healing, no acknowledged write was lost (each final value comes from a write that no
 *       acknowledged write followed) and no final value came from a failed write or from nowhere.
 *       It cannot see a write lost and then overwritten before the end.
 *   <li>{@link io.kevo.chaos.check.ReplicaReadChecker}: replica reads return written values, honour
 *       their read-your-writes tokens and are monotonic per client and key, ordering writes by
 *       their commit sequences; it reports sequences reused or going back (symptoms of lost writes
 *       after a failover) and never orders writes by such sequences. It does not bound how far a
 *       replica lags.
 *   <li>{@link io.kevo.chaos.check.ConvergenceChecker}: after healing every node holds the
 *       primary's data and last sequence (SHA-256 digests per node). It says nothing about whether
 *       that common state is right.
 * </ul>
 *
 * {@link io.kevo.chaos.check.HistoryChecker} runs them all and combines their {@link
 * io.kevo.chaos.check.CheckResult}s into a {@link io.kevo.chaos.check.Verdict} with a one-line
 * summary; results list a bounded number of {@link io.kevo.chaos.check.Anomaly anomalies} and count
 * them all. A verdict is VALID only if every checker proved its property: UNKNOWN (a search out of
 * budget, a final state not read) never passes.
 *
 * <h2>Threading</h2>
 *
 * Checkers are stateless apart from their immutable {@link io.kevo.chaos.check.CheckOptions}, so
 * one instance may check many histories from many threads; each {@code check} call runs on its
 * caller's thread. Results are immutable values.
 */
package io.kevo.chaos.check;
