package io.kevo.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A run-sized history: 100,000 operations of 10 clients over 1,000 keys with overlapping intervals,
 * unknown outcomes, failures and transactions. Linearizable as generated; one read made stale is
 * found and named. Prints the time the check took (a measurement for the report, not an assertion:
 * the timeout is generous).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinearizabilityScaleTest {
  private static final int OPS = 100_000;
  private List<Op> history;

  @BeforeAll
  void generate() {
    history = new RegisterWorkload(10, 1_000, 42).generate(OPS);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void generatedHistoryIsLinearizable() {
    assertThat(history).hasSize(OPS);
    assertThat(history).anyMatch(op -> op.outcome() == Outcome.UNKNOWN && op.writes());
    assertThat(history).anyMatch(op -> op.kind() == Op.Kind.TXN && op.outcome() == Outcome.OK);
    long start = System.nanoTime();
    CheckResult r = new LinearizabilityChecker(CheckOptions.DEFAULT).check(history);
    report("valid", start, r);
    assertThat(r.status()).as("%s", r.anomalies()).isEqualTo(Status.VALID);
    assertThat(r.details()).containsEntry("keys", "1000");
    assertThat(r.opsChecked()).isGreaterThan(OPS * 9 / 10);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void oneStaleReadIsFoundAndNamed() {
    Op stale = staleVersionOfSomeRead();
    List<Op> mutated = new ArrayList<>(history);
    mutated.replaceAll(op -> op.id() == stale.id() ? stale : op);
    long start = System.nanoTime();
    CheckResult r = new LinearizabilityChecker(CheckOptions.DEFAULT).check(mutated);
    report("one stale read", start, r);
    assertThat(r.status()).isEqualTo(Status.INVALID);
    assertThat(r.anomalyCount()).isEqualTo(1);
    Anomaly a = r.anomalies().get(0);
    assertThat(a.key()).isEqualTo(stale.mops().get(0).key());
    assertThat(a.kind()).isEqualTo("stale-read");
    assertThat(a.ops().get(0)).isEqualTo(stale);
    assertThat(a.explanation()).contains("returned " + stale.mops().get(0).value());
  }

  /**
   * An acknowledged GET rewritten to return a value that an acknowledged write had certainly
   * overwritten before the GET began: the value's only write completed before the overwriting write
   * began, which completed before the GET began.
   */
  private Op staleVersionOfSomeRead() {
    for (int i = history.size() / 2; i < history.size(); i++) {
      Op read = history.get(i);
      if (read.kind() != Op.Kind.GET || read.outcome() != Outcome.OK) {
        continue;
      }
      String key = read.mops().get(0).key();
      List<Op> puts =
          history.stream()
              .filter(o -> o.kind() == Op.Kind.PUT && o.outcome() == Outcome.OK)
              .filter(o -> o.mops().get(0).key().equals(key))
              .toList();
      for (Op old : puts) {
        for (Op newer : puts) {
          if (old.completeNanos() < newer.invokeNanos()
              && newer.completeNanos() < read.invokeNanos()
              && !old.mops().get(0).value().equals(read.mops().get(0).value())) {
            return withRead(read, old.mops().get(0).value());
          }
        }
      }
    }
    throw new AssertionError("the workload has no read to make stale");
  }

  private static Op withRead(Op r, String value) {
    return new Op(
        r.id(),
        r.client(),
        r.node(),
        r.target(),
        r.kind(),
        List.of(Mop.read(r.mops().get(0).key(), value)),
        r.invokeNanos(),
        r.completeNanos(),
        r.outcome(),
        r.error(),
        r.sequence(),
        r.epoch(),
        r.minSequence());
  }

  private static void report(String what, long startNanos, CheckResult r) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "linearizability check of %,d ops (%s): %.3f s, %s, %s search steps%n",
        OPS,
        what,
        seconds,
        r.status(),
        r.details().get("searchSteps"));
  }
}
