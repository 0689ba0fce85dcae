package io.kevo.cli;

import io.kevo.client.ClientOptions;
import io.kevo.client.KevoClient;
import io.kevo.client.KevoClientException;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetStatsResponse;
import io.kevo.proto.LatencyStats;
import io.kevo.proto.ReplicaInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
      description = {"The server's client address.", "Default: ${DEFAULT-VALUE}"})
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
    Map<String, String> rm = info.getReplicationMap();
    if (rm.containsKey("epoch")) {
      node.add(
          row(
              "epoch",
              rm.get("epoch")
                  + " (term "
                  + rm.getOrDefault("epoch_term", "?")
                  + ", from sequence "
                  + rm.getOrDefault("epoch_start_sequence", "?")
                  + ")"));
    }
    if (rm.containsKey("superseded")) {
      node.add(row("SUPERSEDED", rm.get("superseded")));
    }
    if (rm.containsKey("write_refusal")) {
      node.add(
          row(
              "WRITES REFUSED",
              rm.getOrDefault("write_refusal_code", "?")
                  + " since "
                  + rm.getOrDefault("write_refusal_since", "?")
                  + ": "
                  + rm.get("write_refusal")));
    }
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
    replication(sb, info);

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
  private static void replication(StringBuilder sb, GetNodeInfoResponse info) {
    Map<String, String> m = info.getReplicationMap();
    if (info.getNodeRole() == GetNodeInfoResponse.NodeRole.PRIMARY) {
      if (info.getReplicasCount() > 0) {
        List<String[]> rows = new ArrayList<>();
        for (ReplicaInfo r : info.getReplicasList()) {
          Map<String, String> meta = r.getMetaMap();
          String state =
              r.getAvailable()
                  ? "streaming"
                  : "true".equals(meta.get("hold_dropped"))
                      ? "gone (hold dropped)"
                      : "disconnected";
          long wire = parse(meta.get("bytes_sent_wire"));
          rows.add(
              new String[] {
                r.getAddress().isEmpty() ? meta.getOrDefault("replica_id", "?") : r.getAddress(),
                state,
                Long.toUnsignedString(r.getLastSequence()),
                meta.getOrDefault("lag_entries", "-"),
                meta.getOrDefault("lag_ms", "-"),
                bytesShort(wire),
                meta.getOrDefault("compression_ratio", "-"),
                meta.getOrDefault("connects", "-"),
                meta.getOrDefault("resends", "-")
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
      if (!m.isEmpty()) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("streams open", m.getOrDefault("sessions", "-")));
        rows.add(row("first retained sequence", m.getOrDefault("first_retained_sequence", "-")));
        rows.add(row("durable sequence", m.getOrDefault("durable_sequence", "-")));
        rows.add(
            row(
                "bytes sent",
                bytes(parse(m.get("bytes_sent_wire")))
                    + " on the wire, ratio "
                    + m.getOrDefault("compression_ratio", "-")));
        rows.add(row("resends (nacks)", m.getOrDefault("resends", "-")));
        rows.add(row("sessions timed out", m.getOrDefault("sessions_timed_out", "-")));
        rows.add(row("streams refused", m.getOrDefault("streams_refused", "-")));
        rows.add(row("holds dropped", m.getOrDefault("holds_dropped", "-")));
        if (m.containsKey("ack_level")) {
          rows.add(
              row(
                  "write acknowledgement",
                  m.get("ack_level")
                      + ", timeout "
                      + m.getOrDefault("ack_timeout_ms", "?")
                      + " ms; "
                      + m.getOrDefault("ack_waits", "0")
                      + " waits, "
                      + m.getOrDefault("ack_not_confirmed", "0")
                      + " not confirmed"));
          String min = m.getOrDefault("min_replicas_to_write", "0");
          rows.add(
              row(
                  "min replicas to write",
                  "0".equals(min)
                      ? "0 (never refuses)"
                      : min
                          + ("true".equals(m.get("writes_refused"))
                              ? " — WRITES REFUSED: "
                                  + m.getOrDefault("connected_replicas", "?")
                                  + " connected"
                              : " (" + m.getOrDefault("connected_replicas", "?") + " connected)")));
        }
        if ("true".equals(m.get("reads_refused"))) {
          rows.add(row("READS REFUSED", m.getOrDefault("read_refusal", "?")));
        } else if ("true".equals(m.get("reads_confirmed_only"))) {
          rows.add(
              row(
                  "reads",
                  "confirmed writes only: up to sequence "
                      + m.getOrDefault("read_sequence", "?")
                      + " (confirmed by a replica: "
                      + m.getOrDefault("confirmed_sequence", "?")
                      + ")"));
        }
        if (m.containsKey("bootstraps_active")) {
          rows.add(
              row(
                  "bootstraps (snapshots)",
                  m.get("bootstraps_active")
                      + " running, "
                      + m.getOrDefault("bootstraps_completed", "-")
                      + " completed, "
                      + m.getOrDefault("bootstraps_failed", "-")
                      + " failed, "
                      + m.getOrDefault("bootstraps_refused", "-")
                      + " refused (limit); "
                      + bytesShort(parse(m.get("bootstrap_bytes_sent")))
                      + " sent"));
        }
        sb.append('\n');
        section(sb, "Replication (primary)", null, rows);
      }
    } else if (info.getNodeRole() == GetNodeInfoResponse.NodeRole.REPLICA && !m.isEmpty()) {
      List<String[]> rows = new ArrayList<>();
      rows.add(
          row(
              "state",
              m.getOrDefault("state", "-") + " for " + m.getOrDefault("state_ms", "?") + " ms"));
      rows.add(row("replica id", m.getOrDefault("replica_id", "-")));
      rows.add(row("applied sequence", m.getOrDefault("applied_sequence", "-")));
      rows.add(row("durable sequence", m.getOrDefault("durable_sequence", "-")));
      rows.add(row("acknowledged sequence", m.getOrDefault("acked_sequence", "-")));
      rows.add(row("primary last sequence", m.getOrDefault("primary_last_sequence", "-")));
      String lagMs = m.getOrDefault("lag_ms", "-");
      rows.add(
          row(
              "lag",
              m.getOrDefault("lag_entries", "-")
                  + " entries, "
                  + ("-1".equals(lagMs) ? "unknown" : lagMs + " ms")));
      rows.add(
          row(
              "bytes received",
              bytes(parse(m.get("bytes_received_wire")))
                  + " on the wire, "
                  + bytes(parse(m.get("bytes_received_raw")))
                  + " of payload"));
      rows.add(row("entries applied", m.getOrDefault("entries_applied", "-")));
      rows.add(row("reconnects", m.getOrDefault("reconnects", "-")));
      rows.add(row("nacks sent", m.getOrDefault("nacks_sent", "-")));
      rows.add(row("checksum failures", m.getOrDefault("checksum_failures", "-")));
      rows.add(row("needs bootstrap", "true".equals(m.get("needs_bootstrap")) ? "YES" : "no"));
      if (m.containsKey("read_waits")) {
        rows.add(
            row(
                "read-your-writes waits",
                m.get("read_waits")
                    + " ("
                    + m.getOrDefault("read_wait_timeouts", "0")
                    + " timed out, limit "
                    + m.getOrDefault("read_wait_timeout_ms", "?")
                    + " ms)"));
      }
      if (m.containsKey("bootstrap_bytes_total")) {
        long done = parse(m.get("bootstrap_bytes_done"));
        long total = parse(m.get("bootstrap_bytes_total"));
        long eta = m.containsKey("bootstrap_eta_ms") ? parse(m.get("bootstrap_eta_ms")) : -1;
        rows.add(
            row(
                "bootstrap",
                m.getOrDefault("bootstrap_snapshot", "?")
                    + " at sequence "
                    + m.getOrDefault("bootstrap_sequence", "?")
                    + ": "
                    + bytesShort(done)
                    + " of "
                    + bytesShort(total)
                    + (total > 0 ? " (" + done * 100 / total + "%)" : "")
                    + ", files "
                    + m.getOrDefault("bootstrap_files_done", "?")
                    + "/"
                    + m.getOrDefault("bootstrap_files_total", "?")
                    + ", "
                    + bytesShort(parse(m.get("bootstrap_rate_bytes_per_s")))
                    + "/s, ETA "
                    + (eta < 0 ? "unknown" : (eta + 999) / 1000 + " s")));
      }
      rows.add(row("bootstraps completed", m.getOrDefault("bootstraps_completed", "0")));
      if (m.containsKey("last_error")) {
        rows.add(row("last error", m.get("last_error")));
      }
      sb.append('\n');
      section(sb, "Replication (replica)", null, rows);
    }
  }

  private static long parse(String v) {
    if (v == null) {
      return 0;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return 0;
    }
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
