package io.kevo.wire;

import static io.kevo.wire.StatusValues.anyOf;
import static io.kevo.wire.StatusValues.flag;
import static io.kevo.wire.StatusValues.number;
import static io.kevo.wire.StatusValues.put;
import static io.kevo.wire.StatusValues.text;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A replica's own replication figures in {@code GetNodeInfo.replication}. Immutable. Every value is
 * absent when its key is missing or does not parse (an older node); the keys are given with each
 * component, values decimal unless stated.
 *
 * @param replicaId {@code replica_id} (text)
 * @param state {@code state}: the replica's state name (text)
 * @param stateMillis {@code state_ms}: time in that state
 * @param appliedSequence {@code applied_sequence}
 * @param durableSequence {@code durable_sequence}
 * @param ackedSequence {@code acked_sequence}: the highest sequence acknowledged to the primary
 * @param primaryLastSequence {@code primary_last_sequence}: the primary's last, as last heard
 * @param lagEntries {@code lag_entries}
 * @param lagMillis {@code lag_ms}: -1 when unknown
 * @param bytesReceivedWire {@code bytes_received_wire}
 * @param bytesReceivedRaw {@code bytes_received_raw}: payload bytes, after decompression
 * @param entriesApplied {@code entries_applied}
 * @param batchesApplied {@code batches_applied}
 * @param nacksSent {@code nacks_sent}
 * @param checksumFailures {@code checksum_failures}
 * @param reconnects {@code reconnects}
 * @param needsBootstrap {@code needs_bootstrap}: true when the primary no longer holds what it
 *     needs
 * @param bootstrapsCompleted {@code bootstraps_completed}
 * @param lastError {@code last_error}: present only when set
 * @param refusal {@code refusal}: why the primary's stream was refused (a name such as {@code
 *     STALE_EPOCH}), present only when set
 * @param readWaitTimeoutMillis {@code read_wait_timeout_ms}: how long a read waits for a sequence
 * @param readWaits {@code read_waits}: reads that waited for a sequence
 * @param readWaitTimeouts {@code read_wait_timeouts}
 * @param readWaitsPending {@code read_waits_pending}
 * @param bootstrap the snapshot being installed, present only while a bootstrap runs
 */
