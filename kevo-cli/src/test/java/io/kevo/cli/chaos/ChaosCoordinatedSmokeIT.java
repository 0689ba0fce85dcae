package io.kevo.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.check.CheckOptions;
import io.kevo.chaos.check.HistoryChecker;
import io.kevo.chaos.check.Status;
import io.kevo.chaos.check.Verdict;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import io.kevo.chaos.run.ChaosOptions;
import io.kevo.chaos.run.ChaosRun;
import io.kevo.chaos.run.Judge;
import io.kevo.testkit.KevoDistribution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The harness's coordinated mode on every change: three real nodes of the packaged distribution
 * that elect their primary through a ZooKeeper the harness runs, a short fixed-seed run of the
 * coordinator's faults (ZooKeeper restarted, a node cut off from it, a session expired) and of kill
 * -9, which the cluster must fail over by itself, at {@code replica:1}, checked. Its output
 * directory ({@code target/chaos-coordinated-smoke}) holds the history, the verdict, the timeline
 * and the nodes' logs.
 *
 * <p>One known server defect is set aside, exactly, and only it (see docs/RELIABILITY.md,
 * "Automatic failover (issue 17)"): a deposed primary that has not noticed yet (woken from a pause,
 * or cut off from ZooKeeper) answers a {@code Get} whose {@code kevo-min-sequence} is above its
 * last sequence at once, at its last sequence, in its old epoch; or meets the token by number on
 * the branch the new epoch discarded. Such reads are removed and the rest of the history must be
 * valid in every checker; the test prints how many there were. When the server refuses those reads,
 * none is removed and the run's own verdict must be valid as well.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ChaosCoordinatedSmokeIT {
  private static final long SEED = 20261217;
  private static final List<String> NEMESES =
      List.of("kill", "zk-restart", "zk-cut", "session-expire");

  @Test
  void theCoordinatorsFaultsAndAutomaticFailoversLeaveAValidHistory() throws Exception {
    Path out = Path.of("target", "chaos-coordinated-smoke");
    Files.createDirectories(out);
    ChaosOptions options =
        new ChaosOptions(
            3,
            NEMESES,
            Duration.ofSeconds(45),
            SEED,
            "replica:1",
            out,
            6,
            20,
            Duration.ofSeconds(3),
            List.of("-Xmx384m"),
            "batch",
            true);
    Judge.Outcome outcome = new Judge(options, KevoDistribution.locate()).runAndCheck(List.of());
    String summary = String.join("\n", outcome.summary());
    System.out.println(summary);

    History history = outcome.result().history();
    Set<Long> deposedBelowToken = readsOfADeposedPrimary(history.ops());
    System.out.println(
        "replica reads a deposed primary answered (known defect, set aside): "
            + deposedBelowToken.size());
    if (deposedBelowToken.isEmpty()) {
      assertThat(outcome.verdict().status()).as(summary).isEqualTo(Status.VALID);
    }
    Verdict rest =
        new HistoryChecker(CheckOptions.DEFAULT)
            .check(
                new History(
                    history.ops().stream()
                        .filter(op -> !deposedBelowToken.contains(op.id()))
                        .toList(),
                    history.faults(),
                    history.finalStates()));
    assertThat(rest.status()).as(rest.summary() + "\n" + summary).isEqualTo(Status.VALID);

    List<Fault> faults = history.faults();
    assertThat(faults)
        .extracting(Fault::kind)
        .as("every nemesis ran once, and no node exited by itself")
        .containsAll(NEMESES)
        .doesNotContain("crash", "unrecoverable");
    assertThat(faults.stream().filter(f -> f.kind().equals(ChaosRun.ELECTED)).count())
        .as("the first election and at least one automatic failover")
        .isGreaterThanOrEqualTo(2);
    assertThat(history.ops().stream().filter(op -> op.outcome() == Outcome.OK).count())
        .as("operations that succeeded")
        .isGreaterThan(500);
    assertThat(
            history.ops().stream()
                .filter(op -> op.outcome() == Outcome.OK && op.writes())
                .map(Op::epoch)
                .distinct())
        .as("writes acknowledged in more than one epoch")
        .hasSizeGreaterThan(1);
  }

  /**
   * The replica reads a deposed primary answered: in an epoch older than that of a write
   * acknowledged before the read began, and either below their own token, or at a sequence that a
   * newer epoch (up to that one) began at or below, so on the branch it discarded. An epoch's first
   * sequence is the lowest its acknowledged writes used.
   */
  static Set<Long> readsOfADeposedPrimary(List<Op> ops) {
    TreeMap<Long, Long> newestEpochBy = new TreeMap<>(); // completion time -> highest epoch so far
    TreeMap<Long, Long> epochStart = new TreeMap<>();
    long newest = 0;
    for (Op w :
        ops.stream()
            .filter(op -> op.outcome() == Outcome.OK && op.writes() && op.epoch() > 0)
            .sorted(Comparator.comparingLong(Op::completeNanos))
            .toList()) {
      newest = Math.max(newest, w.epoch());
      newestEpochBy.put(w.completeNanos(), newest);
      long writes = w.mops().stream().filter(m -> m.isWrite()).count();
      epochStart.merge(w.epoch(), w.sequence() - writes + 1, Math::min);
    }
    return ops.stream()
        .filter(
            op -> {
              if (op.target() != Op.Target.REPLICA
                  || op.outcome() != Outcome.OK
                  || op.minSequence() <= 0) {
                return false;
              }
              var before = newestEpochBy.floorEntry(op.invokeNanos());
              if (before == null || op.epoch() >= before.getValue()) {
                return false;
              }
              return op.sequence() < op.minSequence()
                  || epochStart.subMap(op.epoch(), false, before.getValue(), true).values().stream()
                      .anyMatch(start -> start <= op.sequence());
            })
        .map(Op::id)
        .collect(Collectors.toSet());
  }
}
