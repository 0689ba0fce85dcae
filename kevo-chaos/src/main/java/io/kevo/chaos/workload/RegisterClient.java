package io.kevo.chaos.workload;

import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * than an earlier one did. Sequences compare only within a replication group, so in a sharded
 * cluster it keeps a token per group (shard), and routes each key to its group's nodes; a
 * transaction's second key is drawn from the first's group (a transaction spans one shard). While a
 * key's group has no known primary, it waits instead of sending.
 */
final class RegisterClient implements Runnable {
  private final int id;
  private final OpRunner runner;
  private final Topology topology;
  private final WorkloadSpec spec;
  private final SplittableRandom random;
  private final BooleanSupplier running;
  private long written;
  private final Map<String, Long> tokens = new HashMap<>(); // group -> token

  /** How many draws a transaction's second key gets to fall in the first key's group. */
  private static final int SAME_GROUP_TRIES = 100;

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
      boolean ok = op != null && op.outcome() == Outcome.OK;
      pause(ok ? spec.think().toMillis() : spec.backoff().toMillis());
    }
  }

  /** The next operation, run and recorded; null if its key's group has no known primary. */
  private Op next() {
    int dice = random.nextInt(100);
    String key = key();
    String group = topology.groupOf(key);
    OpRunner.Target primary = primary(key);
    if (primary == null) {
      return null;
    }
    long token = tokens.getOrDefault(group, 0L);
    if (dice < 30) {
      return wrote(group, runner.put(id, primary, key, value()));
    }
    if (dice < 75) {
      List<String> replicas = topology.replicasFor(key);
      if (!replicas.isEmpty() && random.nextDouble() < spec.replicaReads()) {
        String node = replicas.get(random.nextInt(replicas.size()));
        Op op =
            runner.get(
                id,
                new OpRunner.Target(node, topology.address(node), Op.Target.REPLICA),
                key,
                token);
        if (op.outcome() == Outcome.OK) {
          tokens.merge(group, op.sequence(), Math::max);
        }
        return op;
      }
      // A token (at least 1) makes the primary report the sequence and epoch it read at, which
      // tells whether the read saw a branch of the log that a failover later discarded.
      return runner.get(id, primary, key, Math.max(1, token));
    }
    if (dice < 80) {
      return wrote(group, runner.delete(id, primary, key));
    }
    String other = key();
    for (int tries = 0;
        other.equals(key) || !topology.groupOf(other).equals(group);
        tries++, other = key()) {
      if (tries == SAME_GROUP_TRIES) {
        // The group holds this key alone: a put instead.
        return wrote(group, runner.put(id, primary, key, value()));
      }
    }
    String v2 = random.nextInt(10) == 0 ? null : value();
    return wrote(group, runner.txn(id, primary, key, other, value(), v2));
  }

  private Op wrote(String group, Op op) {
    if (op.outcome() == Outcome.OK) {
      tokens.merge(group, op.sequence(), Math::max);
    }
    return op;
  }

  private OpRunner.Target primary(String key) {
    String p = topology.primaryFor(key);
    return p == null ? null : new OpRunner.Target(p, topology.address(p), Op.Target.PRIMARY);
  }

  private String key() {
    return WorkloadSpec.keyName(random.nextInt(spec.keys()));
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
