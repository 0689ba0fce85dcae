package io.kevo.server;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.KeyValue;
import io.kevo.engine.ReadOptions;
import io.kevo.engine.ScanOptions;
import io.kevo.engine.Snapshot;
import io.kevo.engine.WriteBatch;
import io.kevo.engine.WriteOptions;
import io.kevo.engine.WriteRefusal;
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
import io.kevo.replication.AckResult;
import io.kevo.wire.AckLevel;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kevo.KevoService} on one engine. On a replica, writes ({@code Put}, {@code Delete}, {@code
 * BatchWrite}, a read-write {@code BeginTransaction}) are refused with {@code FAILED_PRECONDITION}
 * and the primary's client address in the {@code kevo-primary} trailer; everything else works. Each
 * RPC does what PROTOCOL.md §1 says, with these choices: {@code sync} writes wait for the WAL
 * fsync; a found key with an empty value answers {@code found=true}; {@code Compact} flushes and
 * compacts the whole key range ({@code force} is accepted and ignored: every compaction is a full
 * one); {@code GetStats} is described in {@link StatsMapper}. Failures become statuses in {@link
 * StatusMapper} only. {@code GetNodeInfo.read_only} is true on a replica and while the engine
 * refuses writes ({@link io.kevo.engine.KevoDB#writeRefusal()}, a full disk say), which then also
 * fills {@code write_refusal} (the failure in words), {@code write_refusal_code} ({@code NO_SPACE}:
 * the node resumes by itself; {@code WRITES_REFUSED}: only a restart helps) and {@code
 * write_refusal_since} (ISO-8601) in {@code GetNodeInfo.replication}.
 *
 * <p>Acknowledgement levels ({@link io.kevo.wire.WireMetadata}): a write ({@code Put}, {@code
 * Delete}, {@code BatchWrite}, the commit of a read-write transaction) is checked (its {@code
 * kevo-ack}, {@code --min-replicas-to-write}) before anything is written, then committed locally;
 * its commit sequence and the epoch go in the {@code kevo-sequence} and {@code kevo-epoch}
 * trailers. At a level other than {@code async} the answer waits for the replicas' acknowledgements
 * without holding a thread: the handler registers with the primary and returns, and the answer is
 * sent from the acknowledging (or timer) thread; on timeout the call fails with {@code
 * DEADLINE_EXCEEDED} saying the write is committed on the primary but not confirmed.
 *
 * <p>Reads on a primary whose default level is not {@code async} ({@code Get}, {@code Scan}, {@code
 * BeginTransaction}) see only writes a replica has acknowledged (the engine's read ceiling, {@link
 * io.kevo.replication.primary.Primary#confirmedSequence()}), plus everything up to the request's
 * {@code kevo-min-sequence}; after the primary opened they are refused with {@code UNAVAILABLE}
 * until a replica has confirmed its last sequence ({@link NodeReplication#checkReadable()}). Reads
 * with {@code kevo-min-sequence}: a primary or standalone node answers at once (it has everything
 * it acknowledged); a replica that has not applied it holds a {@code Get} or read-only {@code
 * BeginTransaction} the same way (released by its apply thread, run on the pool) for at most {@code
 * --read-wait-timeout} and the call's deadline, then answers {@code UNAVAILABLE} with {@code
 * kevo-applied-sequence}; a {@code Scan} is refused at once (its flow control must be set up before
 * the handler returns).
 *
 * <p>Thread-safe.
 */
final class KevoServiceImpl extends KevoServiceGrpc.KevoServiceImplBase
    implements ScanPump.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(KevoServiceImpl.class);
  private static final long ACK_DEADLINE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

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
    CallState call = CallState.current();
    afterApplied(
        call,
        out,
        token -> {
          Optional<byte[]> value =
              atReportedSequence(call, token, ro -> db.get(req.getKey().toByteArray(), ro));
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
        () ->
            db.put(req.getKey().toByteArray(), req.getValue().toByteArray(), write(req.getSync())),
        PUT_OK);
  }

  @Override
  public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
    write(
        req.getSync(),
        out,
        () -> db.delete(req.getKey().toByteArray(), write(req.getSync())),
        DELETE_OK);
  }

  @Override
  public void batchWrite(BatchWriteRequest req, StreamObserver<BatchWriteResponse> out) {
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
          return db.write(batch, write(req.getSync()));
        },
        BATCH_OK);
  }

  @Override
  public void scan(ScanRequest req, StreamObserver<ScanResponse> out) {
    CallState call = CallState.current();
    long min;
    try {
      min = call.minSequence();
      replication.checkReadable();
      if (min > 0) {
        AppliedWaiters w = replication.readWaits();
        long applied = w != null ? w.appliedSequence() : db.latestSequence();
        if (replication.role() == NodeRole.REPLICA && applied < min) {
          throw ServerException.replicaBehind(applied, min, 0);
        }
      }
    } catch (RuntimeException e) {
      out.onError(StatusMapper.toException(e));
      return;
    }
    ScanPump.start(
        () -> {
          ScanOptions scan =
              ScanRequests.toOptions(
                  req.getPrefix(), req.getSuffix(), req.getStartKey(), req.getEndKey());
          return iteratorSource(atReportedSequence(call, min, ro -> db.scan(scan, ro)));
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
    CallState call = CallState.current();
    Read<BeginTransactionResponse> begin =
        token -> {
          if (!req.getReadOnly()) {
            replication.checkWritable();
          }
          TransactionRegistry.Begun t = transactions.begin(req.getReadOnly(), token);
          if (token > 0) {
            call.reportSequence(t.snapshotSequence(), replication.epoch());
          }
          return BeginTransactionResponse.newBuilder().setTransactionId(t.id()).build();
        };
    if (req.getReadOnly()) {
      afterApplied(call, out, begin);
    } else {
      unary(
          out,
          () -> {
            replication.checkReadable();
            return begin.at(call.minSequence());
          });
    }
  }

  @Override
  public void commitTransaction(
      CommitTransactionRequest req, StreamObserver<CommitTransactionResponse> out) {
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
      commitLocally(CallState.current(), out, () -> transactions.commit(id), COMMIT_OK);
    }
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
          Optional<WriteRefusal> refusal = db.writeRefusal();
          GetNodeInfoResponse.Builder b =
              GetNodeInfoResponse.newBuilder()
                  .setLastSequence(db.latestSequence())
                  .setReadOnly(refusal.isPresent())
                  .setVersion(version);
          refusal.ifPresent(
              r ->
                  b.putReplication("write_refusal", r.reason())
                      .putReplication("write_refusal_code", r.code().name())
                      .putReplication("write_refusal_since", r.since().toString()));
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

  private static final PutResponse PUT_OK = PutResponse.newBuilder().setSuccess(true).build();
  private static final DeleteResponse DELETE_OK =
      DeleteResponse.newBuilder().setSuccess(true).build();
  private static final BatchWriteResponse BATCH_OK =
      BatchWriteResponse.newBuilder().setSuccess(true).build();
  private static final CommitTransactionResponse COMMIT_OK =
      CommitTransactionResponse.newBuilder().setSuccess(true).build();

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
  private <T> void commitLocally(CallState call, StreamObserver<T> out, LongSupplier body, T ok) {
    AckLevel level;
    long sequence;
    try {
      level = replication.ackLevel(call);
      replication.checkWritable(level);
      sequence = body.getAsLong();
    } catch (RuntimeException e) {
      out.onError(StatusMapper.toException(e));
      return;
    }
    call.reportSequence(sequence, replication.epoch());
    if (!level.waits()) {
      out.onNext(ok);
      out.onCompleted();
      return;
    }
    long timeout = ackTimeoutNanos(call);
    replication
        .awaitAcks(sequence, level, timeout)
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

  /** A read at read-your-writes {@code token} (0: none): its answer. */
  @FunctionalInterface
  private interface Read<T> {
    T at(long token);
  }

  /**
   * Runs {@code read} at read-your-writes {@code token} (0: none). A read with a token reads at one
   * sequence, {@link KevoDB#readSequence(long)} as of now, and reports exactly that one in {@code
   * kevo-sequence}: the client's next token, and what a checker compares the answer with (never
   * more than this node serves such a read: on a primary that reads only confirmed writes, the
   * confirmed sequence or the token). The snapshot that fixes it is closed as soon as the read has
   * begun: a scan's iterator pins the tables it reads itself.
   */
  private <T> T atReportedSequence(CallState call, long token, Function<ReadOptions, T> read) {
    if (token == 0) {
      return read.apply(ReadOptions.DEFAULT);
    }
    try (Snapshot at = db.snapshot(token)) {
      T result = read.apply(ReadOptions.at(at));
      call.reportSequence(at.sequence(), replication.epoch());
      return result;
    }
  }

  /**
   * Runs the read {@code body} at the request's {@code kevo-min-sequence} (the body reports where
   * it read) and answers it, at once or, on a replica that has not yet applied it, once it has (on
   * the pool) or with {@code UNAVAILABLE} after the read wait timeout. A primary that does not know
   * yet which of its writes a replica holds refuses the read ({@link
   * NodeReplication#checkReadable()}). Never blocks this thread (it may be an event loop).
   */
  private <T> void afterApplied(CallState call, StreamObserver<T> out, Read<T> body) {
    long min;
    try {
      min = call.minSequence();
      replication.checkReadable();
    } catch (RuntimeException e) {
      out.onError(StatusMapper.toException(e));
      return;
    }
    if (min == 0) {
      unary(out, () -> body.at(0));
      return;
    }
    Supplier<T> read = () -> body.at(min);
    AppliedWaiters waits = replication.readWaits();
    if (replication.role() != NodeRole.REPLICA) {
      // A primary or standalone node has everything it acknowledged: it reads at the token (or
      // higher, up to what is confirmed) at once.
      unary(out, read);
      return;
    }
    long applied = waits != null ? waits.appliedSequence() : db.latestSequence();
    if (applied >= min) {
      unary(out, read);
      return;
    }
    long timeout = Math.min(options.readWaitTimeout().toNanos(), call.nanosLeft());
    if (waits == null || timeout <= 0) {
      out.onError(StatusMapper.toException(ServerException.replicaBehind(applied, min, 0)));
      return;
    }
    long started = System.nanoTime();
    waits.await(
        min,
        timeout,
        () -> answerLater(out, () -> unary(out, read)),
        now ->
            answerLater(
                out,
                () ->
                    out.onError(
                        StatusMapper.toException(
                            ServerException.replicaBehind(
                                now,
                                min,
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))))));
  }

  /** Answers a call from a thread other than its handler's; a call cancelled meanwhile is fine. */
  private static void answerLater(StreamObserver<?> out, Runnable answer) {
    try {
      answer.run();
    } catch (RuntimeException e) {
      // The client cancelled or its deadline passed: there is nobody to answer.
      LOG.debug("could not answer a call that waited: {}", e.toString());
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
