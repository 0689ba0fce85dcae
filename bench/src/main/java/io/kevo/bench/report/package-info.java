/**
 * The one shape every benchmark reports in ({@link io.kevo.bench.report.BenchReport}: how it ran,
 * its result sections, its judged {@link io.kevo.bench.report.Bar bars}), and what a report is made
 * of: the measured figures of a side ({@link io.kevo.bench.report.Outcome}, {@link
 * io.kevo.bench.report.RunResult}, {@link io.kevo.bench.report.PhaseResult}), latencies ({@link
 * io.kevo.bench.report.LatencyRecorder} exact, {@link io.kevo.bench.report.LatencyHistogram}
 * bucketed), process figures read from Linux's {@code /proc} ({@link io.kevo.bench.report.PeakRss},
 * {@link io.kevo.bench.report.ProcessCpu}), the machine ({@link io.kevo.bench.report.MachineInfo}),
 * and how they are rounded ({@link io.kevo.bench.report.Figures}), printed ({@link
 * io.kevo.bench.report.Table}) and written as JSON through Jackson ({@link
 * io.kevo.bench.report.Json}). Values are immutable; recorders are single-threaded and merged at
 * the end.
 */
package io.kevo.bench.report;
