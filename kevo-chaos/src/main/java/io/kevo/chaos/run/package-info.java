/**
 * One chaos run from start to verdict: {@link io.kevo.chaos.run.ChaosRun} starts the cluster, runs
 * the workload under the nemeses, heals, waits for the nodes to converge and reads their final
 * state; {@link io.kevo.chaos.run.Judge} streams the history to disk, checks it, applies what the
 * acknowledgement level allows ({@code AckPolicy}) and writes the verdict, summary and timeline.
 * Runs on the caller's thread; every process and proxy it starts is stopped before it returns.
 */
package io.kevo.chaos.run;
