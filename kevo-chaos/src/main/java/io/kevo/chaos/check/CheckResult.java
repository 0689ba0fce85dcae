package io.kevo.chaos.check;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one checker concluded. Immutable. The anomaly list is bounded: it holds the first {@link
 * CheckOptions#maxAnomalies()} found, while {@code anomalyCount} counts them all.
 *
 * @param checker the checker's name, e.g. {@code linearizability}
 * @param status its conclusion: VALID when it proved its property, INVALID when it found a
 *     violation, UNKNOWN when it could not decide (see each checker's javadoc)
 * @param opsChecked how many operations the checker judged (its own notion, stated in its javadoc)
 * @param anomalyCount how many anomalies it found in all
 * @param anomalies the first of them, at most {@link CheckOptions#maxAnomalies()}
 * @param summary a short phrase for the verdict line, e.g. {@code 0 lost writes}
 * @param details named facts for a report (e.g. {@code digest.n1}), sorted by name; null reads as
 *     empty
 */
public record CheckResult(
    String checker,
    Status status,
    long opsChecked,
    long anomalyCount,
    List<Anomaly> anomalies,
    String summary,
    SortedMap<String, String> details) {
  public CheckResult {
    Objects.requireNonNull(checker, "checker");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(summary, "summary");
    anomalies = List.copyOf(anomalies);
    details = new TreeMap<>(details == null ? Map.of() : details);
    if (anomalyCount < anomalies.size()) {
      throw new IllegalArgumentException("anomalyCount below the anomalies listed");
    }
  }

  /** Whether the checker proved its property. */
  public boolean valid() {
    return status == Status.VALID;
  }
}
