package io.kevo.server;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.KeyValue;
import io.kevo.engine.ScanOptions;
import io.kevo.engine.WriteBatch;
import io.kevo.engine.WriteOptions;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.BatchWriteResponse;
import io.kevo.proto.BeginTransactionRequest;
import io.kevo.proto.BeginTransactionResponse;
import io.kevo.proto.CommitTransactionRequest;
import io.kevo.proto.CommitTransactionResponse;
import io.kevo.proto.CompactRequest;
import io.kevo.proto.CompactResponse;
import io.kevo.proto.DeleteRequest;
import io.kevo.proto.DeleteResponse;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.GetStatsRequest;
import io.kevo.proto.GetStatsResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.Operation;
import io.kevo.proto.PutRequest;
import io.kevo.proto.PutResponse;
import io.kevo.proto.RollbackTransactionRequest;
import io.kevo.proto.RollbackTransactionResponse;
import io.kevo.proto.ScanRequest;
import io.kevo.proto.ScanResponse;
import io.kevo.proto.TxDeleteRequest;
import io.kevo.proto.TxDeleteResponse;
import io.kevo.proto.TxGetRequest;
import io.kevo.proto.TxGetResponse;
import io.kevo.proto.TxPutRequest;
import io.kevo.proto.TxPutResponse;
import io.kevo.proto.TxScanRequest;
import io.kevo.proto.TxScanResponse;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * {@code kevo.KevoService} on one engine. On a replica, writes ({@code Put}, {@code Delete}, {@code
 * BatchWrite}, a read-write {@code BeginTransaction}) are refused with {@code FAILED_PRECONDITION}
 * and the primary's client address in the {@code kevo-primary} trailer; everything else works. Each
 * RPC does what PROTOCOL.md §1 says, with these choices: {@code sync} writes wait for the WAL
 * fsync; a found key with an empty value answers {@code found=true}; {@code Compact} flushes and
 * compacts the whole key range ({@code force} is accepted and ignored: every compaction is a full
 * one); {@code GetStats} is described in {@link StatsMapper}. Failures become statuses in {@link
 * StatusMapper} only.
 *
 * <p>Thread-safe.
 */
