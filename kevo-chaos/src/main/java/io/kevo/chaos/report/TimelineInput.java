package io.kevo.chaos.report;

import io.kevo.chaos.history.History;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the timeline page shows. Immutable; collections are copied.
 *
 * @param title the page's heading, e.g. the run's name
 * @param verdictLine the checkers' verdict in one line; shown green when it starts with {@code
 *     VALID}, red when it starts with {@code INVALID}, amber otherwise
 * @param history the run's record
 * @param anomalyOpIds ids of the operations the checkers flagged; drawn ringed and listed in full.
 *     Null is read as none
 * @param notes short lines shown under the verdict (the seed, the command line, the nemeses, the
 *     ack level); null is read as none
 */
public record TimelineInput(
    String title, String verdictLine, History history, Set<Long> anomalyOpIds, List<String> notes) {
  public TimelineInput {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(verdictLine, "verdictLine");
    Objects.requireNonNull(history, "history");
    anomalyOpIds = anomalyOpIds == null ? Set.of() : Set.copyOf(anomalyOpIds);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }
}
