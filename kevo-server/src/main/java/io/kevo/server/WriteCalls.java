package io.kevo.server;

import static io.kevo.server.Calls.answerLater;

import io.grpc.stub.StreamObserver;
import io.kevo.engine.KevoDB;
import io.kevo.engine.WriteBatch;
import io.kevo.engine.WriteOptions;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.BatchWriteResponse;
import io.kevo.proto.DeleteRequest;
import io.kevo.proto.DeleteResponse;
import io.kevo.proto.Operation;
import io.kevo.proto.PutRequest;
import io.kevo.proto.PutResponse;
import io.kevo.replication.AckResult;
import io.kevo.wire.AckLevel;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The writes of {@code KevoService}, {@code Put}, {@code Delete} and {@code BatchWrite}, and the
 * commit path they share with a read-write transaction's commit. A write is checked (its {@code
 * kevo-ack}, the role, {@code --min-replicas-to-write}; see {@link ReplicationGate}) before
 * anything is written, then committed locally; its commit sequence and the epoch go in the {@code
 * kevo-sequence} and {@code kevo-epoch} trailers. At a level other than {@code async} the answer
 * waits for the replicas' acknowledgements without holding a thread: the handler registers with the
 * primary and returns, and the answer is sent from the acknowledging (or timer) thread; on timeout
 * the call fails with {@code DEADLINE_EXCEEDED} saying the write is committed on the primary but
 * not confirmed. {@code sync} writes wait for the WAL fsync, on the sync-write pool. Thread-safe.
 */
final class WriteCalls {
  private static final long ACK_DEADLINE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private static final PutResponse PUT_OK = PutResponse.newBuilder().setSuccess(true).build();
  private static final DeleteResponse DELETE_OK =
      DeleteResponse.newBuilder().setSuccess(true).build();
  private static final BatchWriteResponse BATCH_OK =
      BatchWriteResponse.newBuilder().setSuccess(true).build();

  private final KevoDB db;
  private final ServerOptions options;
  private final ReplicationGate gate;
  private final Executor syncWrites;

  /**
   * @param syncWrites where writes that sync run (never an event loop)
   */
  WriteCalls(KevoDB db, ServerOptions options, ReplicationGate gate, Executor syncWrites) {
    this.db = db;
    this.options = options;
    this.gate = gate;
    this.syncWrites = syncWrites;
  }

  void put(PutRequest req, StreamObserver<PutResponse> out) {
    write(
        req.getSync(),
        out,
        () ->
            db.put(
                req.getKey().toByteArray(), req.getValue().toByteArray(), options(req.getSync())),
        PUT_OK);
  }

  void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
    write(
        req.getSync(),
        out,
        () -> db.delete(req.getKey().toByteArray(), options(req.getSync())),
        DELETE_OK);
  }

  void batchWrite(BatchWriteRequest req, StreamObserver<BatchWriteResponse> out) {
    // Always on a pool thread (see CallDispatch), so a batch that syncs may wait right here.
    commitLocally(
        CallState.current(),
        out,
        () -> {
          WriteBatch batch = new WriteBatch();
          for (int i = 0; i < req.getOperationsCount(); i++) {
            Operation op = req.getOperations(i);
            switch (op.getType()) {
              case PUT -> batch.put(op.getKey().toByteArray(), op.getValue().toByteArray());
              case DELETE -> batch.delete(op.getKey().toByteArray());
              default ->
                  throw new ServerException(
                      ServerException.Reason.BAD_REQUEST,
                      "operation " + i + " has an unknown type " + op.getTypeValue());
            }
          }
          return db.write(batch, options(req.getSync()));
        },
        BATCH_OK);
  }

  private static WriteOptions options(boolean sync) {
    return sync ? WriteOptions.SYNC : WriteOptions.DEFAULT;
  }

  /**
   * A put or delete: run here, or on {@code syncWrites} when it asked for sync (this thread may be
   * an event loop, which must not wait for an fsync; see {@link CallDispatch}). {@code body} writes
   * and returns the commit sequence.
   */
  private <T> void write(boolean sync, StreamObserver<T> out, LongSupplier body, T ok) {
    CallState call = CallState.current(); // the context is this thread's, not the executor's
    if (!sync) {
      commitLocally(call, out, body, ok);
      return;
    }
    try {
      syncWrites.execute(() -> commitLocally(call, out, body, ok));
    } catch (RejectedExecutionException e) {
      out.onError(
          StatusMapper.toException(
              new ServerException(ServerException.Reason.SHUTTING_DOWN, "the server is stopping")));
    }
  }

  /**
   * Checks the write may proceed, runs {@code body} (which commits and returns the sequence), then
   * answers {@code ok} at once or once the acknowledgement level is met; never blocks for replicas.
   */
  <T> void commitLocally(CallState call, StreamObserver<T> out, LongSupplier body, T ok) {
    AckLevel level;
    long sequence;
    gate.writeStarted();
    try {
      level = gate.ackLevel(call);
      gate.checkWritable(level);
      sequence = body.getAsLong();
    } catch (RuntimeException e) {
      out.onError(StatusMapper.toException(e));
      return;
    } finally {
      gate.writeEnded();
    }
    call.reportSequence(sequence, gate.epoch());
    if (!level.waits()) {
      String lapsed = gate.acknowledgementRefusal();
      if (lapsed != null) {
        out.onError(
            StatusMapper.toException(
                new ServerException(
                    ServerException.Reason.NO_PRIMARY,
                    "the write at sequence " + sequence + " was made but " + lapsed)));
        return;
      }
      out.onNext(ok);
      out.onCompleted();
      return;
    }
    long timeout = ackTimeoutNanos(call);
    gate.awaitAcks(sequence, level, timeout)
        .whenComplete(
            (r, failure) ->
                answerLater(
                    out,
                    () -> {
                      if (failure != null) {
                        out.onError(StatusMapper.toException(failure));
                        return;
                      }
                      call.reportAckReplicas(r.acknowledged());
                      if (r.confirmed()) {
                        out.onNext(ok);
                        out.onCompleted();
                      } else {
                        out.onError(StatusMapper.toException(notConfirmed(r, level, timeout)));
                      }
                    }));
  }

  /** The configured acknowledgement timeout, cut to end a little before the call's deadline. */
  private long ackTimeoutNanos(CallState call) {
    long configured = options.replicationAckTimeout().toNanos();
    long left = call.nanosLeft();
    if (left == Long.MAX_VALUE) {
      return configured;
    }
    // Answer before the client gives up, so that it gets the precise error, not its own timeout.
    return Math.max(0, Math.min(configured, left - Math.min(left / 10, ACK_DEADLINE_MARGIN_NANOS)));
  }

  private ServerException notConfirmed(AckResult r, AckLevel level, long timeoutNanos) {
    boolean durable = db.wal().durableSequence() >= r.sequence();
    String needed =
        level.kind() == AckLevel.Kind.ALL
            ? "all " + r.required() + " connected replica(s)"
            : r.required() + " replica(s)";
    return new ServerException(
        ServerException.Reason.ACK_TIMEOUT,
        "the write at sequence "
            + r.sequence()
            + (durable
                ? " is durable on the primary"
                : " is committed on the primary (in its log, not yet synced)")
            + " but was not confirmed by "
            + needed
            + " within "
            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
            + " ms ("
            + r.acknowledged()
            + " acknowledged, level "
            + level
            + "); it is not rolled back and reaches the replicas as they catch up");
  }
}
