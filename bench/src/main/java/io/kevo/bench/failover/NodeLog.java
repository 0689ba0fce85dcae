package io.kevo.bench.failover;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The coordination events in a {@code kevo server} log: the lines its failover loop writes when its
 * state changes ({@code ... CoordinatedNode - cluster c1: bidding for the leadership: ...}), each
 * with the time its ISO-8601 stamp gives (the distribution's log pattern starts every line with
 * one). Stateless.
 */
final class NodeLog {
  /** What the winner logs when it bids for the leadership, after the grace. */
  static final String BIDDING = "bidding for the leadership";

  /** What the winner logs once it has claimed its epoch and takes writes. */
  static final String PRIMARY = "primary of epoch";

  private NodeLog() {}

  /** One state line: when (wall clock, ms) and what, without the {@code cluster NAME: } prefix. */
  record Event(long wallMillis, String message) {}

  /** The state lines of cluster {@code cluster} in {@code lines}, in order; others are skipped. */
  static List<Event> events(List<String> lines, String cluster) {
    String marker = " - cluster " + cluster + ": ";
    List<Event> out = new ArrayList<>();
    for (String line : lines) {
      int at = line.indexOf(marker);
      int space = line.indexOf(' ');
      if (at < 0 || space < 0) {
        continue;
      }
      try {
        long millis = OffsetDateTime.parse(line.substring(0, space)).toInstant().toEpochMilli();
        out.add(new Event(millis, line.substring(at + marker.length())));
      } catch (DateTimeParseException e) {
        // not a line of the log pattern (a stack trace, a start mark): no time to place it
      }
    }
    return out;
  }

  /** When the first event at or after {@code fromMillis} starting with {@code prefix} was. */
  static OptionalLong first(List<Event> events, long fromMillis, String prefix) {
    for (Event e : events) {
      if (e.wallMillis() >= fromMillis && e.message().startsWith(prefix)) {
        return OptionalLong.of(e.wallMillis());
      }
    }
    return OptionalLong.empty();
  }
}
