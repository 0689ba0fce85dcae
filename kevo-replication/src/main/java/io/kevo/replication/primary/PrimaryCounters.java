package io.kevo.replication.primary;

import java.util.concurrent.atomic.LongAdder;

/** The primary's cumulative counters (since it opened). Thread-safe. */
final class PrimaryCounters {
  final LongAdder bytesRaw = new LongAdder();
  final LongAdder bytesWire = new LongAdder();
  final LongAdder entries = new LongAdder();
  final LongAdder responses = new LongAdder();
  final LongAdder heartbeats = new LongAdder();
  final LongAdder resends = new LongAdder();
  final LongAdder sessionsOpened = new LongAdder();
  final LongAdder sessionsTimedOut = new LongAdder();
  final LongAdder streamsRefused = new LongAdder();
  final LongAdder recordsReadFromLog = new LongAdder();
  final LongAdder holdsDropped = new LongAdder();

  void sent(long raw, long wire, int entryCount) {
    bytesRaw.add(raw);
    bytesWire.add(wire);
    entries.add(entryCount);
    responses.increment();
  }
}
