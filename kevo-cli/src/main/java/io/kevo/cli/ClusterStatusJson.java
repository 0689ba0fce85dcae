package io.kevo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.SplitRecord;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code kevo cluster status --json}: the shards as one JSON document, in {@link
 * CoordinatorStatusJson}'s conventions (snake_case keys, sequences as plain numbers, {@code null}
 * for what does not exist):
 *
 * <pre>
 * {"coordinator": "127.0.0.1:2181", "cluster": "main", "map_version": 1,
 *  "shards": [{"id": "s1", "range": "[-, m)", "start_hex": "", "end_hex": "6d",
 *    "primary": "n1", "primary_address": "127.0.0.1:50051", "no_primary": null,
 *    "member_count": 2, "max_lag": 3, "primary_durable_sequence": 1042,
 *    "primary_data_bytes": 1048576}]}
 * </pre>
 *
 * {@code range} is as the text shows it (bounds written as in {@code kevo shell}); {@code
 * start_hex} and {@code end_hex} are the exact bounds ({@code ""} is the empty key, {@code null} no
 * end). {@code splits} lists the splits under way ({@code state} LEARNING, FENCING or FENCED).
 * Without a primary, {@code no_primary} says why ({@link ClusterFacts#noPrimary}) and the primary's
 * fields and {@code max_lag} are null. Stateless and thread-safe.
 */
final class ClusterStatusJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ClusterStatusJson() {}

  /** The document, pretty-printed, ending with a newline. */
  static String render(
      CoordinatorOptions options,
      ShardMap map,
      List<ShardStatus> shards,
      List<SplitRecord> splits) {
    ObjectNode root = JSON.createObjectNode();
    root.put("coordinator", options.connectString());
    root.put("cluster", options.cluster());
    root.put("map_version", map.version());
    ArrayNode array = root.putArray("shards");
    for (ShardStatus s : shards) {
      byte[] end = s.range().end();
      Optional<MemberInfo> primary = s.primary();
      ObjectNode o =
          array
              .addObject()
              .put("id", s.range().id())
              .put("range", ShardText.range(s.range()))
              .put("start_hex", ShardText.hex(s.range().start()))
              .put("end_hex", end == null ? null : ShardText.hex(end))
              .put("primary", primary.map(MemberInfo::id).orElse(null))
              .put("primary_address", primary.map(MemberInfo::clientAddress).orElse(null))
              .put("no_primary", ClusterFacts.noPrimary(s.group()).orElse(null))
              .put("member_count", s.group().members().size());
      OptionalLong lag = s.maxLag();
      if (lag.isPresent()) {
        o.put("max_lag", lag.getAsLong());
      } else {
        o.putNull("max_lag");
      }
      if (primary.isPresent()) {
        o.put("primary_durable_sequence", primary.get().durableSequence());
        o.put("primary_data_bytes", primary.get().dataBytes());
      } else {
        o.putNull("primary_durable_sequence");
        o.putNull("primary_data_bytes");
      }
    }
    ArrayNode under = root.putArray("splits");
    for (SplitRecord r : splits) {
      under
          .addObject()
          .put("from", r.from())
          .put("to", r.to())
          .put("at_hex", ShardText.hex(r.at()))
          .put("state", r.state().name())
          .put("map_version", r.mapVersion())
          .put("fence_epoch", r.fenceEpoch())
          .put("fence_sequence", r.fenceSequence());
    }
    try {
      return JSON.writeValueAsString(root) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the shards' status as JSON", e);
    }
  }
}
