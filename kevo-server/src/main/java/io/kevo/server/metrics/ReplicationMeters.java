package io.kevo.server.metrics;

import io.kevo.replication.PrimaryStatus;
import io.kevo.replication.ReplicaState;
import io.kevo.replication.ReplicaStatus;
import io.kevo.replication.SnapshotTransferStatus;
import io.kevo.replication.primary.Primary;
import io.kevo.replication.replica.Replica;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Replication meters. Every read asks the node for its current primary or replica (null when the
 * node has not that role now), so that a promotion or a demotion shows at the next scrape; a meter
 * of a role the node does not have reads {@code NaN}, or 0 for counters.
 *
 * <ul>
 *   <li>{@code kevo_node_role{role}}: 1 for the node's role, 0 for the others.
 *   <li>On a primary: {@code kevo_primary_replicas_connected}, acknowledgement waits ({@code
 *       kevo_primary_ack_waits_total}, {@code _ack_timeouts_total}, {@code _ack_pending}),
 *       bootstraps served ({@code kevo_primary_bootstraps_total{outcome}}, {@code
 *       _bootstraps_active}, {@code _bootstrap_sent_bytes_total}), and per replica (tag {@code
 *       replica}: its id, else its address): {@code kevo_primary_replica_lag_entries}, {@code
 *       _lag_seconds}, {@code _acked_sequence}, {@code _connected}, {@code _sent_bytes_total},
 *       {@code _connects_total}; per bootstrap running (tag {@code replica}: the replica's id, else
 *       the transfer's): {@code kevo_primary_bootstrap_transfer_sent_bytes} of {@code
 *       _transfer_size_bytes}. The per-replica and per-transfer meters follow the primary's list of
 *       replicas and transfers at each {@link #refresh()}.
 *   <li>On a replica: {@code kevo_replica_applied_sequence}, {@code _lag_entries}, {@code
 *       _lag_seconds}, {@code kevo_replica_state{state}} (1 for the current state), {@code
 *       _reconnects_total}, {@code _bootstraps_total}, {@code _received_bytes_total}, and the
 *       bootstrap running now: {@code kevo_replica_bootstrap_received_bytes} of {@code
 *       _bootstrap_size_bytes} (0 and 0 when none is).
 * </ul>
 *
 * <p>Thread-safe; {@link #refresh()} is synchronized.
 */
final class ReplicationMeters {
  private final MeterRegistry registry;
  private final Supplier<Primary> primary;
  private final Supplier<Replica> replica;
  private final Supplier<String> role;
  private final Map<String, List<Meter>> replicaMeters = new HashMap<>(); // guarded by this
  private final Map<String, List<Meter>> transferMeters = new HashMap<>(); // guarded by this
  private volatile Map<String, PrimaryStatus.Replica> replicas = Map.of();
  private volatile Map<String, SnapshotTransferStatus.Transfer> transfers = Map.of();

  /**
   * @param role the node's role now, lower case ({@code standalone}, {@code primary}, {@code
   *     replica})
   */
  ReplicationMeters(
      MeterRegistry registry,
      Supplier<Primary> primary,
      Supplier<Replica> replica,
      Supplier<String> role) {
    this.registry = registry;
    this.primary = primary;
    this.replica = replica;
    this.role = role;
  }

  void bind(List<String> roles) {
    for (String r : roles) {
      Gauge.builder("kevo.node.role", this, m -> r.equals(m.role.get()) ? 1 : 0)
          .description("1 for the node's current role")
          .tag("role", r)
          .register(registry);
    }
    Gauge.builder(
            "kevo.primary.replicas.connected", this, m -> m.onPrimary(Primary::connectedReplicas))
        .description("Replicas with a stream open to this primary")
        .register(registry);
    primaryCounter(
        "kevo.primary.ack.waits",
        "Writes that waited for replica acknowledgements",
        p -> p.ackWaitStats().waits());
    primaryCounter(
        "kevo.primary.ack.timeouts",
        "Acknowledgement waits that did not meet their level",
        p -> p.ackWaitStats().notConfirmed());
    Gauge.builder(
            "kevo.primary.ack.pending", this, m -> m.onPrimary(p -> p.ackWaitStats().pending()))
        .description("Acknowledgement waits in progress")
        .register(registry);
    primaryCounter(
        "kevo.primary.bootstraps",
        "Snapshot transfers to replicas that sent everything",
        p -> p.snapshotTransfers().completed(),
        "outcome",
        "completed");
    primaryCounter(
        "kevo.primary.bootstraps",
        "Snapshot transfers to replicas that ended early",
        p -> p.snapshotTransfers().failed(),
        "outcome",
        "failed");
    Gauge.builder(
            "kevo.primary.bootstraps.active",
            this,
            m -> m.onPrimary(p -> p.snapshotTransfers().active()))
        .description("Snapshot transfers running")
        .register(registry);
    FunctionCounter.builder(
            "kevo.primary.bootstrap.sent",
            this,
            m -> m.counterOnPrimary(p -> p.snapshotTransfers().bytesSent()))
        .description("Snapshot file bytes sent to bootstrapping replicas")
        .baseUnit("bytes")
        .register(registry);

    replicaGauge(
        "kevo.replica.applied.sequence",
        null,
        "Last sequence applied on this replica",
        ReplicaStatus::lastAppliedSequence);
    replicaGauge(
        "kevo.replica.lag.entries",
        null,
        "Operations the primary wrote that are not applied here",
        ReplicaStatus::lagEntries);
    replicaGauge(
        "kevo.replica.lag",
        "seconds",
        "Age of the oldest write not applied here (NaN if unknown)",
        s -> s.lagMillis() < 0 ? Double.NaN : s.lagMillis() / 1000.0);
    for (ReplicaState st : ReplicaState.values()) {
      Gauge.builder("kevo.replica.state", this, m -> m.onReplica(s -> s.state() == st ? 1 : 0))
          .description("1 for the replica's current state")
          .tag("state", st.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    replicaCounter(
        "kevo.replica.reconnects",
        null,
        "Connections to the primary after the first",
        ReplicaStatus::reconnects);
    replicaCounter(
        "kevo.replica.bootstraps",
        null,
        "Snapshots fetched and installed",
        ReplicaStatus::bootstrapsCompleted);
    replicaCounter(
        "kevo.replica.received",
        "bytes",
        "Stream bytes received from the primary",
        ReplicaStatus::wireBytesReceived);
    replicaGauge(
        "kevo.replica.bootstrap.received",
        "bytes",
        "Snapshot file bytes received by the bootstrap running now (0: none)",
        s -> s.bootstrap() == null ? 0 : s.bootstrap().bytesDone());
    replicaGauge(
        "kevo.replica.bootstrap.size",
        "bytes",
        "Snapshot file bytes of the bootstrap running now (0: none, or not known yet)",
        s -> s.bootstrap() == null ? 0 : s.bootstrap().bytesTotal());
  }

  /**
   * Brings the per-replica meters in line with the primary's replicas now (none if not primary).
   */
  synchronized void refresh() {
    Primary p = primary.get();
    Map<String, PrimaryStatus.Replica> now = new HashMap<>();
    Map<String, SnapshotTransferStatus.Transfer> running = new HashMap<>();
    if (p != null) {
      try {
        for (PrimaryStatus.Replica r : p.status().replicas()) {
          now.put(r.replicaId().isEmpty() ? r.clientAddress() : r.replicaId(), r);
        }
        for (SnapshotTransferStatus.Transfer t : p.snapshotTransfers().transfers()) {
          running.put(t.replicaId().isEmpty() ? t.snapshotId() : t.replicaId(), t);
        }
      } catch (RuntimeException e) {
        // closing: no replicas this scrape
      }
    }
    replicas = now;
    transfers = running;
    follow(replicaMeters, now.keySet(), this::bindReplica);
    follow(transferMeters, running.keySet(), this::bindTransfer);
  }

  /** Removes the meters of ids not in {@code now} and binds those of new ones. */
  private void follow(
      Map<String, List<Meter>> bound, Set<String> now, Function<String, List<Meter>> bind) {
    for (String gone : new ArrayList<>(bound.keySet())) {
      if (!now.contains(gone)) {
        bound.remove(gone).forEach(registry::remove);
      }
    }
    for (String id : now) {
      bound.computeIfAbsent(id, bind);
    }
  }

  private List<Meter> bindTransfer(String id) {
    return List.of(
        Gauge.builder(
                "kevo.primary.bootstrap.transfer.sent",
                this,
                m -> m.transferValue(id, SnapshotTransferStatus.Transfer::bytesSent))
            .description("Snapshot file bytes sent so far to the bootstrapping replica")
            .baseUnit("bytes")
            .tag("replica", id)
            .register(registry),
        Gauge.builder(
                "kevo.primary.bootstrap.transfer.size",
                this,
                m -> m.transferValue(id, SnapshotTransferStatus.Transfer::totalBytes))
            .description("Snapshot file bytes the bootstrapping replica is sent in all")
            .baseUnit("bytes")
            .tag("replica", id)
            .register(registry));
  }

  private double transferValue(String id, ToDoubleFunction<SnapshotTransferStatus.Transfer> f) {
    SnapshotTransferStatus.Transfer t = transfers.get(id);
    return t == null ? Double.NaN : f.applyAsDouble(t);
  }

  private List<Meter> bindReplica(String id) {
    List<Meter> out = new ArrayList<>();
    out.add(
        perReplicaGauge(
            id,
            "kevo.primary.replica.lag.entries",
            null,
            "Operations written but not acknowledged by the replica",
            PrimaryStatus.Replica::lagEntries));
    out.add(
        perReplicaGauge(
            id,
            "kevo.primary.replica.lag",
            "seconds",
            "Age of the oldest write the replica has not acknowledged",
            r -> r.lagMillis() / 1000.0));
    out.add(
        perReplicaGauge(
            id,
            "kevo.primary.replica.acked.sequence",
            null,
            "Last sequence the replica acknowledged as durable",
            PrimaryStatus.Replica::lastAckedSequence));
    out.add(
        perReplicaGauge(
            id,
            "kevo.primary.replica.connected",
            null,
            "1 while the replica has a stream open",
            r -> r.connected() ? 1 : 0));
    out.add(
        FunctionCounter.builder(
                "kevo.primary.replica.sent",
                this,
                m -> m.replicaValue(id, PrimaryStatus.Replica::bytesSentWire))
            .description("Stream bytes sent to the replica")
            .baseUnit("bytes")
            .tag("replica", id)
            .register(registry));
    out.add(
        FunctionCounter.builder(
                "kevo.primary.replica.connects",
                this,
                m -> m.replicaValue(id, PrimaryStatus.Replica::connectCount))
            .description("Streams the replica opened")
            .tag("replica", id)
            .register(registry));
    return out;
  }

  private Meter perReplicaGauge(
      String id,
      String name,
      String unit,
      String description,
      ToDoubleFunction<PrimaryStatus.Replica> f) {
    return Gauge.builder(name, this, m -> m.replicaValue(id, f))
        .description(description)
        .baseUnit(unit)
        .tag("replica", id)
        .register(registry);
  }

  private double replicaValue(String id, ToDoubleFunction<PrimaryStatus.Replica> f) {
    PrimaryStatus.Replica r = replicas.get(id);
    return r == null ? Double.NaN : f.applyAsDouble(r);
  }

  private void primaryCounter(
      String name, String description, ToDoubleFunction<Primary> f, String... tags) {
    FunctionCounter.builder(name, this, m -> m.counterOnPrimary(f))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  private void replicaGauge(
      String name, String unit, String description, ToDoubleFunction<ReplicaStatus> f) {
    Gauge.builder(name, this, m -> m.onReplica(f))
        .description(description)
        .baseUnit(unit)
        .register(registry);
  }

  private void replicaCounter(
      String name, String unit, String description, ToDoubleFunction<ReplicaStatus> f) {
    FunctionCounter.builder(
            name,
            this,
            m -> {
              double v = m.onReplica(f);
              return Double.isNaN(v) ? 0 : v;
            })
        .description(description)
        .baseUnit(unit)
        .register(registry);
  }

  private double onPrimary(ToDoubleFunction<Primary> f) {
    Primary p = primary.get();
    return p == null ? Double.NaN : safely(() -> f.applyAsDouble(p));
  }

  /** A primary's counter, 0 when the node is not a primary (a counter reset to Prometheus). */
  private double counterOnPrimary(ToDoubleFunction<Primary> f) {
    double v = onPrimary(f);
    return Double.isNaN(v) ? 0 : v;
  }

  private double onReplica(ToDoubleFunction<ReplicaStatus> f) {
    Replica r = replica.get();
    return r == null ? Double.NaN : safely(() -> f.applyAsDouble(r.status()));
  }

  private static double safely(Supplier<Double> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      return Double.NaN; // the role's object is closing
    }
  }
}
