package io.kevo.cli;

import io.kevo.cli.shell.Figures;
import io.kevo.cli.shell.Report;
import io.kevo.cli.shell.StatsReports;
import io.kevo.client.ClientOptions;
import io.kevo.client.KevoClient;
import io.kevo.client.KevoClientException;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetStatsResponse;
import io.kevo.proto.ReplicaInfo;
import io.kevo.wire.PrimarySide;
import io.kevo.wire.ReplicaLink;
import io.kevo.wire.ReplicaSide;
import io.kevo.wire.ReplicationStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kevo status HOST:PORT}: asks a server for its node info and counters and prints them as
 * aligned tables with human units ({@link Figures}), or as JSON with {@code --json} ({@link
 * StatusJson}). With {@code --coordinator HOST:PORT[,...] --cluster NAME} it prints instead the
 * cluster as the coordinator sees it ({@link CoordinatorStatus}). Exit status 0, or 2 if the server
 * or the coordinator cannot be reached.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Print a Kevo server's node info, key and storage counters, and operations; or, with"
          + " --coordinator and --cluster, a cluster's members, leader, epoch and last failover"
          + " as its coordinator (ZooKeeper) knows them."
    })
final class StatusCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(StatusCommand.class);

  @Parameters(
      index = "0",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:50051",
      description = "The server's client address. Default: ${DEFAULT-VALUE}")
  private String endpoint;

  @Option(
      names = "--json",
      description =
          "Print one JSON document (sizes in bytes, absent figures as null) instead of the"
              + " tables, for scripts and monitoring.")
  private boolean json;

  @Option(
      names = "--coordinator",
      paramLabel = "HOST:PORT[,...]",
      description =
          "Show the cluster as the coordinator knows it (needs --cluster) instead of one"
              + " server's status: its members with their lag behind the primary, who leads, the"
              + " epoch ledger and the last failover.")
  private String coordinator;

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      description = "With --coordinator: the cluster's name, as given to kevo server --cluster.")
  private String cluster;

  @Mixin private ClientTlsFlags tls = new ClientTlsFlags();

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (coordinator != null || cluster != null) {
      return CoordinatorStatus.print(
          coordinatorOptions(), json, CoordinatorStatus.CONNECT_WAIT, out, err);
    }
    ClientOptions options;
    try {
      options = tls.applyTo(ClientOptions.forEndpoint(endpoint));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try (KevoClient client = KevoClient.connect(options)) {
      GetNodeInfoResponse info = client.nodeInfo();
      GetStatsResponse stats;
      try {
        stats = client.stats();
      } catch (KevoClientException e) {
        // A replica installing a snapshot serves no reads (nor statistics) but reports progress.
        LOG.debug("stats of {} failed", endpoint, e);
        stats = null;
      }
      out.print(json ? StatusJson.render(endpoint, info, stats) : render(endpoint, info, stats));
      out.flush();
      return ExitCodes.OK;
    } catch (KevoClientException e) {
      LOG.debug("status of {} failed", endpoint, e);
      err.println("error: cannot get the status of " + endpoint + ": " + e.getMessage());
      err.flush();
      return ExitCodes.FATAL;
    }
  }

  /** The coordinator and cluster of the options, checked; a bad combination is a usage error. */
  private CoordinatorOptions coordinatorOptions() {
    if (spec.commandLine().getParseResult().hasMatchedPositional(0)) {
      throw new ParameterException(
          spec.commandLine(), "give either a server's HOST:PORT or --coordinator, not both");
    }
    if (coordinator == null || cluster == null) {
      throw new ParameterException(
          spec.commandLine(), "--coordinator and --cluster go together: give both");
    }
    try {
      return CoordinatorOptions.of(coordinator, cluster);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** The whole report, one section per table. */
  static String render(String endpoint, GetNodeInfoResponse info, GetStatsResponse stats) {
    StringBuilder sb = new StringBuilder();
    List<String[]> node = new ArrayList<>();
    node.add(row("role", info.getNodeRole().name()));
    node.add(row("version", info.getVersion().isEmpty() ? "-" : info.getVersion()));
    node.add(row("last sequence", Long.toUnsignedString(info.getLastSequence())));
    node.add(row("read only", info.getReadOnly() ? "yes" : "no"));
    node.add(row("primary", info.getPrimaryAddress().isEmpty() ? "-" : info.getPrimaryAddress()));
    ReplicationStatus status = ReplicationStatus.of(info);
    status
        .epoch()
        .ifPresent(
            e ->
                node.add(
                    row(
                        "epoch",
                        e.number()
                            + " (term "
                            + e.termId().orElse("?")
                            + ", from sequence "
                            + or(e.startSequence(), "?")
                            + ")")));
    status.superseded().ifPresent(why -> node.add(row("SUPERSEDED", why)));
    status
        .writeRefusal()
        .ifPresent(
            r ->
                node.add(
                    row(
                        "WRITES REFUSED",
                        r.code().orElse("?")
                            + " since "
                            + r.since().orElse("?")
                            + ": "
                            + r.reason())));
    node.add(row("replicas", info.getReplicasCount() == 0 ? "none" : "" + info.getReplicasCount()));
    for (ReplicaInfo r : info.getReplicasList()) {
      node.add(
          row(
              "  " + r.getAddress(),
              "seq "
                  + Long.toUnsignedString(r.getLastSequence())
                  + (r.getAvailable() ? ", available" : ", unavailable")));
    }
    section(sb, "Node " + endpoint, null, node);
    replication(sb, info, status);

    if (stats == null) {
      sb.append('\n').append("Keys and storage\n  unavailable (the node serves no reads now)\n");
      return sb.toString();
    }
    sb.append('\n').append(StatsReports.server(stats).render());
    return sb.toString();
  }

  /**
   * The replication section: for a primary, one row per replica (as the primary sees it) and the
   * primary's totals; for a replica, its state, positions, lag and traffic.
   */
  private static void replication(
      StringBuilder sb, GetNodeInfoResponse info, ReplicationStatus status) {
    if (info.getNodeRole() == GetNodeInfoResponse.NodeRole.PRIMARY) {
      if (info.getReplicasCount() > 0) {
        replicas(sb, info);
      }
      status.primary().ifPresent(p -> primary(sb, p));
    } else if (info.getNodeRole() == GetNodeInfoResponse.NodeRole.REPLICA) {
      status.replica().ifPresent(r -> replica(sb, r));
    }
  }

  /** One row per replica a primary lists. */
  private static void replicas(StringBuilder sb, GetNodeInfoResponse info) {
    List<String[]> rows = new ArrayList<>();
    for (ReplicaInfo r : info.getReplicasList()) {
      ReplicaLink link = ReplicaLink.of(r);
      String state =
          r.getAvailable()
              ? "streaming"
              : link.holdDropped().orElse(false) ? "gone (hold dropped)" : "disconnected";
      rows.add(
          new String[] {
            r.getAddress().isEmpty() ? link.replicaId().orElse("?") : r.getAddress(),
            state,
            Long.toUnsignedString(r.getLastSequence()),
            or(link.lagEntries(), "-"),
            or(link.lagMillis(), "-"),
            bytes(link.bytesSentWire().orElse(0)),
            ratio(link.compressionRatio()),
            or(link.connects(), "-"),
            or(link.resends(), "-")
          });
    }
    sb.append('\n');
    section(
        sb,
        "Replicas",
        new String[] {
          "", "state", "acked", "lag", "lag ms", "sent", "ratio", "connects", "resends"
        },
        rows);
  }

  /** A primary's own totals. */
  private static void primary(StringBuilder sb, PrimarySide p) {
    List<String[]> rows = new ArrayList<>();
    rows.add(row("streams open", or(p.sessions(), "-")));
    rows.add(row("first retained sequence", or(p.firstRetainedSequence(), "-")));
    rows.add(row("durable sequence", or(p.durableSequence(), "-")));
    rows.add(
        row(
            "bytes sent",
            bytes(p.bytesSentWire().orElse(0))
                + " on the wire, ratio "
                + ratio(p.compressionRatio())));
    rows.add(row("resends (nacks)", or(p.resends(), "-")));
    rows.add(row("sessions timed out", or(p.sessionsTimedOut(), "-")));
    rows.add(row("streams refused", or(p.streamsRefused(), "-")));
    rows.add(row("holds dropped", or(p.holdsDropped(), "-")));
    if (p.ackLevel().isPresent()) {
      rows.add(
          row(
              "write acknowledgement",
              p.ackLevel().get()
                  + ", timeout "
                  + or(p.ackTimeoutMillis(), "?")
                  + " ms; "
                  + or(p.ackWaits(), "0")
                  + " waits, "
                  + or(p.ackNotConfirmed(), "0")
                  + " not confirmed"));
      String min = or(p.minReplicasToWrite(), "0");
      String connected = or(p.connectedReplicas(), "?");
      rows.add(
          row(
              "min replicas to write",
              "0".equals(min)
                  ? "0 (never refuses)"
                  : min
                      + (p.writesRefused().orElse(false)
                          ? " — WRITES REFUSED: " + connected + " connected"
                          : " (" + connected + " connected)")));
    }
    if (p.readsRefused().orElse(false)) {
      rows.add(row("READS REFUSED", p.readRefusal().orElse("?")));
    } else if (p.readsConfirmedOnly().orElse(false)) {
      rows.add(
          row(
              "reads",
              "confirmed writes only: up to sequence "
                  + or(p.readSequence(), "?")
                  + " (confirmed by a replica: "
                  + or(p.confirmedSequence(), "?")
                  + ")"));
    }
    if (p.bootstrapsActive().isPresent()) {
      rows.add(
          row(
              "bootstraps (snapshots)",
              p.bootstrapsActive().getAsLong()
                  + " running, "
                  + or(p.bootstrapsCompleted(), "-")
                  + " completed, "
                  + or(p.bootstrapsFailed(), "-")
                  + " failed, "
                  + or(p.bootstrapsRefused(), "-")
                  + " refused (limit); "
                  + bytes(p.bootstrapBytesSent().orElse(0))
                  + " sent"));
    }
    sb.append('\n');
    section(sb, "Replication (primary)", null, rows);
  }

  /** A replica's state, positions, lag and traffic. */
  private static void replica(StringBuilder sb, ReplicaSide r) {
    List<String[]> rows = new ArrayList<>();
    rows.add(row("state", r.state().orElse("-") + " for " + or(r.stateMillis(), "?") + " ms"));
    rows.add(row("replica id", r.replicaId().orElse("-")));
    rows.add(row("applied sequence", or(r.appliedSequence(), "-")));
    rows.add(row("durable sequence", or(r.durableSequence(), "-")));
    rows.add(row("acknowledged sequence", or(r.ackedSequence(), "-")));
    rows.add(row("primary last sequence", or(r.primaryLastSequence(), "-")));
    String lagMs = or(r.lagMillis(), "-");
    rows.add(
        row(
            "lag",
            or(r.lagEntries(), "-")
                + " entries, "
                + ("-1".equals(lagMs) ? "unknown" : lagMs + " ms")));
    rows.add(
        row(
            "bytes received",
            bytes(r.bytesReceivedWire().orElse(0))
                + " on the wire, "
                + bytes(r.bytesReceivedRaw().orElse(0))
                + " of payload"));
    rows.add(row("entries applied", or(r.entriesApplied(), "-")));
    rows.add(row("reconnects", or(r.reconnects(), "-")));
    rows.add(row("nacks sent", or(r.nacksSent(), "-")));
    rows.add(row("checksum failures", or(r.checksumFailures(), "-")));
    rows.add(row("needs bootstrap", r.needsBootstrap().orElse(false) ? "YES" : "no"));
    if (r.readWaits().isPresent()) {
      rows.add(
          row(
              "read-your-writes waits",
              r.readWaits().getAsLong()
                  + " ("
                  + or(r.readWaitTimeouts(), "0")
                  + " timed out, limit "
                  + or(r.readWaitTimeoutMillis(), "?")
                  + " ms)"));
    }
    r.bootstrap()
        .filter(b -> b.bytesTotal().isPresent())
        .ifPresent(b -> rows.add(row("bootstrap", bootstrap(b))));
    rows.add(row("bootstraps completed", or(r.bootstrapsCompleted(), "0")));
    r.lastError().ifPresent(e -> rows.add(row("last error", e)));
    sb.append('\n');
    section(sb, "Replication (replica)", null, rows);
  }

  /** A bootstrap's progress in one line. */
  private static String bootstrap(ReplicaSide.Bootstrap b) {
    long done = b.bytesDone().orElse(0);
    long total = b.bytesTotal().orElse(0);
    long eta = b.etaMillis().orElse(-1);
    return b.snapshot().orElse("?")
        + " at sequence "
        + or(b.sequence(), "?")
        + ": "
        + bytes(done)
        + " of "
        + bytes(total)
        + (total > 0 ? " (" + done * 100 / total + "%)" : "")
        + ", files "
        + or(b.filesDone(), "?")
        + "/"
        + or(b.filesTotal(), "?")
        + ", "
        + bytes(b.bytesPerSecond().orElse(0))
        + "/s, ETA "
        + (eta < 0 ? "unknown" : (eta + 999) / 1000 + " s");
  }

  /** {@code v} in decimal, or {@code absent}. */
  private static String or(OptionalLong v, String absent) {
    return v.isPresent() ? Long.toString(v.getAsLong()) : absent;
  }

  /** A compression ratio with two decimals, or {@code -}. */
  private static String ratio(OptionalDouble r) {
    return r.isPresent() ? Figures.ratio(r.getAsDouble()) : Figures.NONE;
  }

  private static String bytes(long n) {
    return Figures.bytes(n);
  }

  private static String[] row(String name, String value) {
    return new String[] {name, value};
  }

  /** A title line, then the rows aligned ({@link Report.Section#render()}). */
  private static void section(
      StringBuilder sb, String title, String[] header, List<String[]> rows) {
    sb.append(new Report.Section(title, header, rows).render());
  }
}
