package io.kevo.chaos.workload;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.BeginTransactionRequest;
import io.kevo.proto.CommitTransactionRequest;
import io.kevo.proto.DeleteRequest;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.Operation;
import io.kevo.proto.PutRequest;
import io.kevo.proto.RollbackTransactionRequest;
import io.kevo.proto.TxDeleteRequest;
import io.kevo.proto.TxGetRequest;
import io.kevo.proto.TxGetResponse;
import io.kevo.proto.TxPutRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one client operation against one node with raw {@code kevo.KevoService} calls (no client
 * library: its retries and routing would hide what happened) and records it, with its outcome, in
 * the history. Every call has a deadline. Thread-safe: holds no per-call state.
 */
public final class OpRunner {
  private final NodeChannels channels;
  private final HistoryRecorder recorder;
  private final long timeoutMillis;
  private final String ack;

  /**
   * @param timeout deadline of each call
   * @param ack the acknowledgement level every write asks for ({@code kevo-ack}), so that it holds
   *     across failovers whatever the new primary's default
   */
  public OpRunner(NodeChannels channels, HistoryRecorder recorder, Duration timeout, String ack) {
    this.channels = channels;
    this.recorder = recorder;
    this.timeoutMillis = timeout.toMillis();
    this.ack = ack;
  }

  /** The node an operation goes to: its name, address, and whether it is believed primary. */
  public record Target(String node, String address, Op.Target role) {}

  public Op put(int client, Target t, String key, String value) {
    Call call = new Call(client, t, Op.Kind.PUT, 0);
    List<Mop> mops = List.of(Mop.put(key, value));
    try {
      call.stub()
          .put(
              PutRequest.newBuilder()
                  .setKey(ByteString.copyFromUtf8(key))
                  .setValue(Values.encode(value))
                  .build());
      return call.ok(mops);
    } catch (StatusRuntimeException e) {
      return call.failed(mops, OutcomeOf.failedWrite(e.getStatus()), e);
    }
  }

  public Op delete(int client, Target t, String key) {
    Call call = new Call(client, t, Op.Kind.DELETE, 0);
    List<Mop> mops = List.of(Mop.delete(key));
    try {
      call.stub().delete(DeleteRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build());
      return call.ok(mops);
    } catch (StatusRuntimeException e) {
      return call.failed(mops, OutcomeOf.failedWrite(e.getStatus()), e);
    }
  }

  /** A batch of puts, applied atomically ({@code BatchWrite}). */
  public Op batch(int client, Target t, List<Mop> puts) {
    Call call = new Call(client, t, Op.Kind.BATCH, 0);
    BatchWriteRequest.Builder b = BatchWriteRequest.newBuilder();
    for (Mop m : puts) {
      b.addOperations(
          Operation.newBuilder()
              .setType(Operation.Type.PUT)
              .setKey(ByteString.copyFromUtf8(m.key()))
              .setValue(Values.encode(m.value())));
    }
    try {
      call.stub().batchWrite(b.build());
      return call.ok(puts);
    } catch (StatusRuntimeException e) {
      return call.failed(puts, OutcomeOf.failedWrite(e.getStatus()), e);
    }
  }

  /** A Get, sent with {@code minSequence} as its read-your-writes token when positive. */
  public Op get(int client, Target t, String key, long minSequence) {
    Call call = new Call(client, t, Op.Kind.GET, minSequence);
    try {
      GetResponse r =
          call.stub().get(GetRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build());
      return call.ok(List.of(Mop.read(key, r.getFound() ? Values.decode(r.getValue()) : null)));
    } catch (StatusRuntimeException e) {
      return call.failed(List.of(Mop.read(key, null)), OutcomeOf.failedRead(), e);
    }
  }

