package io.kevo.chaos.history;

import java.util.Objects;

/**
 * A fault window of a run: what a nemesis did, to what, from when to when. Recorded beside the
 * operations so that a report can shade the windows and a reader can match anomalies to faults.
 *
 * @param kind the nemesis, e.g. {@code kill}, {@code pause}, {@code partition}, {@code slow},
 *     {@code large-writes}, {@code failover}
 * @param target what it acted on, e.g. a node's name or {@code n1->n2} for a link
 * @param startNanos when it began, nanoseconds since the run began
 * @param endNanos when it was healed, nanoseconds since the run began; at least {@code startNanos}
 * @param detail a short human-readable note (e.g. {@code promoted n2}); may be empty
 */
public record Fault(String kind, String target, long startNanos, long endNanos, String detail) {
  public Fault {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(target, "target");
    detail = detail == null ? "" : detail;
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("a fault ends before it begins");
    }
  }
}
