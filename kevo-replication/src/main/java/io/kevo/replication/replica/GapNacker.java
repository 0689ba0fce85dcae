package io.kevo.replication.replica;

import io.grpc.Status;
import io.kevo.proto.replication.NackResponse;
import io.kevo.replication.ReplicaOptions;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the primary to resend from the first sequence a replica lacks (a gap, a damaged entry, an
 * undecodable message), once per gap: again only after progress or after {@link
 * ReplicaOptions#nackRetryInterval()}. A failed or refused nack is logged (and the last error set);
 * the stream goes on, and the gap is nacked again if it stays open.
 *
 * <p>Not thread-safe: owned by the replica's apply thread.
 */
final class GapNacker {
  private static final Logger LOG = LoggerFactory.getLogger(GapNacker.class);

  private final String replicaId;
  private final ReplicaConnection connection;
  private final ReplicaCounters counters;
  private final LongSupplier nanoTime;
  private final long retryNanos;
  private long nackedSequence = -1; // the gap last nacked, until progress
  private long nackedAtNanos;

  GapNacker(
      String replicaId,
      ReplicaOptions options,
      ReplicaConnection connection,
      ReplicaCounters counters) {
    this.replicaId = replicaId;
    this.connection = connection;
    this.counters = counters;
    this.nanoTime = options.nanoTime()::nanoTime;
    this.retryNanos = options.nackRetryInterval().toNanos();
  }

  /** Asks for a resend from {@code expected} (the first sequence missing) unless just asked. */
  void nack(long expected, String why) {
    long now = nanoTime.getAsLong();
    if (nackedSequence == expected && now - nackedAtNanos < retryNanos) {
      return;
    }
    nackedSequence = expected;
    nackedAtNanos = now;
    counters.nacksSent.incrementAndGet();
    LOG.info("replica {}: nack from {} ({})", replicaId, expected, why);
    try {
      NackResponse r = connection.nack(expected);
      if (!r.getSuccess()) {
        LOG.warn("replica {}: the primary refused the nack: {}", replicaId, r.getMessage());
      }
    } catch (RuntimeException e) {
      counters.lastError = "nack from " + expected + " failed: " + Status.fromThrowable(e);
      LOG.warn("replica {}: {}", replicaId, counters.lastError);
    }
  }

  /** Nacks again if the gap at {@code expected} is still open after the retry interval. */
  void renackIfStuck(long expected) {
    if (nackedSequence >= 0
        && nackedSequence == expected
        && nanoTime.getAsLong() - nackedAtNanos >= retryNanos) {
      nack(expected, "the gap at " + expected + " is still open");
    }
  }

  /** Records were applied (or a new stream starts): any gap nacked before is closed. */
  void progressed() {
    nackedSequence = -1;
  }
}
