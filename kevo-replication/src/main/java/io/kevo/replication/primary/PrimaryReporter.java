package io.kevo.replication.primary;

import io.kevo.engine.WalAccess;
import io.kevo.replication.PrimaryStatus;
import java.time.Clock;
import java.util.List;

/**
 * Assembles a primary's {@link PrimaryStatus}: its counters, its log's positions, and each
 * replica's from its {@link Retention} entry, with the lag in time from the {@link WalTail}'s write
 * times.
 *
 * <p>Thread-safe: reads only (each part is thread-safe); a status is consistent enough for humans,
 * not a snapshot.
 */
final class PrimaryReporter {
  private final WalAccess wal;
  private final Clock clock;
  private final PrimaryCounters counters;
  private final Sessions sessions;
  private final Retention retention;
  private final WalTail tail;

  PrimaryReporter(
      WalAccess wal,
      Clock clock,
      PrimaryCounters counters,
      Sessions sessions,
      Retention retention,
      WalTail tail) {
    this.wal = wal;
    this.clock = clock;
    this.counters = counters;
    this.sessions = sessions;
    this.retention = retention;
    this.tail = tail;
  }

  /** Every replica the primary knows (connected, or holding the log while away). */
  List<PrimaryStatus.Replica> replicas() {
    long last = wal.nextSequence() - 1;
    long now = clock.millis();
    return retention.map(
        t -> {
          PrimarySession s = t.session;
          long lagEntries = Math.max(0, last - t.lastAcked);
          long lagMillis = 0;
          if (lagEntries > 0) {
            long at = tail.writtenAtMillis(t.lastAcked + 1);
            lagMillis = at < 0 ? 0 : Math.max(0, now - at);
          }
          return new PrimaryStatus.Replica(
              t.anonymous ? "" : t.key,
              t.address == null ? "" : t.address,
              s != null,
              s != null ? s.id() : "",
              t.lastAcked,
              lagEntries,
              lagMillis,
              t.bytesRaw.get(),
              t.bytesWire.get(),
              t.entriesSent.get(),
              t.resends.get(),
              t.connectCount,
              t.hold != null ? t.hold.fromSequence() : -1,
              t.holdDropped,
              t.lastSeenMillis,
              t.learner);
        });
  }

  /** Primary-wide counters and every replica's status. */
  PrimaryStatus status() {
    return new PrimaryStatus(
        wal.nextSequence() - 1,
        wal.firstRetainedSequence(),
        wal.durableSequence(),
        sessions.countSessions(),
        counters.sessionsOpened.sum(),
        counters.sessionsTimedOut.sum(),
        counters.streamsRefused.sum(),
        counters.bytesRaw.sum(),
        counters.bytesWire.sum(),
        counters.entries.sum(),
        counters.responses.sum(),
        counters.heartbeats.sum(),
        counters.resends.sum(),
        counters.recordsReadFromLog.sum(),
        tail.bytes(),
        counters.holdsDropped.sum(),
        replicas());
  }

  /** Replicas whose stream is open now, learners not included. */
  int connectedReplicas() {
    int n = 0;
    for (boolean c : retention.mapCounted(t -> t.session != null)) {
      n += c ? 1 : 0;
    }
    return n;
  }
}
