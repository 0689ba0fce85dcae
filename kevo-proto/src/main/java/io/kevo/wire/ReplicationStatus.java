package io.kevo.wire;

import static io.kevo.wire.StatusValues.number;
import static io.kevo.wire.StatusValues.put;
import static io.kevo.wire.StatusValues.text;

import io.kevo.proto.GetNodeInfoResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The typed form of {@code GetNodeInfoResponse.replication}, the name/value map a node fills with
 * its own replication figures, and its codec, written once: the server builds one and writes {@link
 * #toMap()}; the CLI, the chaos runner and the tests read one with {@link #of} or {@link #fromMap}.
 * Immutable.
 *
 * <p>The map stays the wire form (a {@code map<string,string>}, field 7); this type only names and
 * types its keys. Every part and value is absent when its keys are missing or do not parse, as from
 * an older node or a node of another role: decoding never throws. No component of these records is
 * null: an absent value is an empty {@code Optional}. Which part a node fills:
 *
 * <ul>
 *   <li>every node with an epoch: {@code epoch}, {@code epoch_term}, {@code epoch_start_sequence}
 *       ({@link Epoch});
 *   <li>a node whose engine refuses writes (a full disk, say): {@code write_refusal}, {@code
 *       write_refusal_code}, {@code write_refusal_since} ({@link WriteRefusal});
 *   <li>a primary that learnt it was superseded: {@code superseded} (why, in words);
 *   <li>a primary: {@link PrimarySide}; a replica that has started: {@link ReplicaSide}.
 * </ul>
 *
 * <p>Each replica a primary lists in {@code GetNodeInfoResponse.replicas} carries its own figures
 * in {@code ReplicaInfo.meta}: {@link ReplicaLink}.
 *
 * @param epoch this node's current term
 * @param writeRefusal why the engine refuses writes, while it does
 * @param superseded why this primary was superseded, once it was
 * @param primary the primary's figures (a primary only)
 * @param replica the replica's figures (a replica that has started only)
 */
public record ReplicationStatus(
    Optional<Epoch> epoch,
    Optional<WriteRefusal> writeRefusal,
    Optional<String> superseded,
    Optional<PrimarySide> primary,
    Optional<ReplicaSide> replica) {

  /** Nothing known: what a standalone node without an epoch, or an empty map, decodes to. */
  public static final ReplicationStatus EMPTY =
      new ReplicationStatus(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * This node's current term ({@code epoch}, {@code epoch_term}, {@code epoch_start_sequence}).
   *
   * @param number the epoch, present whenever this part is
   * @param termId the term's id (text)
   * @param startSequence the first sequence of the term
   */
  public record Epoch(long number, Optional<String> termId, OptionalLong startSequence) {}

  /**
   * Why the engine refuses writes ({@code write_refusal}, {@code write_refusal_code}, {@code
   * write_refusal_since}).
   *
   * @param reason the failure in words, present whenever this part is
   * @param code {@code NO_SPACE} (the node resumes by itself) or {@code WRITES_REFUSED} (only a
   *     restart helps)
   * @param since when it began, ISO-8601
   */
  public record WriteRefusal(String reason, Optional<String> code, Optional<String> since) {}

  /** Reads {@code response}'s {@code replication} map; never throws. */
  public static ReplicationStatus of(GetNodeInfoResponse response) {
    return fromMap(response.getReplicationMap());
  }

  /** Reads a {@code replication} map; never throws. */
  public static ReplicationStatus fromMap(Map<String, String> m) {
    OptionalLong epochNumber = number(m, "epoch");
    Optional<Epoch> epoch =
        epochNumber.isPresent()
            ? Optional.of(
                new Epoch(
                    epochNumber.getAsLong(),
                    text(m, "epoch_term"),
                    number(m, "epoch_start_sequence")))
            : Optional.empty();
    Optional<WriteRefusal> refusal =
        text(m, "write_refusal")
            .map(
                r ->
                    new WriteRefusal(
                        r, text(m, "write_refusal_code"), text(m, "write_refusal_since")));
    return new ReplicationStatus(
        epoch, refusal, text(m, "superseded"), PrimarySide.fromMap(m), ReplicaSide.fromMap(m));
  }

  /** The {@code replication} map: one entry per present value. */
  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    epoch.ifPresent(
        e -> {
          m.put("epoch", Long.toString(e.number()));
          put(m, "epoch_term", e.termId());
          put(m, "epoch_start_sequence", e.startSequence());
        });
    writeRefusal.ifPresent(
        r -> {
          m.put("write_refusal", r.reason());
          put(m, "write_refusal_code", r.code());
          put(m, "write_refusal_since", r.since());
        });
    put(m, "superseded", superseded);
    primary.ifPresent(p -> p.putInto(m));
    replica.ifPresent(r -> r.putInto(m));
    return m;
  }
}
