package io.kevo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetStatsResponse;
import io.kevo.proto.LatencyStats;
import io.kevo.proto.ReplicaInfo;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code kevo status --json}: the node info and counters as one JSON document for scripts and
 * monitoring. Sizes are bytes, times milliseconds or nanoseconds as the key names say, sequences
 * plain numbers; a figure that does not exist is {@code null} (write amplification before the first
 * flush, all statistics while a replica serves no reads). The replication map is passed through
 * with its own keys, its values as numbers or booleans where they are ones, so that figures the
 * node adds later appear without a change here:
 *
 * <pre>
 * {"endpoint": "...", "node": {"role": "PRIMARY", "version": "...", "last_sequence": 12,
 *   "read_only": false, "primary": null, "replicas": [{"address": ..., "last_sequence": ...,
 *   "available": true}]},
 *  "replication": {"epoch": 3, "sessions": 1, ...},
 *  "storage": {"keys": 2, "storage_bytes": 1234, ..., "write_amplification": null, ...},
 *  "operations": {"Get": {"calls": 1, "avg_ns": ..., "min_ns": ..., "max_ns": ...}},
 *  "failed_calls": {"NOT_FOUND": 1}}
 * </pre>
 *
 * Stateless and thread-safe.
 */
final class StatusJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private StatusJson() {}

  /** The document, pretty-printed, ending with a newline. */
  static String render(String endpoint, GetNodeInfoResponse info, GetStatsResponse stats) {
    ObjectNode root = JSON.createObjectNode();
    root.put("endpoint", endpoint);
    ObjectNode node = root.putObject("node");
    node.put("role", info.getNodeRole().name());
    putText(node, "version", info.getVersion());
    node.put("last_sequence", info.getLastSequence());
    node.put("read_only", info.getReadOnly());
    putText(node, "primary", info.getPrimaryAddress());
    ArrayNode replicas = node.putArray("replicas");
    for (ReplicaInfo r : info.getReplicasList()) {
      replicas
          .addObject()
          .put("address", r.getAddress())
          .put("last_sequence", r.getLastSequence())
          .put("available", r.getAvailable());
    }
    ObjectNode replication = root.putObject("replication");
    new TreeMap<>(info.getReplicationMap()).forEach((k, v) -> putTyped(replication, k, v));
    if (stats == null) {
      root.putNull("storage");
      root.putNull("operations");
      root.putNull("failed_calls");
    } else {
      storage(root.putObject("storage"), stats);
      ObjectNode ops = root.putObject("operations");
      for (Map.Entry<String, Long> e : new TreeMap<>(stats.getOperationCountsMap()).entrySet()) {
        ObjectNode op = ops.putObject(e.getKey()).put("calls", e.getValue());
        LatencyStats l = stats.getLatencyStatsMap().get(e.getKey());
        if (l != null) {
          op.put("avg_ns", l.getAvgNs()).put("min_ns", l.getMinNs()).put("max_ns", l.getMaxNs());
        }
      }
      ObjectNode failed = root.putObject("failed_calls");
      new TreeMap<>(stats.getErrorCountsMap()).forEach(failed::put);
    }
    try {
      return JSON.writeValueAsString(root) + System.lineSeparator();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the status as JSON", e);
    }
  }

  private static void storage(ObjectNode s, GetStatsResponse stats) {
    s.put("keys", stats.getKeyCount());
    s.put("storage_bytes", stats.getStorageSize());
    s.put("memtables", stats.getMemtableCount());
    s.put("sstables", stats.getSstableCount());
    s.put("flushes", stats.getFlushCount());
    s.put("compactions", stats.getCompactionCount());
    if (stats.getFlushCount() == 0) {
      s.putNull("write_amplification");
    } else {
      s.put("write_amplification", stats.getWriteAmplification());
    }
    s.put("read_amplification", stats.getReadAmplification());
    s.put("bytes_read", stats.getTotalBytesRead());
    s.put("bytes_written", stats.getTotalBytesWritten());
    putText(s, "write_refusal", stats.getWriteRefusal());
    if (stats.hasRecoveryStats()) {
      s.putObject("recovery")
          .put("wal_files", stats.getRecoveryStats().getWalFilesRecovered())
          .put("wal_entries", stats.getRecoveryStats().getWalEntriesRecovered())
          .put("wal_corrupted_entries", stats.getRecoveryStats().getWalCorruptedEntries())
          .put("duration_ms", stats.getRecoveryStats().getWalRecoveryDurationMs());
    } else {
      s.putNull("recovery");
    }
  }

  /** {@code text}, or null if empty (the protocol's "absent"). */
  private static void putText(ObjectNode o, String key, String text) {
    if (text.isEmpty()) {
      o.putNull(key);
    } else {
      o.put(key, text);
    }
  }

  /** A replication value as the JSON type it reads as: integer, decimal, boolean, else text. */
  private static void putTyped(ObjectNode o, String key, String value) {
    if (value.equals("true") || value.equals("false")) {
      o.put(key, Boolean.parseBoolean(value));
    } else if (value.matches("-?\\d{1,18}")) {
      o.put(key, Long.parseLong(value));
    } else if (value.matches("-?\\d+\\.\\d+")) {
      o.put(key, Double.parseDouble(value));
    } else {
      o.put(key, value);
    }
  }
}
