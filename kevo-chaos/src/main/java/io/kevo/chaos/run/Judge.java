package io.kevo.chaos.run;

import io.kevo.chaos.check.CheckOptions;
import io.kevo.chaos.check.CheckResult;
import io.kevo.chaos.check.HistoryChecker;
import io.kevo.chaos.check.Verdict;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.HistoryFile;
import io.kevo.chaos.history.NodeState;
import io.kevo.chaos.history.ShardLayout;
import io.kevo.testkit.KevoDistribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run and its judgement: runs the cluster under faults while streaming the history to {@code
 * history.jsonl}, checks it ({@link HistoryChecker}, then what the acknowledgement level allows,
 * {@link AckPolicy}), and writes the verdict, the summary and the timeline beside it.
 */
public final class Judge {
  private final ChaosOptions options;
  private final KevoDistribution distribution;

  public Judge(ChaosOptions options, KevoDistribution distribution) {
    this.options = options;
    this.distribution = distribution;
  }

  /** The verdict and the summary lines of a run. */
  public record Outcome(ChaosRun.Result result, Verdict verdict, List<String> summary) {}

  public Outcome runAndCheck(List<String> notes) throws IOException, InterruptedException {
    Files.createDirectories(options.out());
    ChaosRun.Result result;
    try (HistoryFile.Writer writer =
        HistoryFile.Writer.create(options.out().resolve("history.jsonl"))) {
      result = new ChaosRun(options, distribution).run(writer::append);
      for (Fault f : result.history().faults()) {
        writer.append(f);
      }
      for (NodeState s : result.history().finalStates()) {
        writer.append(s);
      }
    }
    Verdict verdict = judge(options.ack(), result.history());
    List<String> summary = RunOutput.summary(options, result, verdict, notes);
    RunOutput.write(options, result, verdict, summary, notes);
    return new Outcome(result, verdict, summary);
  }

  /**
   * Checks a history recorded earlier (its {@code history.jsonl}) as a run at this judge's
   * acknowledgement level would: no cluster runs. For re-judging a run after a checker changed, or
   * looking at someone else's history.
   */
  public static Verdict recheck(Path historyFile, String ack) {
    return judge(ack, HistoryFile.read(historyFile));
  }

  /**
   * The checkers on {@code h}, what {@code ack} allows ({@link AckPolicy}), and what the nodes did
   * ({@link NodeFaults}); for a sharded run (its history records its shard maps), per shard and on
   * the merged history ({@link ShardVerdicts}).
   */
  static Verdict judge(String ack, History h) {
    List<ShardLayout.Seen> maps = ShardLayout.seenIn(h.faults());
    if (!maps.isEmpty()) {
      return ShardVerdicts.judge(ack, h, maps);
    }
    CheckOptions checks = CheckOptions.DEFAULT;
    Verdict v = AckPolicy.apply(ack, new HistoryChecker(checks).check(h), h, checks);
    List<CheckResult> results = new ArrayList<>(v.results());
    results.add(NodeFaults.check(h));
    return Verdict.of(v.ops(), results);
  }

  /** Deletes the nodes' data directories of a run, and its ZooKeeper's (their logs stay). */
  public static void deleteData(ChaosOptions o) throws IOException {
    deleteTree(o.out().resolve("data"));
    deleteTree(o.out().resolve("zookeeper"));
  }

  /** Deletes {@code dir} and everything under it, if it exists. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
