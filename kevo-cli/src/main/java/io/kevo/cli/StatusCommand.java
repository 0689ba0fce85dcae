package io.kevo.cli;

import io.kevo.client.ClientOptions;
import io.kevo.client.KevoClient;
import io.kevo.client.KevoClientException;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetStatsResponse;
import io.kevo.proto.LatencyStats;
import io.kevo.proto.ReplicaInfo;
import io.kevo.wire.PrimarySide;
import io.kevo.wire.ReplicaLink;
import io.kevo.wire.ReplicaSide;
import io.kevo.wire.ReplicationStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kevo status HOST:PORT}: asks a server for its node info and counters and prints them as
 * aligned tables. Exit status 0, or 2 if the server cannot be reached.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Print a Kevo server's node info, key and storage counters, and operations.")
final class StatusCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(StatusCommand.class);

  @Parameters(
      index = "0",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:50051",
      description = "The server's client address. Default: ${DEFAULT-VALUE}")
  private String endpoint;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ClientOptions options;
    try {
      options = ClientOptions.forEndpoint(endpoint);
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
      out.print(render(endpoint, info, stats));
      out.flush();
      return ExitCodes.OK;
    } catch (KevoClientException e) {
      LOG.debug("status of {} failed", endpoint, e);
      err.println("error: cannot get the status of " + endpoint + ": " + e.getMessage());
      err.flush();
      return ExitCodes.FATAL;
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
    List<String[]> keys = new ArrayList<>();
    keys.add(row("keys", String.valueOf(stats.getKeyCount())));
    keys.add(row("storage size", bytes(stats.getStorageSize())));
    keys.add(row("memtables", String.valueOf(stats.getMemtableCount())));
    keys.add(row("sstables", String.valueOf(stats.getSstableCount())));
    keys.add(row("flushes", String.valueOf(stats.getFlushCount())));
    keys.add(row("compactions", String.valueOf(stats.getCompactionCount())));
    keys.add(
        row(
            "write amplification",
            String.format(Locale.ROOT, "%.2f", stats.getWriteAmplification())));
    keys.add(
        row(
            "read amplification",
            String.format(Locale.ROOT, "%.2f", stats.getReadAmplification())));
    keys.add(row("bytes read", bytes(stats.getTotalBytesRead())));
    keys.add(row("bytes written", bytes(stats.getTotalBytesWritten())));
    if (stats.hasRecoveryStats()) {
      keys.add(
          row(
              "WAL recovery",
              stats.getRecoveryStats().getWalEntriesRecovered()
                  + " entries from "
                  + stats.getRecoveryStats().getWalFilesRecovered()
                  + " files in "
                  + stats.getRecoveryStats().getWalRecoveryDurationMs()
                  + " ms"));
    }
    sb.append('\n');
    section(sb, "Keys and storage", null, keys);

    Map<String, Long> counts = new TreeMap<>(stats.getOperationCountsMap());
    Map<String, LatencyStats> latencies = stats.getLatencyStatsMap();
    Map<String, Long> errors = stats.getErrorCountsMap();
    if (!counts.isEmpty()) {
      List<String[]> ops = new ArrayList<>();
      for (Map.Entry<String, Long> e : counts.entrySet()) {
        LatencyStats l = latencies.get(e.getKey());
        ops.add(
            new String[] {
              e.getKey(),
              Long.toUnsignedString(e.getValue()),
              Long.toUnsignedString(errors.getOrDefault(e.getKey(), 0L)),
              l == null ? "-" : micros(l.getAvgNs()),
              l == null ? "-" : micros(l.getMaxNs())
            });
      }
      sb.append('\n');
      section(sb, "Operations", new String[] {"", "count", "errors", "avg", "max"}, ops);
    }
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
            bytesShort(link.bytesSentWire().orElse(0)),
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
                  + bytesShort(p.bootstrapBytesSent().orElse(0))
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
        + bytesShort(done)
        + " of "
        + bytesShort(total)
        + (total > 0 ? " (" + done * 100 / total + "%)" : "")
        + ", files "
        + or(b.filesDone(), "?")
        + "/"
        + or(b.filesTotal(), "?")
        + ", "
        + bytesShort(b.bytesPerSecond().orElse(0))
        + "/s, ETA "
        + (eta < 0 ? "unknown" : (eta + 999) / 1000 + " s");
  }

  /** {@code v} in decimal, or {@code absent}. */
  private static String or(OptionalLong v, String absent) {
    return v.isPresent() ? Long.toString(v.getAsLong()) : absent;
  }

  /** A compression ratio as the node sends it (three decimals), or {@code -}. */
  private static String ratio(OptionalDouble r) {
    return r.isPresent() ? String.format(Locale.ROOT, "%.3f", r.getAsDouble()) : "-";
  }

  /** {@code 1536} as {@code 1.5 KiB}. */
  private static String bytesShort(long n) {
    String full = bytes(n);
    int paren = full.indexOf(" (");
    return paren < 0 ? full : full.substring(0, paren);
  }

  private static String[] row(String name, String value) {
    return new String[] {name, value};
  }

  /**
   * A title line, then the rows indented by two with columns aligned: the first left-aligned, the
   * others right-aligned when there is a header (numbers), else left-aligned.
   */
  private static void section(
      StringBuilder sb, String title, String[] header, List<String[]> rows) {
    List<String[]> all = new ArrayList<>();
    if (header != null) {
      all.add(header);
    }
    all.addAll(rows);
    int columns = all.get(0).length;
    int[] width = new int[columns];
    for (String[] r : all) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    sb.append(title).append('\n');
    for (String[] r : all) {
      StringBuilder line = new StringBuilder("  ");
      for (int c = 0; c < columns; c++) {
        boolean right = header != null && c > 0;
        String cell = r[c];
        String pad = " ".repeat(width[c] - cell.length());
        line.append(c == 0 ? "" : "  ").append(right ? pad + cell : cell + pad);
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
  }

  /** {@code 1536} as {@code 1.5 KiB (1536 bytes)}; small counts as plain bytes. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " bytes";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s (%d bytes)", v, units[u], n);
  }

  private static String micros(long nanos) {
    return nanos < 10_000
        ? String.format(Locale.ROOT, "%.1f us", nanos / 1e3)
        : String.format(Locale.ROOT, "%d us", nanos / 1_000);
  }
}
