package io.kevo.bench.replication;

import static io.kevo.bench.replication.ParamChecks.check;
import static io.kevo.bench.replication.ParamChecks.checkLoad;

import io.kevo.wire.AckLevel;
import java.util.List;
import java.util.Set;

/**
 * What the {@code safety} benchmark runs. Immutable; validated on construction.
 *
 * @param phases which of {@code acks}, {@code ryw}, {@code bootstrap} run
 * @param levels acknowledgement levels the acks phase measures, each against the same load
 * @param clients writers (puts outstanding at once) of the acks phase
 * @param connections HTTP/2 connections the writers share
 * @param durationSeconds timed window of each acks run and of each read-your-writes window
 * @param warmupSeconds untimed lead-in of each acks run and of each read-your-writes window
 * @param repeat runs per side of the acks phase (standalone and each level, in rotating order) and
 *     brand-new replicas bootstrapped
 * @param replicas replicas per primary (acks and ryw phases)
 * @param keySize key bytes
 * @param valueSize value bytes of the acks and ryw puts
 * @param randomFraction the random part of those values (see {@link CompressibleValues})
 * @param rywRates background write rates (puts/s) under which read-your-writes is measured, one
 *     window each; 0 = no background writes
 * @param rywWriters background writers of the ryw phase
 * @param bootstrapKeys keys the primary holds when a brand-new replica joins
 * @param bootstrapValueSize value bytes of those keys (random, incompressible)
 * @param seed seed of keys and values
 */
record SafetyParams(
    Set<String> phases,
    List<AckLevel> levels,
    int clients,
    int connections,
    double durationSeconds,
    double warmupSeconds,
    int repeat,
    int replicas,
    int keySize,
    int valueSize,
    double randomFraction,
    List<Double> rywRates,
    int rywWriters,
    long bootstrapKeys,
    int bootstrapValueSize,
    long seed) {

  static final List<String> PHASES = List.of("acks", "ryw", "bootstrap");

  SafetyParams {
    phases = Set.copyOf(phases);
    levels = List.copyOf(levels);
    rywRates = List.copyOf(rywRates);
    for (String p : phases) {
      check(PHASES.contains(p), "unknown phase '" + p + "' (expected acks, ryw, bootstrap)");
    }
    check(!phases.isEmpty(), "at least one phase is needed");
    check(
        !levels.isEmpty() && levels.stream().distinct().count() == levels.size(),
        "--levels must list distinct levels: " + levels);
    for (AckLevel l : levels) {
      check(
          l.kind() != AckLevel.Kind.REPLICA || l.replicas() <= replicas,
          "--levels " + l + " needs at least " + l.replicas() + " replicas, got " + replicas);
    }
    checkLoad(
        clients,
        connections,
        durationSeconds,
        warmupSeconds,
        repeat,
        replicas,
        keySize,
        valueSize,
        randomFraction);
    check(!rywRates.isEmpty(), "--ryw-rates needs at least one rate");
    for (double r : rywRates) {
      check(r >= 0, "--ryw-rates must not be negative, got " + r);
    }
    check(rywWriters >= 1, "--ryw-writers must be at least 1, got " + rywWriters);
    check(bootstrapKeys >= 1, "--bootstrap-keys must be positive, got " + bootstrapKeys);
    check(
        bootstrapValueSize >= 1,
        "--bootstrap-value-size must be positive, got " + bootstrapValueSize);
  }

  boolean runs(String phase) {
    return phases.contains(phase);
  }
}
