package io.kevo.engine.internal.wal;

import io.kevo.engine.OpType;
import io.kevo.engine.OperationPayload;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WriteBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One caller's write waiting in the group-commit queue: a single operation, an atomic batch, or
 * (with no operations) a request to sync. The write leader assigns its sequence numbers and
 * completes it. Fields are published to the waiting caller by the commit queue's lock.
 */
public final class PendingWrite {
  private final OpType type;
  private final byte[] key;
  private final byte[] value;
  private final List<WriteBatch.Op> batch;
  private final boolean sync;
  private final int dataSize;
  private long firstSequence;
  private Object attachment;
  private RuntimeException rejection;

  private PendingWrite(
      OpType type, byte[] key, byte[] value, List<WriteBatch.Op> batch, boolean sync) {
    this.type = type;
    this.key = key;
    this.value = value;
    this.batch = batch;
    this.sync = sync;
    if (batch != null) {
      int size = WalCodec.BATCH_HEADER;
      for (WriteBatch.Op op : batch) {
        size += OperationPayload.size(op.key(), op.value());
      }
      this.dataSize = size;
    } else if (type != null) {
      this.dataSize = OperationPayload.size(key, value);
    } else {
      this.dataSize = 0;
    }
  }

  /** A single put ({@code value != null}) or delete. */
  public static PendingWrite single(byte[] key, byte[] value, boolean sync) {
    return new PendingWrite(value == null ? OpType.DELETE : OpType.PUT, key, value, null, sync);
  }

  /** An atomic batch of at least one operation; the list must not change afterwards. */
  public static PendingWrite batch(List<WriteBatch.Op> ops, boolean sync) {
    return new PendingWrite(null, null, null, ops, sync);
  }

  /** No operation: completes once everything written before it is durable. */
  public static PendingWrite syncOnly() {
    return new PendingWrite(null, null, null, null, true);
  }

  /** Operations carried (0 for a sync request). */
  public int count() {
    return batch != null ? batch.size() : type != null ? 1 : 0;
  }

  public boolean sync() {
    return sync;
  }

  /** Bytes of the logical record (0 for a sync request). */
  int dataSize() {
    return dataSize;
  }

  /** Bytes the framed logical record takes in the log (0 for a sync request). */
  public long framedSize() {
    return dataSize == 0 ? 0 : RecordFormat.framedSize(dataSize);
  }

  /** The first sequence number assigned (valid once the leader wrote it). */
  public long firstSequence() {
    return firstSequence;
  }

  /** The last sequence number assigned (valid once written; {@code first - 1} if none). */
  public long lastSequence() {
    return firstSequence + count() - 1;
  }

  void assign(long first) {
    this.firstSequence = first;
  }

  /**
   * Something the write leader must look at before logging this write (a transaction's commit
   * check); set by the submitter before queueing.
   */
  public PendingWrite attach(Object attachment) {
    this.attachment = attachment;
    return this;
  }

  public Object attachment() {
    return attachment;
  }

  /** Leader: this write is dropped from its group and its caller gets {@code cause}. */
  public void reject(RuntimeException cause) {
    this.rejection = cause;
  }

  /** Why the leader dropped this write, or null. */
  public RuntimeException rejection() {
    return rejection;
  }

  /** Encodes the logical record's data at the buffer's position (little-endian buffer). */
  void encode(ByteBuffer out) {
    if (batch == null) {
      OperationPayload.write(out, type, firstSequence, key, value);
      return;
    }
    WalCodec.writeBatchHeader(out, firstSequence, batch.size());
    long seq = firstSequence;
    for (WriteBatch.Op op : batch) {
      OperationPayload.write(out, op.type(), seq++, op.key(), op.value());
    }
  }

  /** Calls {@code sink} for each operation with its assigned sequence. */
  public void forEachOperation(OperationSink sink) {
    if (batch == null) {
      if (type != null) {
        sink.accept(firstSequence, key, value);
      }
      return;
    }
    long seq = firstSequence;
    for (WriteBatch.Op op : batch) {
      sink.accept(seq++, op.key(), op.value());
    }
  }

  /** The public view of this write as a WAL record (for listeners). */
  WalRecord toRecord() {
    List<WalOperation> ops = new ArrayList<>(count());
    forEachOperation(
        (seq, k, v) ->
            ops.add(new WalOperation(v == null ? OpType.DELETE : OpType.PUT, seq, k, v)));
    return new WalRecord(ops, batch != null);
  }

  /** Receives one operation: {@code value == null} means delete. */
  @FunctionalInterface
  public interface OperationSink {
    void accept(long sequence, byte[] key, byte[] value);
  }
}
