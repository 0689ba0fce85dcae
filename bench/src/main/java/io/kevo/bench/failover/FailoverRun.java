package io.kevo.bench.failover;

import io.kevo.bench.report.ProcessCpu;
import io.kevo.client.ClientOptions;
import io.kevo.client.KevoClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One failover run from start to end: the cluster, the writers (one {@link KevoClient} given every
 * node's address, its default options), the rounds, then the read-back from the final primary and
 * each process's CPU time. A round that fails ends the run; what ran until then is still measured.
 * Progress goes to stderr. Stateless.
 */
final class FailoverRun {
  private FailoverRun() {}

  static FailoverOutcome run(Path dir, FailoverParams p) throws IOException, InterruptedException {
    long start = System.nanoTime();
    long benchCpuStart = ProcessCpu.self().map(ProcessCpu.Sample::totalNanos).orElse(0L);
    try (FailoverCluster cluster = FailoverCluster.start(dir, p)) {
      Member first = cluster.awaitStable(p.timeout());
      double firstElectionMs = (System.nanoTime() - start) / 1e6;
      System.err.printf(
          Locale.ROOT,
          "%d nodes on %s; %s primary after %.1f s%n",
          p.nodes(),
          String.join(", ", cluster.addresses()),
          first.id(),
          firstElectionMs / 1e3);
      List<RoundObservation> seen = new ArrayList<>();
      String error = null;
      SwitchoverDriver.Observation switchover = null;
      Writers writers;
      try (KevoClient client =
          KevoClient.connect(ClientOptions.builder().endpoints(cluster.addresses()).build())) {
        writers = new Writers(client, p.writers(), p.valueSize()).start();
        RoundDriver driver = new RoundDriver(cluster, writers, p);
        try {
          for (int r = 1; r <= p.rounds(); r++) {
            RoundObservation o = driver.run(r);
            seen.add(o);
            progress(o, writers);
          }
          // The planned switchover, under the same writers.
          switchover = new SwitchoverDriver(cluster, writers, p).run();
          System.err.printf(
              Locale.ROOT,
              "switchover: %s -> %s (epoch %d) in %.0f ms%n",
              switchover.from(),
              switchover.to(),
              switchover.newEpoch(),
              switchover.doneMs());
        } catch (RuntimeException e) {
          error =
              (seen.size() < p.rounds() ? "round " + (seen.size() + 1) : "switchover")
                  + ": "
                  + e.getMessage();
          System.err.println("FAILED " + error);
        } finally {
          writers.stop();
        }
      }
      AckTimeline timeline = AckTimeline.merge(writers.logs());
      Double switchoverPause = null;
      if (switchover != null) {
        switchoverPause =
            timeline
                .gap(switchover.requestNanos(), switchover.oldEpoch())
                .map(AckTimeline.Gap::unavailableMs)
                .orElse(null);
      }
      List<RoundResult> rounds = new ArrayList<>();
      for (RoundObservation o : seen) {
        Member winner = member(cluster, o.newPrimary());
        rounds.add(
            RoundResult.of(
                o, timeline, NodeLog.events(winner.logLines(), FailoverCluster.CLUSTER)));
      }
      ReadBack.Result readBack = null;
      String finalPrimary = null;
      try {
        Member last = cluster.awaitStable(p.timeout());
        finalPrimary = last.id();
        readBack = ReadBack.from(last.address(), writers.logs(), p.valueSize());
      } catch (RuntimeException e) {
        error = (error == null ? "" : error + "; ") + "read-back: " + e.getMessage();
        System.err.println("FAILED read-back: " + e.getMessage());
      }
      Map<String, Double> cpu = new LinkedHashMap<>();
      for (Member m : cluster.members()) {
        cpu.put(m.id(), m.cpuNanos() / 1e9);
      }
      long benchCpu = ProcessCpu.self().map(ProcessCpu.Sample::totalNanos).orElse(0L);
      cpu.put("bench", (benchCpu - benchCpuStart) / 1e9);
      return new FailoverOutcome(
          rounds,
          error,
          firstElectionMs,
          writers.acknowledged(),
          writers.failures(),
          readBack,
          finalPrimary,
          cpu,
          (System.nanoTime() - start) / 1e9,
          switchover,
          switchoverPause);
    }
  }

  private static Member member(FailoverCluster c, String id) {
    return c.members().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
  }

  private static void progress(RoundObservation o, Writers w) {
    System.err.printf(
        Locale.ROOT,
        "round %d: killed %s (epoch %d); session expired at %.2f s, %s primary (epoch %d) seen at"
            + " %.2f s; rejoined in %.1f s; %,d writes acknowledged so far%n",
        o.round(),
        o.killed(),
        o.oldEpoch(),
        o.sessionExpiredMs() / 1e3,
        o.newPrimary(),
        o.newEpoch(),
        o.electedMs() / 1e3,
        o.rejoinMs() / 1e3,
        w.acknowledged());
  }
}
