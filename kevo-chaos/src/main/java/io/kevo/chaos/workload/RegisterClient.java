package io.kevo.chaos.workload;

import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One logical client of the register workload: runs operations one at a time until told to stop,
 * each on a random key. Mix: 30% puts, 45% gets (to the primary, or to a replica with the client's
 * read-your-writes token), 5% deletes, 20% transactions reading and writing two keys. Every value
 * it writes is new in the run.
 *
 * <p>Its session: the token is the highest sequence it has seen, from its own acknowledged writes
 * and from the visible sequence its replica reads reported, so a replica read never has to see less
 * than an earlier one did.
 */
final class RegisterClient implements Runnable {
  private final int id;
  private final OpRunner runner;
  private final Topology topology;
  private final WorkloadSpec spec;
  private final SplittableRandom random;
  private final BooleanSupplier running;
  private long written;
  private long token;

  RegisterClient(
      int id,
      OpRunner runner,
      Topology topology,
      WorkloadSpec spec,
      long seed,
      BooleanSupplier running) {
    this.id = id;
    this.runner = runner;
    this.topology = topology;
    this.spec = spec;
    this.random = new SplittableRandom(seed);
    this.running = running;
  }

  @Override
  public void run() {
    while (running.getAsBoolean()) {
      Op op = next();
      pause(op.outcome() == Outcome.OK ? spec.think().toMillis() : spec.backoff().toMillis());
    }
  }

  private Op next() {
    int dice = random.nextInt(100);
    String key = key();
    if (dice < 30) {
      return wrote(runner.put(id, primary(), key, value()));
    }
    if (dice < 75) {
      List<String> replicas = topology.replicas();
      if (!replicas.isEmpty() && random.nextDouble() < spec.replicaReads()) {
        String node = replicas.get(random.nextInt(replicas.size()));
        Op op =
            runner.get(
                id,
                new OpRunner.Target(node, topology.address(node), Op.Target.REPLICA),
                key,
                token);
        if (op.outcome() == Outcome.OK) {
          token = Math.max(token, op.sequence());
        }
        return op;
      }
      // A token (at least 1) makes the primary report the sequence and epoch it read at, which
      // tells whether the read saw a branch of the log that a failover later discarded.
      return runner.get(id, primary(), key, Math.max(1, token));
    }
    if (dice < 80) {
      return wrote(runner.delete(id, primary(), key));
    }
    String other = key();
    while (other.equals(key)) {
      other = key();
    }
    String v2 = random.nextInt(10) == 0 ? null : value();
    return wrote(runner.txn(id, primary(), key, other, value(), v2));
  }

  private Op wrote(Op op) {
    if (op.outcome() == Outcome.OK) {
      token = Math.max(token, op.sequence());
    }
    return op;
  }

  private OpRunner.Target primary() {
    String p = topology.primary();
    return new OpRunner.Target(p, topology.address(p), Op.Target.PRIMARY);
  }

  private String key() {
    return String.format("k%03d", random.nextInt(spec.keys()));
  }

  private String value() {
    return Values.name(id, ++written);
  }

  private static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
