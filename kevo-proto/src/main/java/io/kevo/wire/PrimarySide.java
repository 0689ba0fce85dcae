package io.kevo.wire;

import static io.kevo.wire.StatusValues.anyOf;
import static io.kevo.wire.StatusValues.flag;
import static io.kevo.wire.StatusValues.number;
import static io.kevo.wire.StatusValues.put;
import static io.kevo.wire.StatusValues.ratio;
import static io.kevo.wire.StatusValues.text;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A primary's own replication figures in {@code GetNodeInfo.replication}. Immutable. Every value is
 * absent when its key is missing or does not parse (an older node); the keys are given with each
 * component, values decimal unless stated.
 *
 * @param sessions {@code sessions}: replica streams open
 * @param firstRetainedSequence {@code first_retained_sequence}: the oldest sequence still in the
 *     WAL
 * @param durableSequence {@code durable_sequence}: the highest sequence synced to disk
 * @param bytesSentRaw {@code bytes_sent_raw}: payload bytes sent, before compression
 * @param bytesSentWire {@code bytes_sent_wire}: bytes sent on the wire
 * @param compressionRatio {@code compression_ratio}: wire/raw, three decimals
 * @param entriesSent {@code entries_sent}
 * @param responsesSent {@code responses_sent}: messages with entries (heartbeats not counted)
 * @param heartbeatsSent {@code heartbeats_sent}
 * @param resends {@code resends}: entries sent again after a negative acknowledgement
 * @param sessionsTimedOut {@code sessions_timed_out}
 * @param streamsRefused {@code streams_refused}
 * @param holdsDropped {@code holds_dropped}: replicas whose WAL hold was given up
 * @param ackLevel {@code ack_level}: the default acknowledgement level, in {@link AckLevel}'s text
 * @param ackTimeoutMillis {@code ack_timeout_ms}
 * @param minReplicasToWrite {@code min_replicas_to_write}: 0 never refuses
 * @param connectedReplicas {@code connected_replicas}
 * @param writesRefused {@code writes_refused}: true while fewer replicas than the minimum are
 *     connected
 * @param ackWaits {@code ack_waits}: writes that waited for acknowledgements
 * @param ackConfirmed {@code ack_confirmed}
 * @param ackNotConfirmed {@code ack_not_confirmed}
 * @param ackPending {@code ack_pending}
 * @param readsConfirmedOnly {@code reads_confirmed_only}: true at a level other than {@code async}
 *     (client reads see only what a replica acknowledged)
 * @param confirmedSequence {@code confirmed_sequence}: the highest sequence a replica acknowledged
 *     since the primary opened; present only while reads see confirmed writes only
 * @param readSequence {@code read_sequence}: where reads without a token read now; present only
 *     while reads see confirmed writes only
 * @param readsRefused {@code reads_refused}: true while no replica has confirmed the last sequence
 *     at open
 * @param readRefusal {@code read_refusal}: why reads are refused, present only then
 * @param bootstrapsActive {@code bootstraps_active}: snapshot transfers running
 * @param bootstrapsCompleted {@code bootstraps_completed}
 * @param bootstrapsFailed {@code bootstraps_failed}
 * @param bootstrapsRefused {@code bootstraps_refused}: refused for the concurrency limit
 * @param bootstrapBytesSent {@code bootstrap_bytes_sent}
 */
