package io.kevo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kevo.coordination.ClusterView;
import io.kevo.coordination.FailoverRecord;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.PrimaryRecord;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * {@code kevo status --coordinator ... --json}: the cluster as one JSON document, in {@link
 * StatusJson}'s conventions (snake_case keys, sequences as plain numbers, {@code null} for what
 * does not exist, times as ISO-8601 UTC text beside their milliseconds):
 *
 * <pre>
 * {"coordinator": "127.0.0.1:2181", "cluster": "main", "epoch": 3, "leader": "n2",
 *  "primary": "n2", "no_primary": null,
 *  "primary_record": {"id": "n2", "address": ..., "epoch": 3, "term_start": 901,
 *    "sequence": 1042, "updated_at": "2026-...Z", "updated_at_ms": ...},
 *  "last_failover": {"at": "2026-...Z", "at_ms": ..., "from": "n1", "to": "n2", "epoch": 3,
 *    "reason": "..."},
 *  "members": [{"id": "n1", "address": ..., "role": "replica", "epoch": 3,
 *    "last_entry_epoch": 3, "durable_sequence": 1040, "lag": 2, "no_promote": false}]}
 * </pre>
 *
 * {@code primary} is the id of the member reporting the primary role; when there is none, {@code
 * no_primary} says why and every {@code lag} is null. Stateless and thread-safe.
 */
final class CoordinatorStatusJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CoordinatorStatusJson() {}

  /** The document, pretty-printed, ending with a newline. */
  static String render(ClusterView view) {
    ObjectNode root = JSON.createObjectNode();
    root.put("coordinator", view.connectString());
    root.put("cluster", view.cluster());
    root.put("epoch", view.epoch());
    root.put("leader", view.leader().orElse(null));
    root.put("primary", view.primaryMember().map(MemberInfo::id).orElse(null));
    root.put("no_primary", ClusterFacts.noPrimary(view).orElse(null));
    if (view.primary().isPresent()) {
      record(root.putObject("primary_record"), view.primary().get());
    } else {
      root.putNull("primary_record");
    }
    if (view.lastFailover().isPresent()) {
      failover(root.putObject("last_failover"), view.lastFailover().get());
    } else {
      root.putNull("last_failover");
    }
    ArrayNode members = root.putArray("members");
    for (MemberInfo m : view.members()) {
      ObjectNode o =
          members
              .addObject()
              .put("id", m.id())
              .put("address", m.clientAddress())
              .put("role", m.role())
              .put("epoch", m.epoch())
              .put("last_entry_epoch", m.lastEntryEpoch())
              .put("durable_sequence", m.durableSequence());
      OptionalLong lag = ClusterFacts.lag(view, m);
      if (lag.isPresent()) {
        o.put("lag", lag.getAsLong());
      } else {
        o.putNull("lag");
      }
      o.put("no_promote", m.noPromote());
    }
    try {
      return JSON.writeValueAsString(root) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the cluster's status as JSON", e);
    }
  }

  private static void record(ObjectNode o, PrimaryRecord r) {
    o.put("id", r.id())
        .put("address", r.clientAddress())
        .put("epoch", r.epoch())
        .put("term_start", r.termStart())
        .put("sequence", r.sequence())
        .put("updated_at", Instant.ofEpochMilli(r.updatedAtMillis()).toString())
        .put("updated_at_ms", r.updatedAtMillis());
  }

  private static void failover(ObjectNode o, FailoverRecord f) {
    o.put("at", Instant.ofEpochMilli(f.atMillis()).toString())
        .put("at_ms", f.atMillis())
        .put("from", f.from().isEmpty() ? null : f.from())
        .put("to", f.to())
        .put("epoch", f.epoch())
        .put("reason", f.reason());
  }
}