public record ReplicaSide(
    Optional<String> replicaId,
    Optional<String> state,
    OptionalLong stateMillis,
    OptionalLong appliedSequence,
    OptionalLong durableSequence,
    OptionalLong ackedSequence,
    OptionalLong primaryLastSequence,
    OptionalLong lagEntries,
    OptionalLong lagMillis,
    OptionalLong bytesReceivedWire,
    OptionalLong bytesReceivedRaw,
    OptionalLong entriesApplied,
    OptionalLong batchesApplied,
    OptionalLong nacksSent,
    OptionalLong checksumFailures,
    OptionalLong reconnects,
    Optional<Boolean> needsBootstrap,
    OptionalLong bootstrapsCompleted,
    Optional<String> lastError,
    Optional<String> refusal,
    OptionalLong readWaitTimeoutMillis,
    OptionalLong readWaits,
    OptionalLong readWaitTimeouts,
    OptionalLong readWaitsPending,
    Optional<Bootstrap> bootstrap) {

  /**
   * A snapshot transfer in progress: the {@code bootstrap_*} keys. Every value is absent when its
   * key is missing or does not parse.
   *
   * @param snapshot {@code bootstrap_snapshot}: the snapshot's id (text)
   * @param sequence {@code bootstrap_sequence}: the snapshot's sequence, -1 until known
   * @param bytesDone {@code bootstrap_bytes_done}
   * @param bytesTotal {@code bootstrap_bytes_total}
   * @param filesDone {@code bootstrap_files_done}
   * @param filesTotal {@code bootstrap_files_total}
   * @param elapsedMillis {@code bootstrap_elapsed_ms}
   * @param bytesPerSecond {@code bootstrap_rate_bytes_per_s}
   * @param etaMillis {@code bootstrap_eta_ms}: -1 when unknown
   */
  public record Bootstrap(
      Optional<String> snapshot,
      OptionalLong sequence,
      OptionalLong bytesDone,
      OptionalLong bytesTotal,
      OptionalLong filesDone,
      OptionalLong filesTotal,
      OptionalLong elapsedMillis,
      OptionalLong bytesPerSecond,
      OptionalLong etaMillis) {

    private static final String[] KEYS = {
      "bootstrap_snapshot",
      "bootstrap_sequence",
      "bootstrap_bytes_done",
      "bootstrap_bytes_total",
      "bootstrap_files_done",
      "bootstrap_files_total",
      "bootstrap_elapsed_ms",
      "bootstrap_rate_bytes_per_s",
      "bootstrap_eta_ms"
    };

    static Optional<Bootstrap> fromMap(Map<String, String> m) {
      if (!anyOf(m, KEYS)) {
        return Optional.empty();
      }
      return Optional.of(
          new Bootstrap(
              text(m, "bootstrap_snapshot"),
              number(m, "bootstrap_sequence"),
              number(m, "bootstrap_bytes_done"),
              number(m, "bootstrap_bytes_total"),
              number(m, "bootstrap_files_done"),
              number(m, "bootstrap_files_total"),
              number(m, "bootstrap_elapsed_ms"),
              number(m, "bootstrap_rate_bytes_per_s"),
              number(m, "bootstrap_eta_ms")));
    }

    void putInto(Map<String, String> m) {
      put(m, "bootstrap_snapshot", snapshot);
      put(m, "bootstrap_sequence", sequence);
      put(m, "bootstrap_bytes_done", bytesDone);
      put(m, "bootstrap_bytes_total", bytesTotal);
      put(m, "bootstrap_files_done", filesDone);
      put(m, "bootstrap_files_total", filesTotal);
      put(m, "bootstrap_elapsed_ms", elapsedMillis);
      put(m, "bootstrap_rate_bytes_per_s", bytesPerSecond);
      put(m, "bootstrap_eta_ms", etaMillis);
    }
  }

  /**
   * The keys only a replica writes (a primary writes {@code durable_sequence} and {@code
   * bootstraps_completed} too): one of them present means the map is a replica's.
   */
  private static final String[] OWN_KEYS = {
    "replica_id",
    "state",
    "state_ms",
    "applied_sequence",
    "acked_sequence",
    "primary_last_sequence",
    "lag_entries",
    "lag_ms",
    "bytes_received_wire",
    "bytes_received_raw",
    "entries_applied",
    "batches_applied",
    "nacks_sent",
    "checksum_failures",
    "reconnects",
    "needs_bootstrap",
    "last_error",
    "refusal",
    "read_wait_timeout_ms",
    "read_waits",
    "read_wait_timeouts",
    "read_waits_pending"
  };

  /** A replica's figures in {@code m}; empty if {@code m} holds none of the replica's own keys. */
  static Optional<ReplicaSide> fromMap(Map<String, String> m) {
    if (!anyOf(m, OWN_KEYS) && !anyOf(m, Bootstrap.KEYS)) {
      return Optional.empty();
    }
    return Optional.of(
        new ReplicaSide(
            text(m, "replica_id"),
            text(m, "state"),
            number(m, "state_ms"),
            number(m, "applied_sequence"),
            number(m, "durable_sequence"),
            number(m, "acked_sequence"),
            number(m, "primary_last_sequence"),
            number(m, "lag_entries"),
            number(m, "lag_ms"),
            number(m, "bytes_received_wire"),
            number(m, "bytes_received_raw"),
            number(m, "entries_applied"),
            number(m, "batches_applied"),
            number(m, "nacks_sent"),
            number(m, "checksum_failures"),
            number(m, "reconnects"),
            flag(m, "needs_bootstrap"),
            number(m, "bootstraps_completed"),
            text(m, "last_error"),
            text(m, "refusal"),
            number(m, "read_wait_timeout_ms"),
            number(m, "read_waits"),
            number(m, "read_wait_timeouts"),
            number(m, "read_waits_pending"),
            Bootstrap.fromMap(m)));
  }

  /** Adds one entry per present value to {@code m}. */
  void putInto(Map<String, String> m) {
    put(m, "replica_id", replicaId);
    put(m, "state", state);
    put(m, "state_ms", stateMillis);
    put(m, "applied_sequence", appliedSequence);
    put(m, "durable_sequence", durableSequence);
    put(m, "acked_sequence", ackedSequence);
    put(m, "primary_last_sequence", primaryLastSequence);
    put(m, "lag_entries", lagEntries);
    put(m, "lag_ms", lagMillis);
    put(m, "bytes_received_wire", bytesReceivedWire);
    put(m, "bytes_received_raw", bytesReceivedRaw);
    put(m, "entries_applied", entriesApplied);
    put(m, "batches_applied", batchesApplied);
    put(m, "nacks_sent", nacksSent);
    put(m, "checksum_failures", checksumFailures);
    put(m, "reconnects", reconnects);
    put(m, "needs_bootstrap", needsBootstrap);
    put(m, "bootstraps_completed", bootstrapsCompleted);
    put(m, "last_error", lastError);
    put(m, "refusal", refusal);
    put(m, "read_wait_timeout_ms", readWaitTimeoutMillis);
    put(m, "read_waits", readWaits);
    put(m, "read_wait_timeouts", readWaitTimeouts);
    put(m, "read_waits_pending", readWaitsPending);
    bootstrap.ifPresent(b -> b.putInto(m));
  }
}
