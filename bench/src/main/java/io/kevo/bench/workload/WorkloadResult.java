package io.kevo.bench.workload;

import io.kevo.bench.adapter.WriteCounters;
import io.kevo.bench.report.PhaseResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one workload run gave.
 *
 * @param phase the timed phase
 * @param writeAmp write-amplification counters over the workload's writes, read once the engine
 *     settled (see {@link io.kevo.bench.adapter.EngineAdapter#awaitQuiescent}), or {@code null} for
 *     a read-only workload
 * @param details workload counters: keys loaded, load and preparation time, keys found…
 */
public record WorkloadResult(PhaseResult phase, WriteCounters writeAmp, Map<String, Long> details) {
  public WorkloadResult {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }
}