public record PrimarySide(
    OptionalLong sessions,
    OptionalLong firstRetainedSequence,
    OptionalLong durableSequence,
    OptionalLong bytesSentRaw,
    OptionalLong bytesSentWire,
    OptionalDouble compressionRatio,
    OptionalLong entriesSent,
    OptionalLong responsesSent,
    OptionalLong heartbeatsSent,
    OptionalLong resends,
    OptionalLong sessionsTimedOut,
    OptionalLong streamsRefused,
    OptionalLong holdsDropped,
    Optional<AckLevel> ackLevel,
    OptionalLong ackTimeoutMillis,
    OptionalLong minReplicasToWrite,
    OptionalLong connectedReplicas,
    Optional<Boolean> writesRefused,
    OptionalLong ackWaits,
    OptionalLong ackConfirmed,
    OptionalLong ackNotConfirmed,
    OptionalLong ackPending,
    Optional<Boolean> readsConfirmedOnly,
    OptionalLong confirmedSequence,
    OptionalLong readSequence,
    Optional<Boolean> readsRefused,
    Optional<String> readRefusal,
    OptionalLong bootstrapsActive,
    OptionalLong bootstrapsCompleted,
    OptionalLong bootstrapsFailed,
    OptionalLong bootstrapsRefused,
    OptionalLong bootstrapBytesSent) {

  /**
   * The keys only a primary writes (a replica writes {@code durable_sequence} and {@code
   * bootstraps_completed} too): one of them present means the map is a primary's.
   */
  private static final String[] OWN_KEYS = {
    "sessions",
    "first_retained_sequence",
    "bytes_sent_raw",
    "bytes_sent_wire",
    "compression_ratio",
    "entries_sent",
    "responses_sent",
    "heartbeats_sent",
    "resends",
    "sessions_timed_out",
    "streams_refused",
    "holds_dropped",
    "ack_level",
    "ack_timeout_ms",
    "min_replicas_to_write",
    "connected_replicas",
    "writes_refused",
    "ack_waits",
    "ack_confirmed",
    "ack_not_confirmed",
    "ack_pending",
    "reads_confirmed_only",
    "confirmed_sequence",
    "read_sequence",
    "reads_refused",
    "read_refusal",
    "bootstraps_active",
    "bootstraps_failed",
    "bootstraps_refused",
    "bootstrap_bytes_sent"
  };

  /** A primary's figures in {@code m}; empty if {@code m} holds none of the primary's own keys. */
  static Optional<PrimarySide> fromMap(Map<String, String> m) {
    if (!anyOf(m, OWN_KEYS)) {
      return Optional.empty();
    }
    return Optional.of(
        new PrimarySide(
            number(m, "sessions"),
            number(m, "first_retained_sequence"),
            number(m, "durable_sequence"),
            number(m, "bytes_sent_raw"),
            number(m, "bytes_sent_wire"),
            ratio(m, "compression_ratio"),
            number(m, "entries_sent"),
            number(m, "responses_sent"),
            number(m, "heartbeats_sent"),
            number(m, "resends"),
            number(m, "sessions_timed_out"),
            number(m, "streams_refused"),
            number(m, "holds_dropped"),
            StatusValues.ackLevel(m, "ack_level"),
            number(m, "ack_timeout_ms"),
            number(m, "min_replicas_to_write"),
            number(m, "connected_replicas"),
            flag(m, "writes_refused"),
            number(m, "ack_waits"),
            number(m, "ack_confirmed"),
            number(m, "ack_not_confirmed"),
            number(m, "ack_pending"),
            flag(m, "reads_confirmed_only"),
            number(m, "confirmed_sequence"),
            number(m, "read_sequence"),
            flag(m, "reads_refused"),
            text(m, "read_refusal"),
            number(m, "bootstraps_active"),
            number(m, "bootstraps_completed"),
            number(m, "bootstraps_failed"),
            number(m, "bootstraps_refused"),
            number(m, "bootstrap_bytes_sent")));
  }

  /** Adds one entry per present value to {@code m}. */
  void putInto(Map<String, String> m) {
    put(m, "sessions", sessions);
    put(m, "first_retained_sequence", firstRetainedSequence);
    put(m, "durable_sequence", durableSequence);
    put(m, "bytes_sent_raw", bytesSentRaw);
    put(m, "bytes_sent_wire", bytesSentWire);
    put(m, "compression_ratio", compressionRatio);
    put(m, "entries_sent", entriesSent);
    put(m, "responses_sent", responsesSent);
    put(m, "heartbeats_sent", heartbeatsSent);
    put(m, "resends", resends);
    put(m, "sessions_timed_out", sessionsTimedOut);
    put(m, "streams_refused", streamsRefused);
    put(m, "holds_dropped", holdsDropped);
    put(m, "ack_level", ackLevel);
    put(m, "ack_timeout_ms", ackTimeoutMillis);
    put(m, "min_replicas_to_write", minReplicasToWrite);
    put(m, "connected_replicas", connectedReplicas);
    put(m, "writes_refused", writesRefused);
    put(m, "ack_waits", ackWaits);
    put(m, "ack_confirmed", ackConfirmed);
    put(m, "ack_not_confirmed", ackNotConfirmed);
    put(m, "ack_pending", ackPending);
    put(m, "reads_confirmed_only", readsConfirmedOnly);
    put(m, "confirmed_sequence", confirmedSequence);
    put(m, "read_sequence", readSequence);
    put(m, "reads_refused", readsRefused);
    put(m, "read_refusal", readRefusal);
    put(m, "bootstraps_active", bootstrapsActive);
    put(m, "bootstraps_completed", bootstrapsCompleted);
    put(m, "bootstraps_failed", bootstrapsFailed);
    put(m, "bootstraps_refused", bootstrapsRefused);
    put(m, "bootstrap_bytes_sent", bootstrapBytesSent);
  }
}
