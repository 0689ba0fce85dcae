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
import java.util.ArrayList;
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

  private KevoServiceGrpc.KevoServiceBlockingStub stub(Target t, TrailerCapture c, long minSeq) {
    return c.wrap(channels.stub(t.address()), ack, minSeq)
        .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  public Op put(int client, Target t, String key, String value) {
    long id = recorder.nextId();
    long invoked = recorder.now();
    TrailerCapture c = new TrailerCapture();
    List<Mop> mops = List.of(Mop.put(key, value));
    try {
      stub(t, c, 0)
          .put(
              PutRequest.newBuilder()
                  .setKey(ByteString.copyFromUtf8(key))
                  .setValue(Values.encode(value))
                  .build());
      return done(id, client, t, Op.Kind.PUT, mops, invoked, Outcome.OK, null, c, 0);
    } catch (StatusRuntimeException e) {
      return failedWrite(id, client, t, Op.Kind.PUT, mops, invoked, e, c);
    }
  }

  public Op delete(int client, Target t, String key) {
    long id = recorder.nextId();
    long invoked = recorder.now();
    TrailerCapture c = new TrailerCapture();
    List<Mop> mops = List.of(Mop.delete(key));
    try {
      stub(t, c, 0).delete(DeleteRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build());
      return done(id, client, t, Op.Kind.DELETE, mops, invoked, Outcome.OK, null, c, 0);
    } catch (StatusRuntimeException e) {
      return failedWrite(id, client, t, Op.Kind.DELETE, mops, invoked, e, c);
    }
  }

  /** A batch of puts, applied atomically ({@code BatchWrite}). */
  public Op batch(int client, Target t, List<Mop> puts) {
    long id = recorder.nextId();
    long invoked = recorder.now();
    TrailerCapture c = new TrailerCapture();
    BatchWriteRequest.Builder b = BatchWriteRequest.newBuilder();
    for (Mop m : puts) {
      b.addOperations(
          Operation.newBuilder()
              .setType(Operation.Type.PUT)
              .setKey(ByteString.copyFromUtf8(m.key()))
              .setValue(Values.encode(m.value())));
    }
    try {
      stub(t, c, 0).batchWrite(b.build());
      return done(id, client, t, Op.Kind.BATCH, puts, invoked, Outcome.OK, null, c, 0);
    } catch (StatusRuntimeException e) {
      return failedWrite(id, client, t, Op.Kind.BATCH, puts, invoked, e, c);
    }
  }

  /** A Get, sent with {@code minSequence} as its read-your-writes token when positive. */
  public Op get(int client, Target t, String key, long minSequence) {
    long id = recorder.nextId();
    long invoked = recorder.now();
    TrailerCapture c = new TrailerCapture();
    try {
      GetResponse r =
          stub(t, c, minSequence)
              .get(GetRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build());
      String value = r.getFound() ? Values.decode(r.getValue()) : null;
      return done(
          id,
          client,
          t,
          Op.Kind.GET,
          List.of(Mop.read(key, value)),
          invoked,
          Outcome.OK,
          null,
          c,
          minSequence);
    } catch (StatusRuntimeException e) {
      channels.reconnectSoon(t.address());
      return record(
          new Op(
              id,
              client,
              t.node(),
              t.role(),
              Op.Kind.GET,
              List.of(Mop.read(key, null)),
              invoked,
              recorder.now(),
              OutcomeOf.failedRead(),
              describe(e.getStatus()),
              0,
              0,
              minSequence));
    }
  }

  /**
   * A read-write transaction: reads {@code k1} and {@code k2}, then writes {@code v1} to {@code k1}
   * and {@code v2} to {@code k2} (a null value deletes), and commits. Only the commit can leave the
   * outcome unknown; a failure before it rolls back (best effort) and fails.
   */
  public Op txn(int client, Target t, String k1, String k2, String v1, String v2) {
    long id = recorder.nextId();
    long invoked = recorder.now();
    TrailerCapture c = new TrailerCapture();
    List<Mop> unread = new ArrayList<>();
    unread.add(Mop.read(k1, null));
    unread.add(Mop.read(k2, null));
    unread.add(v1 == null ? Mop.delete(k1) : Mop.put(k1, v1));
    unread.add(v2 == null ? Mop.delete(k2) : Mop.put(k2, v2));
    String tx;
    try {
      tx =
          stub(t, c, 0)
              .beginTransaction(BeginTransactionRequest.getDefaultInstance())
              .getTransactionId();
    } catch (StatusRuntimeException e) {
      channels.reconnectSoon(t.address());
      return failed(id, client, t, unread, invoked, Outcome.FAIL, e);
    }
    String r1;
    String r2;
    try {
      r1 = txGet(t, c, tx, k1);
      r2 = txGet(t, c, tx, k2);
      txWrite(t, c, tx, k1, v1);
      txWrite(t, c, tx, k2, v2);
    } catch (StatusRuntimeException e) {
      rollback(t, tx);
      return failed(id, client, t, unread, invoked, Outcome.FAIL, e);
    }
    List<Mop> mops = List.of(Mop.read(k1, r1), Mop.read(k2, r2), unread.get(2), unread.get(3));
    try {
      stub(t, c, 0)
          .commitTransaction(CommitTransactionRequest.newBuilder().setTransactionId(tx).build());
      return done(id, client, t, Op.Kind.TXN, mops, invoked, Outcome.OK, null, c, 0);
    } catch (StatusRuntimeException e) {
      return failedWrite(id, client, t, Op.Kind.TXN, unread, invoked, e, c);
    }
  }

  private String txGet(Target t, TrailerCapture c, String tx, String key) {
    TxGetResponse r =
        stub(t, c, 0)
            .txGet(
                TxGetRequest.newBuilder()
                    .setTransactionId(tx)
                    .setKey(ByteString.copyFromUtf8(key))
                    .build());
    return r.getFound() ? Values.decode(r.getValue()) : null;
  }

  private void txWrite(Target t, TrailerCapture c, String tx, String key, String value) {
    if (value == null) {
      stub(t, c, 0)
          .txDelete(
              TxDeleteRequest.newBuilder()
                  .setTransactionId(tx)
                  .setKey(ByteString.copyFromUtf8(key))
                  .build());
    } else {
      stub(t, c, 0)
          .txPut(
              TxPutRequest.newBuilder()
                  .setTransactionId(tx)
                  .setKey(ByteString.copyFromUtf8(key))
                  .setValue(Values.encode(value))
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

  private Op failed(
      long id,
      int client,
      Target t,
      List<Mop> mops,
      long invoked,
      Outcome outcome,
      StatusRuntimeException e) {
    return record(
        new Op(
            id,
            client,
            t.node(),
            t.role(),
            Op.Kind.TXN,
            mops,
            invoked,
            recorder.now(),
            outcome,
            describe(e.getStatus()),
            0,
            0,
            0));
  }

  private Op failedWrite(
      long id,
      int client,
      Target t,
      Op.Kind kind,
      List<Mop> mops,
      long invoked,
      StatusRuntimeException e,
      TrailerCapture c) {
    channels.reconnectSoon(t.address());
    Outcome outcome = OutcomeOf.failedWrite(e.getStatus());
    return record(
        new Op(
            id,
            client,
            t.node(),
            t.role(),
            kind,
            mops,
            invoked,
            recorder.now(),
            outcome,
            describe(e.getStatus()),
            c.sequence(),
            c.epoch(),
            0));
  }

  private Op done(
      long id,
      int client,
      Target t,
      Op.Kind kind,
      List<Mop> mops,
      long invoked,
      Outcome outcome,
      String error,
      TrailerCapture c,
      long minSequence) {
    return record(
        new Op(
            id,
            client,
            t.node(),
            t.role(),
            kind,
            mops,
            invoked,
            recorder.now(),
            outcome,
            error,
            c.sequence(),
            c.epoch(),
            minSequence));
  }

  private Op record(Op op) {
    recorder.record(op);
    return op;
  }

  static String describe(Status s) {
    String d = s.getDescription();
    return s.getCode() + (d == null ? "" : ": " + d);
  }
}
