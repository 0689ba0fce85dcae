/**
 * The fault-injection harness: real Kevo nodes under a recorded workload while nemeses break them,
 * and checkers that judge what the clients saw. Run as {@code ./kevo-bench chaos} ({@link
 * io.kevo.chaos.ChaosCommand}); a short fixed-seed run is an integration test of every build.
 *
 * <p>Why a module of its own rather than a package of {@code kevo-bench}: it is not a benchmark and
 * does not need RocksDB; the command line's integration tests run it (test scope), which must not
 * pull the benchmarks in; and its checkers are unit-tested on their own. {@code kevo-bench} only
 * registers the command, so that the tools a developer runs by hand stay behind one script.
 *
 * <p>The parts, by package:
 *
 * <ul>
 *   <li>{@code history}: what a run records (operations, fault windows, final states) and its
 *       JSON-lines file;
 *   <li>{@code cluster}: the nodes as {@code kevo server} processes of the distribution, with a
 *       fault-injecting proxy on every link;
 *   <li>{@code workload}: clients issuing raw {@code kevo.KevoService} calls and recording each
 *       operation's invocation, completion and outcome;
 *   <li>{@code nemesis}: the faults, one at a time on a seeded schedule;
 *   <li>{@code check}: the linearizability, lost-write, replica-read and convergence checkers;
 *   <li>{@code report}: the timeline page;
 *   <li>{@code run}: one run start to end, its judgement and its output.
 * </ul>
 *
 * <p>Nothing here is a switch inside the product: faults are made from outside, with signals and
 * proxies, as an operator's bad day would make them.
 */
package io.kevo.chaos;
