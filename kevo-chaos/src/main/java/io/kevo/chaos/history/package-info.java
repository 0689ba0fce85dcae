/**
 * The record of a chaos run, shared by the harness that writes it and the checkers that read it:
 * operations ({@link io.kevo.chaos.history.Op} with their {@link io.kevo.chaos.history.Mop}s),
 * fault windows ({@link io.kevo.chaos.history.Fault}) and the nodes' final contents ({@link
 * io.kevo.chaos.history.NodeState}), together a {@link io.kevo.chaos.history.History}. Times are
 * nanoseconds since the run began, from one monotonic clock in the harness's JVM. Every type here
 * is an immutable value, safe to share between threads. {@link io.kevo.chaos.history.HistoryFile}
 * stores a history as JSON lines and appends to one while a run goes on.
 */
package io.kevo.chaos.history;
