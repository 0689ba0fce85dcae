package io.kevo.bench.server;

import io.kevo.bench.report.Figures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of every phase on one side: {@code server} (over gRPC) or {@code embedded} (the engine
 * in-process). Immutable.
 *
 * @param side {@code server} or {@code embedded}
 * @param preloadKeys keys loaded before the phases
 * @param loadMs time to load them (batches of 1,000)
 * @param compactMs time of the flush and full compaction after loading
 * @param phases the phases in the order they ran
 * @param peakRssMb the serving process's VmHWM at the end, MiB; -1 if unknown
 */
record SideResult(
    String side,
    long preloadKeys,
    double loadMs,
    double compactMs,
    List<PhaseStats> phases,
    double peakRssMb) {

  SideResult {
    phases = List.copyOf(phases);
  }

  /** The phase of {@code workload} at {@code clients}, or null if it did not run. */
  PhaseStats phase(String workload, int clients) {
    for (PhaseStats p : phases) {
      if (p.workload().equals(workload) && p.clients() == clients) {
        return p;
      }
    }
    return null;
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("side", side);
    m.put("preload_keys", preloadKeys);
    m.put("load_ms", Figures.roundOrNull(loadMs, 1));
    m.put("compact_ms", Figures.roundOrNull(compactMs, 1));
    m.put("peak_rss_mb", Figures.roundOrNull(peakRssMb, 1));
    List<Object> list = new ArrayList<>();
    phases.forEach(p -> list.add(p.toJson()));
    m.put("phases", list);
    return m;
  }
}
