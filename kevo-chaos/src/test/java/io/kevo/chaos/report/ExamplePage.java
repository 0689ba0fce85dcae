package io.kevo.chaos.report;

import io.kevo.chaos.history.History;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Writes an example page from a synthetic run of 5,000 operations and three fault windows, to look
 * at by eye: {@code java -cp ... io.kevo.chaos.report.ExamplePage /tmp/timeline.html}. Not a test.
 */
final class ExamplePage {
  private ExamplePage() {}

  public static void main(String[] args) throws Exception {
    int ops = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 120;
    History h = SyntheticRun.generate(7, ops, seconds, SyntheticRun.threeFaults());
    TimelinePage.write(
        Path.of(args[0]),
        new TimelineInput(
            "register workload \u2014 3 nodes, kill + pause + slow",
            "INVALID: 2 anomalies (lost acknowledged write; stale read on the primary)",
            h,
            Set.of(1210L, 3777L),
            List.of(
                "seed 7",
                "./kevo-bench chaos --nodes 3 --time-limit 120 --nemesis kill,pause,slow",
                "ack level: replicated (1 replica)",
                "16 clients, 50 keys")));
  }
}