  /**
   * A read-write transaction: reads {@code k1} and {@code k2}, then writes {@code v1} to {@code k1}
   * and {@code v2} to {@code k2} (a null value deletes), and commits. Only the commit can leave the
   * outcome unknown; a failure before it rolls back (best effort) and fails.
   */
  public Op txn(int client, Target t, String k1, String k2, String v1, String v2) {
    Call call = new Call(client, t, Op.Kind.TXN, 0);
    Mop w1 = v1 == null ? Mop.delete(k1) : Mop.put(k1, v1);
    Mop w2 = v2 == null ? Mop.delete(k2) : Mop.put(k2, v2);
    List<Mop> unread = List.of(Mop.read(k1, null), Mop.read(k2, null), w1, w2);
    String tx;
    try {
      tx =
          call.stub()
              .beginTransaction(BeginTransactionRequest.getDefaultInstance())
              .getTransactionId();
    } catch (StatusRuntimeException e) {
      return call.failed(unread, Outcome.FAIL, e);
    }
    List<Mop> mops;
    try {
      mops = List.of(Mop.read(k1, txGet(call, tx, k1)), Mop.read(k2, txGet(call, tx, k2)), w1, w2);
      txWrite(call, tx, w1);
      txWrite(call, tx, w2);
    } catch (StatusRuntimeException e) {
      rollback(t, tx);
      return call.failed(unread, Outcome.FAIL, e);
    }
    try {
      call.stub()
          .commitTransaction(CommitTransactionRequest.newBuilder().setTransactionId(tx).build());
      return call.ok(mops);
    } catch (StatusRuntimeException e) {
      return call.failed(unread, OutcomeOf.failedWrite(e.getStatus()), e);
    }
  }

  private static String txGet(Call call, String tx, String key) {
    TxGetResponse r =
        call.stub()
            .txGet(
                TxGetRequest.newBuilder()
                    .setTransactionId(tx)
                    .setKey(ByteString.copyFromUtf8(key))
                    .build());
    return r.getFound() ? Values.decode(r.getValue()) : null;
  }

  private static void txWrite(Call call, String tx, Mop write) {
    ByteString key = ByteString.copyFromUtf8(write.key());
    if (write.kind() == Mop.Kind.DELETE) {
      call.stub().txDelete(TxDeleteRequest.newBuilder().setTransactionId(tx).setKey(key).build());
    } else {
      call.stub()
          .txPut(
              TxPutRequest.newBuilder()
                  .setTransactionId(tx)
                  .setKey(key)
                  .setValue(Values.encode(write.value()))
                  .build());
    }
  }

  private void rollback(Target t, String tx) {
    try {
      channels
          .stub(t.address())
          .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
          .rollbackTransaction(
              RollbackTransactionRequest.newBuilder().setTransactionId(tx).build());
    } catch (StatusRuntimeException e) {
      // The node forgets abandoned transactions by itself; nothing was committed either way.
    }
  }

  static String describe(Status s) {
    String d = s.getDescription();
    return s.getCode() + (d == null ? "" : ": " + d);
  }

  /**
   * One operation from its invocation: its id and start time are taken when it is created; its
   * calls share the metadata sent and the trailers received; {@link #ok} or {@link #failed} records
   * it.
   */
  private final class Call {
    private final long id = recorder.nextId();
    private final long invoked = recorder.now();
    private final TrailerCapture trailers = new TrailerCapture();
    private final int client;
    private final Target target;
    private final Op.Kind kind;
    private final long minSequence;

    Call(int client, Target target, Op.Kind kind, long minSequence) {
      this.client = client;
      this.target = target;
      this.kind = kind;
      this.minSequence = minSequence;
    }

    KevoServiceGrpc.KevoServiceBlockingStub stub() {
      return trailers
          .wrap(channels.stub(target.address()), ack, minSequence)
          .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    Op ok(List<Mop> mops) {
      return record(mops, Outcome.OK, null);
    }

    /** Records a failure; the node's channel will try to reconnect at once on its next call. */
    Op failed(List<Mop> mops, Outcome outcome, StatusRuntimeException e) {
      channels.reconnectSoon(target.address());
      return record(mops, outcome, describe(e.getStatus()));
    }

    private Op record(List<Mop> mops, Outcome outcome, String error) {
      Op op =
          new Op(
              id,
              client,
              target.node(),
              target.role(),
              kind,
              mops,
              invoked,
              recorder.now(),
              outcome,
              error,
              trailers.sequence(),
              trailers.epoch(),
              minSequence);
      recorder.record(op);
      return op;
    }
  }
}
