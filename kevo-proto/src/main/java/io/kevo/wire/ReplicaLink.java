package io.kevo.wire;

import static io.kevo.wire.StatusValues.flag;
import static io.kevo.wire.StatusValues.number;
import static io.kevo.wire.StatusValues.put;
import static io.kevo.wire.StatusValues.ratio;
import static io.kevo.wire.StatusValues.text;

import io.kevo.proto.ReplicaInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One replica as its primary sees it: the {@code meta} map of a {@code ReplicaInfo} in {@code
 * GetNodeInfo} (the address, acknowledged sequence and availability are the message's own fields).
 * Immutable. Every value is absent when its key is missing or does not parse (an older node).
 *
 * <p>Keys (values decimal unless stated): {@code replica_id} (text), {@code lag_entries}, {@code
 * lag_ms}, {@code bytes_sent_raw}, {@code bytes_sent_wire}, {@code compression_ratio} (wire/raw,
 * three decimals), {@code entries_sent}, {@code resends}, {@code connects}, {@code held_from} (-1:
 * the primary holds no WAL for it) and {@code hold_dropped} ({@code true}/{@code false}).
 *
 * @param replicaId the replica's id
 * @param lagEntries entries the replica has not acknowledged
 * @param lagMillis how far behind in time the replica is
 * @param bytesSentRaw payload bytes sent to it, before compression
 * @param bytesSentWire bytes sent to it on the wire
 * @param compressionRatio wire bytes / raw bytes
 * @param entriesSent WAL entries sent to it
 * @param resends entries sent again after a negative acknowledgement
 * @param connects streams it opened
 * @param heldFrom the first sequence the primary keeps for it, -1 when none
 * @param holdDropped whether the primary gave up keeping WAL for it
 */
public record ReplicaLink(
    Optional<String> replicaId,
    OptionalLong lagEntries,
    OptionalLong lagMillis,
    OptionalLong bytesSentRaw,
    OptionalLong bytesSentWire,
    OptionalDouble compressionRatio,
    OptionalLong entriesSent,
    OptionalLong resends,
    OptionalLong connects,
    OptionalLong heldFrom,
    Optional<Boolean> holdDropped) {

  /** Reads {@code meta}; never throws. */
  public static ReplicaLink fromMap(Map<String, String> meta) {
    return new ReplicaLink(
        text(meta, "replica_id"),
        number(meta, "lag_entries"),
        number(meta, "lag_ms"),
        number(meta, "bytes_sent_raw"),
        number(meta, "bytes_sent_wire"),
        ratio(meta, "compression_ratio"),
        number(meta, "entries_sent"),
        number(meta, "resends"),
        number(meta, "connects"),
        number(meta, "held_from"),
        flag(meta, "hold_dropped"));
  }

  /** The {@code meta} of {@code info}. */
  public static ReplicaLink of(ReplicaInfo info) {
    return fromMap(info.getMetaMap());
  }

  /** The {@code meta} map: one entry per present value. */
  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    put(m, "replica_id", replicaId);
    put(m, "lag_entries", lagEntries);
    put(m, "lag_ms", lagMillis);
    put(m, "bytes_sent_raw", bytesSentRaw);
    put(m, "bytes_sent_wire", bytesSentWire);
    put(m, "compression_ratio", compressionRatio);
    put(m, "entries_sent", entriesSent);
    put(m, "resends", resends);
    put(m, "connects", connects);
    put(m, "held_from", heldFrom);
    put(m, "hold_dropped", holdDropped);
    return m;
  }
}
