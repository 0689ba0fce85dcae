package io.kevo.replication.replica;

import io.kevo.engine.WalRecord;
import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.Compressor;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.WalEntryApplier;
import io.kevo.replication.wire.RecordAssembler;
import io.kevo.replication.wire.RecordAssembler.Assembled;
import io.kevo.replication.wire.RecordAssembler.Rejection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a stream's entries into applied records on a replica: assembles them ({@link
 * RecordAssembler}), ignores what is already applied, collects consecutive records and applies them
 * in one engine group commit (one WAL write for many records, what makes catching up fast), then
 * advances the applied position and tells the {@link Acknowledger} that something awaits its sync
 * and ack. A gap or a damaged entry is nacked ({@link GapNacker}) from the first sequence missing,
 * and what follows is discarded until the primary resends it.
 *
 * <p>Not thread-safe: owned by the replica's apply thread, which also runs the applied-sequence
 * listener.
 */
final class ApplyPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ApplyPipeline.class);

  /** Records applied in one engine write at most (bounds the group's memory and latency). */
  private static final int MAX_READY_OPS = 4096;

  private final String replicaId;
  private final WalEntryApplier applier;
  private final RecordAssembler assembler;
  private final ReplicaCounters counters;
  private final GapNacker nacker;
  private final Acknowledger acks;
  private final LongConsumer appliedListener;

  private long expected; // the next sequence to apply
  // Records of the current message ready to apply, in order from `expected`; applied together.
  private final List<WalRecord> ready = new ArrayList<>();
  private long readyNext; // the sequence after the last ready record
  private int readyOps;

  /**
   * @param appliedListener told the new last applied sequence after each group commit
   */
  ApplyPipeline(
      String replicaId,
      WalEntryApplier applier,
      Compressor compressor,
      ReplicaOptions options,
      ReplicaCounters counters,
      GapNacker nacker,
      Acknowledger acks,
      LongConsumer appliedListener) {
    this.replicaId = replicaId;
    this.applier = applier;
    this.assembler = new RecordAssembler(compressor, options.maxRecordBytes());
    this.counters = counters;
    this.nacker = nacker;
    this.acks = acks;
    this.appliedListener = appliedListener;
  }

  /** A new stream starts at {@code next}, the local database's next sequence. */
  void startAt(long next) {
    expected = next;
    ready.clear();
    readyOps = 0;
    assembler.reset();
    nacker.progressed();
  }

  /** The stream ended: a batch still partly received is dropped (it is streamed again). */
  void dropPartial() {
    assembler.reset();
  }

  /** The next sequence to apply. */
  long expected() {
    return expected;
  }

  /**
   * The entries of {@code response}; null if it does not decode (counted, logged and nacked; what
   * follows is discarded until a record starts again).
   */
  List<WALEntry> unpack(WALStreamResponse response) {
    try {
      return assembler.unpack(response);
    } catch (ReplicationException e) {
      counters.malformed.incrementAndGet();
      LOG.warn("replica {}: discarding a message: {}", replicaId, e.getMessage());
      counters.lastError = e.getMessage();
      assembler.discardUntilRecordStart();
      nacker.nack(expected, "undecodable message: " + e.getMessage());
      return null;
    }
  }

  /** Assembles and applies {@code entries}; everything complete in them is applied on return. */
  void apply(List<WALEntry> entries) {
    for (WALEntry entry : entries) {
      counters.uncompressedBytes.addAndGet(entry.getPayload().size());
      RecordAssembler.Result r = assembler.accept(entry);
      if (r instanceof Assembled a) {
        applyRecord(a.record());
      } else if (r instanceof Rejection rej) {
        applyReady();
        onRejection(rej);
      }
    }
    applyReady();
  }

  /** Nacks again if the gap at the applied position is still open after the retry interval. */
  void renackIfStuck() {
    nacker.renackIfStuck(expected);
  }

  /** The sequence the next record must start at, counting the records ready to apply. */
  private long nextExpected() {
    return ready.isEmpty() ? expected : readyNext;
  }

  private void applyRecord(WalRecord record) {
    long next = nextExpected();
    if (record.lastSequence() < next) {
      counters.duplicates.addAndGet(record.operations().size());
      return;
    }
    if (record.firstSequence() < next) {
      // Batches are applied whole, so a resend never starts inside one: the primary is confused.
      applyReady();
      throw new ReplicaStreamEnded(
          "the primary sent record "
              + record.firstSequence()
              + ".."
              + record.lastSequence()
              + " overlapping the applied position "
              + (next - 1),
          null,
          false,
          null);
    }
    if (record.firstSequence() > next) {
      applyReady();
      nacker.nack(
          expected, "gap: received " + record.firstSequence() + " while expecting " + expected);
      return;
    }
    ready.add(record);
    readyNext = record.lastSequence() + 1;
    readyOps += record.operations().size();
    if (readyOps >= MAX_READY_OPS) {
      applyReady();
    }
  }

  /** Applies the ready records in one engine group commit, then advances the applied position. */
  private void applyReady() {
    if (ready.isEmpty()) {
      return;
    }
    try {
      applier.applyAll(ready);
    } catch (ReplicationException e) {
      ready.clear();
      readyOps = 0;
      // Someone else wrote to the database; restart from its real position.
      throw new ReplicaStreamEnded(e.getMessage(), null, false, e);
    }
    long batches = 0;
    for (WalRecord record : ready) {
      if (record.batch()) {
        batches++;
      }
    }
    WalRecord last = ready.get(ready.size() - 1);
    counters.entriesApplied.addAndGet(readyOps);
    counters.batchesApplied.addAndGet(batches);
    ready.clear();
    readyOps = 0;
    expected = last.lastSequence() + 1;
    counters.applied(last.lastSequence());
    appliedListener.accept(last.lastSequence());
    nacker.progressed();
    acks.applied();
  }

  private void onRejection(Rejection rej) {
    switch (rej.kind()) {
      case CHECKSUM -> counters.checksumFailures.incrementAndGet();
      case MALFORMED, TOO_LARGE -> counters.malformed.incrementAndGet();
    }
    counters.lastError = rej.message();
    if (rej.sequence() < expected) {
      // A damaged copy of something already applied: nothing is missing.
      LOG.warn("replica {}: ignoring a damaged duplicate: {}", replicaId, rej.message());
      return;
    }
    if (rej.kind() == Rejection.Kind.TOO_LARGE) {
      // Resending will not make it fit: fail visibly (and retry, in case the limit is raised).
      throw new ReplicaStreamEnded(rej.message(), null, false, null);
    }
    LOG.warn("replica {}: {}", replicaId, rej.message());
    nacker.nack(expected, rej.message());
  }
}
