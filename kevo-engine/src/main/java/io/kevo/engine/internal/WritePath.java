package io.kevo.engine.internal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.OpType;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WriteBatch;
import io.kevo.engine.WriteOptions;
import io.kevo.engine.internal.wal.PendingWrite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Lock;

/**
 * The write entry points — put, delete, batch, replicated records, transaction commits and the
 * flush marker — as far as the write queue: each checks its arguments ({@link WriteLimits}), builds
 * its {@link PendingWrite}s, submits them to the {@link WriteQueue} (whose leader commits them with
 * {@link GroupCommit}) and, once committed, counts them in {@link WriteCounters}, in one place.
 *
 * <p>Thread-safe: called by any number of application threads at once; each waits in the queue
 * until its write is logged and applied. Writes hold the {@link Lifecycle} shared while they wait,
 * so close waits for them; while {@link ErrorRecovery} holds a failure they are refused before they
 * are queued.
 */
final class WritePath {
  private final Lifecycle lifecycle;
  private final ErrorRecovery errors;
  private final WriteQueue queue;
  private final WriteLimits limits;
  private final WriteCounters counters;
  private final VisibleSequence visible;

  WritePath(
      Lifecycle lifecycle,
      ErrorRecovery errors,
      WriteQueue queue,
      WriteLimits limits,
      WriteCounters counters,
      VisibleSequence visible) {
    this.lifecycle = lifecycle;
    this.errors = errors;
    this.queue = queue;
    this.limits = limits;
    this.counters = counters;
    this.visible = visible;
  }

  long put(byte[] key, byte[] value, WriteOptions wo) {
    limits.checkKey(key);
    limits.checkValue(value);
    PendingWrite w = PendingWrite.single(key, value, wo.sync());
    submitAll(List.of(w));
    counters.wrote(1, 0, 0, key.length + value.length);
    return w.firstSequence();
  }

  long delete(byte[] key, WriteOptions wo) {
    limits.checkKey(key);
    PendingWrite w = PendingWrite.single(key, null, wo.sync());
    submitAll(List.of(w));
    counters.wrote(0, 1, 0, key.length);
    return w.firstSequence();
  }

  long write(WriteBatch batch, WriteOptions wo) {
    Objects.requireNonNull(batch, "batch");
    if (batch.isEmpty()) {
      checkWritable();
      return visible.get();
    }
    List<WriteBatch.Op> ops = List.copyOf(batch.ops());
    for (WriteBatch.Op op : ops) {
      limits.checkKey(op.key());
      if (op.type() == OpType.PUT) {
        limits.checkValue(op.value());
      }
    }
    return commitBatch(PendingWrite.batch(ops, wo.sync()), ops, batch.byteSize());
  }

  /** Logs {@code batch} if {@code check} passes in the write leader; returns its last sequence. */
  long commitTransaction(WriteBatch batch, CommitCheck check) {
    List<WriteBatch.Op> ops = List.copyOf(batch.ops());
    return commitBatch(PendingWrite.batch(ops, false).attach(check), ops, batch.byteSize());
  }

  private long commitBatch(PendingWrite w, List<WriteBatch.Op> ops, long bytes) {
    submitAll(List.of(w));
    long puts = 0;
    for (WriteBatch.Op op : ops) {
      if (op.type() == OpType.PUT) {
        puts++;
      }
    }
    counters.wrote(puts, ops.size() - puts, 1, bytes);
    return w.lastSequence();
  }

  /**
   * Replication: logs and applies {@code records} (each one WAL record, numbered consecutively from
   * one to the next) in one group commit. If the first cannot land at the log's next sequence, none
   * is written.
   */
  long applyReplicated(List<WalRecord> records, WriteOptions wo) {
    Objects.requireNonNull(records, "records");
    if (records.isEmpty()) {
      throw new KevoException(ErrorCode.INVALID_ARGUMENT, "no records to apply");
    }
    Object group = new Object();
    List<PendingWrite> writes = new ArrayList<>(records.size());
    long p = 0;
    long d = 0;
    long bytes = 0;
    long b = 0;
    long expected = records.get(0).firstSequence();
    for (WalRecord record : records) {
      List<WalOperation> ops = record.operations();
      List<WriteBatch.Op> batchOps = record.batch() ? new ArrayList<>(ops.size()) : null;
      for (WalOperation op : ops) {
        if (op.sequence() != expected) {
          throw new KevoException(
              ErrorCode.SEQUENCE_MISMATCH,
              "replicated records are not numbered consecutively: sequence "
                  + op.sequence()
                  + " where "
                  + expected
                  + " was expected");
        }
        expected++;
        limits.checkKey(op.key());
        if (op.type() == OpType.PUT) {
          limits.checkValue(op.value());
          p++;
          bytes += op.key().length + op.value().length;
        } else {
          d++;
          bytes += op.key().length;
        }
        if (batchOps != null) {
          batchOps.add(new WriteBatch.Op(op.type(), op.key(), op.value()));
        }
      }
      if (batchOps == null && ops.size() != 1) {
        throw new KevoException(
            ErrorCode.INVALID_ARGUMENT,
            "a replicated record that is not a batch holds one operation");
      }
      WalOperation only = ops.get(0);
      PendingWrite w;
      if (batchOps != null) {
        w = PendingWrite.batch(batchOps, wo.sync());
        b++;
      } else {
        w =
            PendingWrite.single(
                only.key(), only.type() == OpType.PUT ? only.value() : null, wo.sync());
      }
      w.attach(new GroupCommit.ReplicatedAt(record.firstSequence(), group));
      writes.add(w);
    }
    submitAll(writes);
    counters.wrote(p, d, b, bytes);
    return writes.get(writes.size() - 1).lastSequence();
  }

  /** Queues an empty, syncing write: its leader makes a requested memtable switch and syncs. */
  void syncMarker() {
    submitAll(List.of(PendingWrite.syncOnly()));
  }

  /** Refuses a write now if the database is closed or {@link ErrorRecovery} holds a failure. */
  void checkWritable() {
    lifecycle.checkOpen();
    errors.checkWritable();
  }

  private void submitAll(List<PendingWrite> w) {
    Lock entered = lifecycle.enter();
    try {
      checkWritable();
      queue.submitAll(w);
    } catch (KevoException e) {
      throw e;
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "WAL write failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KevoException(ErrorCode.IO_ERROR, "interrupted while waiting to write", e);
    } catch (Exception e) {
      throw new KevoException(ErrorCode.IO_ERROR, "write failed: " + e, e);
    } finally {
      entered.unlock();
    }
  }
}
