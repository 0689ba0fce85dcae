package io.kevo.bench.replication;

import io.kevo.bench.report.Figures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bootstrap phase: a primary loaded with {@code keys} keys, then one brand-new replica per run.
 * Immutable.
 *
 * @param keys keys loaded
 * @param keySize key bytes
 * @param valueSize value bytes (random)
 * @param loadSeconds loading them (BatchWrites)
 * @param compactMs the primary's {@code Compact} (flush and full compaction) afterwards
 * @param primaryLast the primary's last sequence: what each replica must reach
 * @param firstRetained the primary's {@code first_retained_sequence} when the first replica started
 *     (a brand-new replica must bootstrap when it is above 1 and the start of the log is out of the
 *     in-memory tail)
 * @param runs one per replica
 */
record BootstrapResult(
    long keys,
    int keySize,
    int valueSize,
    double loadSeconds,
    double compactMs,
    long primaryLast,
    long firstRetained,
    List<BootstrapRun> runs) {

  BootstrapResult {
    runs = List.copyOf(runs);
  }

  /** The run with the median time to caught up (the lower one of an even count); null for none. */
  BootstrapRun median() {
    return Figures.median(runs, BootstrapRun::caughtUpMs);
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("keys", keys);
    m.put("key_size", keySize);
    m.put("value_size", valueSize);
    m.put("load_seconds", Figures.roundOrNull(loadSeconds, 3));
    m.put("compact_ms", Figures.roundOrNull(compactMs, 1));
    m.put("primary_last_sequence", primaryLast);
    m.put("primary_first_retained_sequence", firstRetained);
    BootstrapRun med = median();
    m.put("median", med == null ? null : med.toJson());
    m.put(
        "caught_up_ms_runs",
        runs.stream().map(r -> Figures.roundOrNull(r.caughtUpMs(), 1)).toList());
    m.put("fetch_install_ms_runs", runs.stream().map(BootstrapRun::fetchInstallMs).toList());
    m.put("runs", runs.stream().map(BootstrapRun::toJson).toList());
    return m;
  }
}
