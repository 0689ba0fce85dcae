package io.kevo.chaos.report;

import io.kevo.chaos.history.Fault;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A colour per fault kind: fixed ones for the harness's nemeses, so pages of different runs agree,
 * then a spare palette for other kinds in name order. Bands are drawn pale, so these may be strong;
 * none is the red of the flagged-operation ring.
 */
final class FaultColors {
  private static final Map<String, String> KNOWN =
      Map.ofEntries(
          Map.entry("kill", "#8c564b"),
          Map.entry("pause", "#7f7f7f"),
          Map.entry("partition", "#17becf"),
          Map.entry("slow", "#bcbd22"),
          Map.entry("large-writes", "#2ca02c"),
          Map.entry("failover", "#9467bd"),
          Map.entry("zk-restart", "#ff7f0e"),
          Map.entry("zk-cut", "#aec7e8"),
          Map.entry("session-expire", "#393b79"),
          Map.entry("elected", "#000000"),
          Map.entry("split-kill", "#8c6d31"),
          Map.entry("shard-zk-cut", "#6b6ecf"),
          Map.entry("shard-map", "#637939"));

  private static final List<String> SPARE =
      List.of("#e377c2", "#1f77b4", "#ff9896", "#98df8a", "#c5b0d5", "#c49c94", "#dbdb8d");

  private static final String LAST_RESORT = "#555555";

  private final Map<String, String> byKind = new LinkedHashMap<>();

  FaultColors(List<Fault> faults) {
    TreeSet<String> kinds = new TreeSet<>();
    faults.forEach(f -> kinds.add(f.kind()));
    int spare = 0;
    for (String kind : kinds) {
      String known = KNOWN.get(kind);
      if (known != null) {
        byKind.put(kind, known);
      } else {
        byKind.put(kind, spare < SPARE.size() ? SPARE.get(spare++) : LAST_RESORT);
      }
    }
  }

  String of(String kind) {
    return byKind.getOrDefault(kind, LAST_RESORT);
  }

  /** Every kind of the run, in name order, with its colour. */
  Map<String, String> all() {
    return byKind;
  }
}
