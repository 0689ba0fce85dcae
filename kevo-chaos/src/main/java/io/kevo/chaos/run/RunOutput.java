package io.kevo.chaos.run;

import io.kevo.chaos.check.Anomaly;
import io.kevo.chaos.check.CheckResult;
import io.kevo.chaos.check.Status;
import io.kevo.chaos.check.Verdict;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.ShardLayout;
import io.kevo.chaos.report.TimelineInput;
import io.kevo.chaos.report.TimelinePage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a run leaves in its output directory besides the history ({@code history.jsonl}): {@code
 * verdict.json}, {@code summary.txt} (what the command prints) and {@code timeline.html}.
 */
public final class RunOutput {
  private RunOutput() {}

  /** The lines a person reads first: verdict, seed, counts, first anomaly, where the files are. */
  public static List<String> summary(
      ChaosOptions o, ChaosRun.Result result, Verdict verdict, List<String> notes) {
    History h = result.history();
    List<String> lines = new ArrayList<>();
    lines.add(verdict.summary());
    lines.addAll(notes);
    Map<String, Integer> outcomes = new TreeMap<>();
    for (Op op : h.ops()) {
      outcomes.merge(op.outcome().name().toLowerCase(), 1, Integer::sum);
    }
    lines.add("operations: " + h.ops().size() + " " + outcomes);
    lines.add(
        "faults: "
            + faultWindows(h)
            + (result.nemesisFailures() > 0
                ? " ("
                    + result.nemesisFailures()
                    + " nemesis steps failed, last: "
                    + result.lastNemesisFailure()
                    + ")"
                : ""));
    ShardLayout.last(h.faults())
        .ifPresent(
            m ->
                lines.add(
                    "shard map at the end: "
                        + m.text()
                        + " ("
                        + ShardLayout.seenIn(h.faults()).size()
                        + " maps seen)"));
    lines.add(
        "converged: "
            + (result.converged() == null
                ? "no, within the bound"
                : result.converged().toMillis() + " ms after the load stopped"));
    for (CheckResult r : verdict.results()) {
      lines.add(r.checker() + ": " + r.status() + ", " + r.summary());
    }
    verdict.results().stream()
        .filter(r -> r.status() != Status.VALID)
        .flatMap(r -> r.anomalies().stream())
        .findFirst()
        .ifPresent(
            a -> {
              lines.add(
                  "first anomaly (" + a.checker() + ", " + a.kind() + ", key " + a.key() + "):");
              lines.add("  " + a.explanation());
              for (Op op : a.ops()) {
                lines.add("  " + op);
              }
            });
    lines.add("output: " + o.out().toAbsolutePath());
    return lines;
  }

  /** Each fault kind with its count and total time, e.g. {@code kill 3 (27 s), pause 1 (4 s)}. */
  static String faultWindows(History h) {
    Map<String, long[]> byKind = new TreeMap<>(); // count, nanos
    for (Fault f : h.faults()) {
      long[] c = byKind.computeIfAbsent(f.kind(), k -> new long[2]);
      c[0]++;
      c[1] += f.endNanos() - f.startNanos();
    }
    StringBuilder b = new StringBuilder();
    byKind.forEach(
        (kind, c) ->
            b.append(b.length() == 0 ? "" : ", ")
                .append(kind)
                .append(' ')
                .append(c[0])
                .append(" (")
                .append(c[1] / 1_000_000_000L)
                .append(" s)"));
    return b.length() == 0 ? "none" : b.toString();
  }

  /** Writes verdict.json, summary.txt and timeline.html. */
  public static void write(
      ChaosOptions o,
      ChaosRun.Result result,
      Verdict verdict,
      List<String> summary,
      List<String> notes)
      throws IOException {
    Files.writeString(o.out().resolve("verdict.json"), verdict.toJson(), StandardCharsets.UTF_8);
    Files.write(o.out().resolve("summary.txt"), summary, StandardCharsets.UTF_8);
    Set<Long> flagged = new HashSet<>();
    for (CheckResult r : verdict.results()) {
      for (Anomaly a : r.anomalies()) {
        for (Op op : a.ops()) {
          flagged.add(op.id());
        }
      }
    }
    TimelinePage.write(
        o.out().resolve("timeline.html"),
        new TimelineInput(
            "Kevo chaos run, seed " + o.seed(),
            verdict.summary(),
            result.history(),
            flagged,
            notes));
  }
}
