package io.kevo.coordination;

import java.util.Objects;

/**
 * The cluster's {@code primary} znode: who leads the current term and how far it had confirmed
 * writes when it last said so. Persistent, unlike the members' entries, so that it outlives the
 * primary: when the primary's session ends, the candidates compare themselves with {@code sequence}
 * (see {@link CandidateChoice}) and a newcomer learns who led last. Immutable.
 *
 * @param id the primary's member id
 * @param clientAddress where clients reached it
 * @param epoch its term's epoch, the one it claimed from the {@link EpochLedger}
 * @param termStart the first sequence written in that term
 * @param sequence the highest sequence it had acknowledged to a client at its acknowledgement level
 *     when it last wrote this record (its last written sequence at {@code async}); written at most
 *     every few hundred milliseconds, so possibly a little behind
 * @param updatedAtMillis when it wrote this record, milliseconds since the Unix epoch, its clock
 */
public record PrimaryRecord(
    String id,
    String clientAddress,
    long epoch,
    long termStart,
    long sequence,
    long updatedAtMillis) {

  /** Checks the fields. */
  public PrimaryRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(clientAddress, "clientAddress");
    if (epoch < 1 || termStart < 1 || sequence < 0) {
      throw new IllegalArgumentException(
          "a primary record needs epoch and term start >= 1 and sequence >= 0, got "
              + epoch
              + ", "
              + termStart
              + ", "
              + sequence);
    }
  }
}
