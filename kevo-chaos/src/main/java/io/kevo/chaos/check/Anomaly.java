package io.kevo.chaos.check;

import io.kevo.chaos.history.Op;
import java.util.List;
import java.util.Objects;

/**
 * One thing a checker found wrong, with the operations that show it. Immutable.
 *
 * @param checker the checker that found it, e.g. {@code linearizability}
 * @param kind what went wrong, in kebab case, e.g. {@code stale-read}, {@code lost-write}; each
 *     checker documents its kinds
 * @param key the key it concerns, or null when it concerns no single key (e.g. a node)
 * @param explanation one plain-English paragraph saying what was observed and why it is wrong
 * @param ops the operations that show it, most telling first (each checker says which comes first);
 *     may be empty
 */
public record Anomaly(String checker, String kind, String key, String explanation, List<Op> ops) {
  public Anomaly {
    Objects.requireNonNull(checker, "checker");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(explanation, "explanation");
    ops = List.copyOf(ops);
  }
}
