package io.kevo.server;

import static io.kevo.server.Calls.unary;
import static io.kevo.server.Calls.wrap;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.KeyValue;
import io.kevo.engine.ScanOptions;
import io.kevo.engine.Transaction;
import io.kevo.proto.BeginTransactionRequest;
import io.kevo.proto.BeginTransactionResponse;
import io.kevo.proto.CommitTransactionRequest;
import io.kevo.proto.CommitTransactionResponse;
import io.kevo.proto.RollbackTransactionRequest;
import io.kevo.proto.RollbackTransactionResponse;
import io.kevo.proto.TxDeleteRequest;
import io.kevo.proto.TxDeleteResponse;
import io.kevo.proto.TxGetRequest;
import io.kevo.proto.TxGetResponse;
import io.kevo.proto.TxPutRequest;
import io.kevo.proto.TxPutResponse;
import io.kevo.proto.TxScanRequest;
import io.kevo.proto.TxScanResponse;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The transaction calls of {@code KevoService} over the {@link TransactionRegistry}: {@code
 * BeginTransaction} (a read-write one is refused on a replica like any write, and is optimistic or
 * pessimistic per {@code kevo-tx-mode} or else the server's default; a read-only one waits for
 * {@code kevo-min-sequence} like a {@code Get}, see {@link ReadCalls}), {@code CommitTransaction}
 * (a read-write commit goes through the write path of {@link WriteCalls}, with its acknowledgement
 * level), {@code RollbackTransaction}, and {@code TxGet}, {@code TxPut}, {@code TxDelete}, {@code
 * TxScan}. Thread-safe: a transaction is used by one call at a time (its registry entry is the
 * lock).
 */
final class TransactionCalls {
  private static final CommitTransactionResponse COMMIT_OK =
      CommitTransactionResponse.newBuilder().setSuccess(true).build();

  private final TransactionRegistry transactions;
  private final ReplicationGate gate;
  private final RpcMetrics metrics;
  private final ReadCalls reads;
  private final WriteCalls writes;
  private final OpenScans scans;

  TransactionCalls(
      TransactionRegistry transactions,
      ReplicationGate gate,
      RpcMetrics metrics,
      ReadCalls reads,
      WriteCalls writes,
      OpenScans scans) {
    this.transactions = transactions;
    this.gate = gate;
    this.metrics = metrics;
    this.reads = reads;
    this.writes = writes;
    this.scans = scans;
  }

  void begin(BeginTransactionRequest req, StreamObserver<BeginTransactionResponse> out) {
    CallState call = CallState.current();
    ReadCalls.Read<BeginTransactionResponse> begin =
        token -> {
          if (!req.getReadOnly()) {
            gate.checkWritable();
          }
          TransactionRegistry.Begun t =
              transactions.begin(
                  req.getReadOnly(), token, call.transactionMode(transactions.defaultMode()));
          if (token > 0) {
            call.reportSequence(t.snapshotSequence(), gate.epoch());
          }
          return BeginTransactionResponse.newBuilder().setTransactionId(t.id()).build();
        };
    if (!req.getReadOnly()) {
      try {
        gate.checkWritable();
      } catch (RuntimeException e) {
        out.onError(StatusMapper.toException(e));
        return;
      }
    }
    // Both kinds read at the token, so both wait for it as a read does (on a primary, for a
    // replica to confirm it).
    reads.afterApplied(call, out, begin);
  }

  void commit(CommitTransactionRequest req, StreamObserver<CommitTransactionResponse> out) {
    String id = req.getTransactionId();
    boolean readOnly;
    try {
      readOnly = transactions.use(id, tx -> tx.readOnly());
    } catch (RuntimeException e) {
      out.onError(StatusMapper.toException(e));
      return;
    }
    if (readOnly) {
      unary(
          out,
          () -> {
            transactions.commit(id);
            return COMMIT_OK;
          });
    } else {
      writes.commitLocally(CallState.current(), out, () -> transactions.commit(id), COMMIT_OK);
    }
  }

  void rollback(RollbackTransactionRequest req, StreamObserver<RollbackTransactionResponse> out) {
    unary(
        out,
        () -> {
          transactions.rollback(req.getTransactionId());
          return RollbackTransactionResponse.newBuilder().setSuccess(true).build();
        });
  }

  void get(TxGetRequest req, StreamObserver<TxGetResponse> out) {
    unary(
        out,
        () -> {
          Optional<byte[]> value =
              transactions.use(req.getTransactionId(), tx -> tx.get(req.getKey().toByteArray()));
          value.ifPresent(v -> metrics.addBytesRead(req.getKey().size() + v.length));
          return value
              .map(v -> TxGetResponse.newBuilder().setFound(true).setValue(wrap(v)).build())
              .orElse(TxGetResponse.getDefaultInstance());
        });
  }

  void put(TxPutRequest req, StreamObserver<TxPutResponse> out) {
    unary(
        out,
        () -> {
          change(
              req.getTransactionId(),
              tx -> tx.put(req.getKey().toByteArray(), req.getValue().toByteArray()));
          return TxPutResponse.newBuilder().setSuccess(true).build();
        });
  }

  void delete(TxDeleteRequest req, StreamObserver<TxDeleteResponse> out) {
    unary(
        out,
        () -> {
          change(req.getTransactionId(), tx -> tx.delete(req.getKey().toByteArray()));
          return TxDeleteResponse.newBuilder().setSuccess(true).build();
        });
  }

  /** Runs {@code body} on transaction {@code id} (see {@link TransactionRegistry#use}). */
  private void change(String id, Consumer<Transaction> body) {
    transactions.use(
        id,
        tx -> {
          body.accept(tx);
          return null;
        });
  }

  void scan(TxScanRequest req, StreamObserver<TxScanResponse> out) {
    String id = req.getTransactionId();
    ScanPump.start(
        () -> {
          ScanOptions scan =
              ScanRequests.toOptions(
                  req.getPrefix(), req.getSuffix(), req.getStartKey(), req.getEndKey());
          KevoIterator it = transactions.use(id, tx -> tx.scan(scan));
          // Each step runs inside the transaction's lock: a transaction is not thread-safe, and a
          // step after commit, rollback or expiry must fail with NOT_FOUND, not read freed state.
          return new ScanPump.Source() {
            @Override
            public KeyValue next() {
              return transactions.use(id, tx -> it.hasNext() ? it.next() : null);
            }

            @Override
            public void close() {
              it.close();
            }
          };
        },
        (ServerCallStreamObserver<TxScanResponse>) out,
        kv -> TxScanResponse.newBuilder().setKey(wrap(kv.key())).setValue(wrap(kv.value())).build(),
        req.getLimit(),
        scans,
        scans.register());
  }
}
