package io.kevo.bench.report;

/**
 * What one timed phase of a workload measured.
 *
 * @param ops operations written (batch members counted one by one)
 * @param threads writer threads
 * @param batchSize operations per engine call; latency samples are per call
 * @param sync whether every write was fsynced
 * @param seconds wall time of the write loop
 * @param opsPerSec {@code ops / seconds}
 * @param samples latency samples (engine calls)
 * @param meanUs mean call latency in microseconds; {@code samples * meanUs} against {@code seconds}
 *     shows how much of the wall time was spent inside the engine
 * @param p50Us median call latency in microseconds
 * @param p99Us 99th percentile call latency in microseconds
 * @param p999Us 99.9th percentile call latency in microseconds
 * @param maxUs slowest call in microseconds
 */
public record PhaseResult(
    long ops,
    int threads,
    int batchSize,
    boolean sync,
    double seconds,
    double opsPerSec,
    long samples,
    double meanUs,
    double p50Us,
    double p99Us,
    double p999Us,
    double maxUs) {

  /** Computes the summary from the elapsed time and the sorted latency samples (nanoseconds). */
  public static PhaseResult of(
      long ops, int threads, int batchSize, boolean sync, long elapsedNanos, long[] sorted) {
    double seconds = elapsedNanos / 1e9;
    return new PhaseResult(
        ops,
        threads,
        batchSize,
        sync,
        seconds,
        seconds > 0 ? ops / seconds : 0,
        sorted.length,
        sorted.length == 0 ? 0 : micros(sum(sorted)) / sorted.length,
        micros(LatencyRecorder.percentile(sorted, 50)),
        micros(LatencyRecorder.percentile(sorted, 99)),
        micros(LatencyRecorder.percentile(sorted, 99.9)),
        micros(sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
  }

  private static long sum(long[] values) {
    long total = 0;
    for (long v : values) {
      total += v;
    }
    return total;
  }

  private static double micros(double nanos) {
    return nanos / 1000.0;
  }
}