final class KevoServiceImpl extends KevoServiceGrpc.KevoServiceImplBase
    implements ScanPump.Listener {
  private final KevoDB db;
  private final TransactionRegistry transactions;
  private final RpcMetrics metrics;
  private final ServerOptions options;
  private final String version;
  private final Executor syncWrites;
  private final Set<ScanPump<?>> scans = ConcurrentHashMap.newKeySet();
  private final NodeReplication replication;

  KevoServiceImpl(
      KevoDB db,
      TransactionRegistry transactions,
      RpcMetrics metrics,
      ServerOptions options,
      String version,
      Executor syncWrites,
      NodeReplication replication) {
    this.replication = replication;
    this.db = db;
    this.transactions = transactions;
    this.metrics = metrics;
    this.options = options;
    this.version = version;
    this.syncWrites = syncWrites;
  }

  // ---- key-value operations ----

  @Override
  public void get(GetRequest req, StreamObserver<GetResponse> out) {
    unary(
        out,
        () -> {
          Optional<byte[]> value = db.get(req.getKey().toByteArray());
          value.ifPresent(v -> metrics.addBytesRead(req.getKey().size() + v.length));
          return value
              .map(v -> GetResponse.newBuilder().setFound(true).setValue(wrap(v)).build())
              .orElse(GetResponse.getDefaultInstance());
        });
  }

  @Override
  public void put(PutRequest req, StreamObserver<PutResponse> out) {
    write(
        req.getSync(),
        out,
        () -> {
          replication.checkWritable();
          db.put(req.getKey().toByteArray(), req.getValue().toByteArray(), write(req.getSync()));
          return PutResponse.newBuilder().setSuccess(true).build();
        });
  }

  @Override
  public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
    write(
        req.getSync(),
        out,
        () -> {
          replication.checkWritable();
          db.delete(req.getKey().toByteArray(), write(req.getSync()));
          return DeleteResponse.newBuilder().setSuccess(true).build();
        });
  }

  @Override
  public void batchWrite(BatchWriteRequest req, StreamObserver<BatchWriteResponse> out) {
    write(
        req.getSync(),
        out,
        () -> {
          replication.checkWritable();
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
          db.write(batch, write(req.getSync()));
          return BatchWriteResponse.newBuilder().setSuccess(true).build();
        });
  }

  @Override
  public void scan(ScanRequest req, StreamObserver<ScanResponse> out) {
    ScanPump.start(
        () -> {
          ScanOptions scan =
              ScanRequests.toOptions(
                  req.getPrefix(), req.getSuffix(), req.getStartKey(), req.getEndKey());
          return iteratorSource(db.scan(scan));
        },
        (ServerCallStreamObserver<ScanResponse>) out,
        kv -> ScanResponse.newBuilder().setKey(wrap(kv.key())).setValue(wrap(kv.value())).build(),
        req.getLimit(),
        this,
        scans::add);
  }

  // ---- transactions ----

  @Override
  public void beginTransaction(
      BeginTransactionRequest req, StreamObserver<BeginTransactionResponse> out) {
    unary(
        out,
        () -> {
          if (!req.getReadOnly()) {
            replication.checkWritable();
          }
          return BeginTransactionResponse.newBuilder()
              .setTransactionId(transactions.begin(req.getReadOnly()))
              .build();
        });
  }

  @Override
  public void commitTransaction(
      CommitTransactionRequest req, StreamObserver<CommitTransactionResponse> out) {
    unary(
        out,
        () -> {
          transactions.commit(req.getTransactionId());
          return CommitTransactionResponse.newBuilder().setSuccess(true).build();
        });
  }

  @Override
  public void rollbackTransaction(
      RollbackTransactionRequest req, StreamObserver<RollbackTransactionResponse> out) {
    unary(
        out,
        () -> {
          transactions.rollback(req.getTransactionId());
          return RollbackTransactionResponse.newBuilder().setSuccess(true).build();
        });
  }

  @Override
  public void txGet(TxGetRequest req, StreamObserver<TxGetResponse> out) {
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

  @Override
  public void txPut(TxPutRequest req, StreamObserver<TxPutResponse> out) {
    unary(
        out,
        () -> {
          transactions.use(
              req.getTransactionId(),
              tx -> {
                tx.put(req.getKey().toByteArray(), req.getValue().toByteArray());
                return null;
              });
          return TxPutResponse.newBuilder().setSuccess(true).build();
        });
  }

  @Override
  public void txDelete(TxDeleteRequest req, StreamObserver<TxDeleteResponse> out) {
    unary(
        out,
        () -> {
          transactions.use(
              req.getTransactionId(),
              tx -> {
                tx.delete(req.getKey().toByteArray());
                return null;
              });
          return TxDeleteResponse.newBuilder().setSuccess(true).build();
        });
  }

  @Override
  public void txScan(TxScanRequest req, StreamObserver<TxScanResponse> out) {
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
        this,
        scans::add);
  }

  // ---- administration ----

  @Override
  public void getStats(GetStatsRequest req, StreamObserver<GetStatsResponse> out) {
    unary(out, () -> StatsMapper.toProto(db.stats(), countKeys(), metrics));
  }

  @Override
  public void compact(CompactRequest req, StreamObserver<CompactResponse> out) {
    unary(
        out,
        () -> {
          db.compactRange(null, null);
          return CompactResponse.newBuilder().setSuccess(true).build();
        });
  }

  @Override
  public void getNodeInfo(GetNodeInfoRequest req, StreamObserver<GetNodeInfoResponse> out) {
    unary(
        out,
        () -> {
          GetNodeInfoResponse.Builder b =
              GetNodeInfoResponse.newBuilder()
                  .setLastSequence(db.latestSequence())
                  .setReadOnly(false)
                  .setVersion(version);
          replication.fillNodeInfo(b);
          return b.build();
        });
  }

  // ---- scans ----

  @Override
  public void sent(KeyValue kv) {
    metrics.addBytesRead((long) kv.key().length + kv.value().length);
  }

  @Override
  public void closed(ScanPump<?> pump) {
    scans.remove(pump);
  }

  /** Key and value bytes sent to clients by reads so far. */
  long bytesRead() {
    return metrics.bytesRead();
  }

  /** Scans streaming now (their engine iterators are open). */
  int openScans() {
    return scans.size();
  }

  /** Fails every open scan and closes its iterator (server shutdown). */
  void abortScans() {
    for (ScanPump<?> pump : new ArrayList<>(scans)) {
      pump.abort();
    }
  }

  // ---- helpers ----

  private long countKeys() {
    long limit = options.statsKeyCountLimit();
    long n = 0;
    try (KevoIterator it = db.scan(ScanOptions.ALL)) {
      while (n < limit && it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  private static ScanPump.Source iteratorSource(KevoIterator it) {
    return new ScanPump.Source() {
      @Override
      public KeyValue next() {
        return it.hasNext() ? it.next() : null;
      }

      @Override
      public void close() {
        it.close();
      }
    };
  }

  private static WriteOptions write(boolean sync) {
    return sync ? WriteOptions.SYNC : WriteOptions.DEFAULT;
  }

  /** Copies: the engine does not promise that the arrays it returns are never reused. */
  private static ByteString wrap(byte[] bytes) {
    return ByteString.copyFrom(bytes);
  }

  /**
   * A point write: run here, or on {@code syncWrites} when it asked for sync (this thread may be an
   * event loop, which must not wait for an fsync; see {@link CallDispatch}).
   */
  private <T> void write(boolean sync, StreamObserver<T> out, Supplier<T> body) {
    if (!sync) {
      unary(out, body);
      return;
    }
    try {
      syncWrites.execute(() -> unary(out, body));
    } catch (RejectedExecutionException e) {
      out.onError(
          StatusMapper.toException(
              new ServerException(ServerException.Reason.SHUTTING_DOWN, "the server is stopping")));
    }
  }

  private static <T> void unary(StreamObserver<T> out, Supplier<T> body) {
    T response;
    try {
      response = body.get();
    } catch (RuntimeException e) {
      out.onError(StatusMapper.toException(e));
      return;
    }
    out.onNext(response);
    out.onCompleted();
  }
}
