/**
 * The report a person opens after a chaos run: {@link io.kevo.chaos.report.TimelinePage} writes one
 * self-contained HTML page (inline SVG and CSS, no script, no fonts or anything else fetched) with
 * the run's verdict, each operation's latency over time, the fault windows as shaded bands, the
 * throughput per second under them, and tables of the fault windows and of the operations a checker
 * flagged.
 *
 * <p>Priorities, in order: the page must never mislead (every failed, unknown and flagged operation
 * is drawn, and the page says what was left out), must stay small enough to open (a sample of the
 * successful operations past a threshold, text clipped in hover boxes), and must show arbitrary
 * keys, values and error messages verbatim but inert (escaped, control characters made visible).
 * The markup is well-formed XML as well as HTML, so tests can parse it.
 *
 * <p>Everything here is a pure function of its input, without shared state: safe to call from any
 * thread.
 */
package io.kevo.chaos.report;
