package io.kevo.client;

import io.grpc.Metadata;
import io.grpc.Status;
import io.kevo.proto.BeginTransactionRequest;
import io.kevo.proto.BeginTransactionResponse;
import io.kevo.proto.CommitTransactionRequest;
import io.kevo.proto.RollbackTransactionRequest;
import io.kevo.proto.TxDeleteRequest;
import io.kevo.proto.TxGetRequest;
import io.kevo.proto.TxGetResponse;
import io.kevo.proto.TxPutRequest;
import io.kevo.proto.TxScanRequest;
import io.kevo.proto.TxScanResponse;
import io.kevo.wire.WireMetadata;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A transaction held by the server: reads see the snapshot taken at begin plus this transaction's
 * own writes; writes are buffered on the server and applied atomically by {@link #commit()}, which
 * fails with {@link TransactionConflictException} if another writer committed a key it wrote first.
 * A pessimistic transaction ({@link TransactionMode#PESSIMISTIC}) locks each key it reads or writes
 * until it ends instead: {@link #get}, {@link #put} and {@link #delete} may wait for another
 * transaction, and fail with {@link TransactionConflictException} (reason {@code LOCK_TIMEOUT} or
 * {@code DEADLOCK}) if the wait is too long or would deadlock.
 *
 * <p>States: {@code OPEN} → {@code COMMITTED} | {@code ROLLED_BACK} | {@code FAILED}. A call that
 * fails with {@code ABORTED} or {@code NOT_FOUND} (the server has forgotten the transaction, e.g.
 * after it sat idle too long) moves it to {@code FAILED}; other failures leave it open. Calls on a
 * transaction that is not open throw {@link IllegalStateException}. Nothing here is retried, and
 * every call goes to the node that began the transaction ({@link #node()}), never elsewhere: the
 * transaction exists only there.
 *
 * <p>{@link #close()} rolls back an open transaction, is idempotent and throws nothing. Not
 * thread-safe: one thread at a time.
 */
public final class ClientTransaction implements AutoCloseable {
  private static final ClientLog LOG = ClientLog.of(ClientTransaction.class);

  /** Where a transaction is in its life; see the class comment for the transitions. */
  public enum State {
    OPEN,
    COMMITTED,
    ROLLED_BACK,
    FAILED
  }

  private final KevoClient client;
  private final Node node;
  private final String id;
  private final boolean readOnly;
  private final Duration callDeadline; // of get, put and delete, which may wait for a lock
  private State state = State.OPEN;

  ClientTransaction(KevoClient client, Node node, String id, boolean readOnly) {
    this(client, node, id, readOnly, client.options().deadline());
  }

  private ClientTransaction(
      KevoClient client, Node node, String id, boolean readOnly, Duration callDeadline) {
    this.client = client;
    this.node = node;
    this.id = id;
    this.readOnly = readOnly;
    this.callDeadline = callDeadline;
  }

  /**
   * Begins a transaction for {@code client} ({@link KevoClient#beginTransaction(TransactionSpec)}):
   * a read-write one on the primary (in {@code spec}'s mode, sent as {@code kevo-tx-mode}), a
   * read-only one where reads go (with the session's position); never retried.
   */
  static ClientTransaction begin(KevoClient client, TransactionSpec spec) {
    boolean readOnly = spec.readOnly();
    BeginTransactionRequest req =
        BeginTransactionRequest.newBuilder().setReadOnly(readOnly).build();
    Router.Route route = readOnly ? Router.Route.READ : Router.Route.WRITE;
    Metadata headers = readOnly ? client.consistency().readHeaders() : new Metadata();
    if (!readOnly && spec.mode() != null) {
      headers.put(WireMetadata.TX_MODE, spec.mode().wireName());
    }
    AtomicReference<Node> began = new AtomicReference<>();
    String id =
        client
            .retrier()
            .call(
                "BeginTransaction",
                false,
                () ->
                    client
                        .router()
                        .call(
                            "BeginTransaction",
                            route,
                            n -> {
                              BeginTransactionResponse r =
                                  Consistency.decorate(
                                          client.stub(n), headers, new AtomicReference<>())
                                      .beginTransaction(req);
                              began.set(n);
                              return r;
                            }))
            .getTransactionId();
    Duration deadline = client.options().deadline();
    return new ClientTransaction(
        client,
        began.get(),
        id,
        readOnly,
        spec.mayLock() ? deadline.plus(spec.lockWait()) : deadline);
  }

  /** The server's id for this transaction. */
  public String id() {
    return id;
  }

  /**
   * The node that holds this transaction, {@code HOST:PORT}: every call of it goes there (for a
   * read-write transaction, the primary at the time it began).
   */
  public String node() {
    return node.address();
  }

  public boolean readOnly() {
    return readOnly;
  }

  public State state() {
    return state;
  }

  /** The value of {@code key} as this transaction sees it, or empty if absent. */
  public Optional<byte[]> get(byte[] key) {
    TxGetRequest req =
        TxGetRequest.newBuilder().setTransactionId(id).setKey(ClientWrites.bytes(key)).build();
    TxGetResponse r = call(n -> n.blocking(callDeadline).txGet(req));
    return r.getFound() ? Optional.of(r.getValue().toByteArray()) : Optional.empty();
  }

  /** Buffers a put of {@code value} (possibly empty) under {@code key}. */
  public void put(byte[] key, byte[] value) {
    TxPutRequest req =
        TxPutRequest.newBuilder()
            .setTransactionId(id)
            .setKey(ClientWrites.bytes(key))
            .setValue(ClientWrites.bytes(value))
            .build();
    ClientWrites.checkSuccess("TxPut", call(n -> n.blocking(callDeadline).txPut(req)).getSuccess());
  }

  /** Buffers a delete of {@code key}. */
  public void delete(byte[] key) {
    TxDeleteRequest req =
        TxDeleteRequest.newBuilder().setTransactionId(id).setKey(ClientWrites.bytes(key)).build();
    ClientWrites.checkSuccess(
        "TxDelete", call(n -> n.blocking(callDeadline).txDelete(req)).getSuccess());
  }

  /** Streams the pairs {@code spec} selects as this transaction sees them. Close the result. */
  public KevoScan scan(ScanSpec spec) {
    requireOpen();
    TxScanRequest req = spec.toTxRequest(id);
    Duration deadline = client.options().scanDeadline();
    return new KevoScan(
        "TxScan",
        () ->
            client
                .router()
                .reporting(
                    node,
                    ClientReads.pairs(
                        node.blocking(deadline).txScan(req),
                        TxScanResponse::getKey,
                        TxScanResponse::getValue)),
        client.retrier(),
        false);
  }

  /**
   * Applies the buffered writes atomically.
   *
   * @throws TransactionConflictException if another writer got there first (the transaction is then
   *     over: nothing was written; run it again)
   */
  public void commit() {
    commit(WriteSpec.DEFAULT);
  }

  /**
   * Applies the buffered writes atomically, at the acknowledgement level {@code spec} names (its
   * {@code sync} is ignored: a commit syncs as the server's engine does); returns the commit
   * sequence of its last write.
   *
   * @throws TransactionConflictException if another writer got there first
   * @throws ReplicationTimeoutException if the level was not met in time: the transaction is then
   *     {@code COMMITTED} on the primary, only not confirmed by the replicas
   */
  public WriteResult commit(WriteSpec spec) {
    CommitTransactionRequest req =
        CommitTransactionRequest.newBuilder().setTransactionId(id).build();
    Consistency consistency = client.consistency();
    Metadata headers = consistency.writeHeaders(spec);
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    boolean ok;
    try {
      ok =
          call(n -> Consistency.decorate(client.stub(n), headers, trailers).commitTransaction(req))
              .getSuccess();
    } catch (KevoClientException e) {
      KevoClientException failure = consistency.writeFailure(e);
      if (failure instanceof ReplicationTimeoutException) {
        transition(State.COMMITTED);
      }
      throw failure;
    }
    transition(State.COMMITTED);
    ClientWrites.checkSuccess("CommitTransaction", ok);
    return consistency.written(trailers.get());
  }

  /** Discards the buffered writes. */
  public void rollback() {
    RollbackTransactionRequest req =
        RollbackTransactionRequest.newBuilder().setTransactionId(id).build();
    call(n -> client.stub(n).rollbackTransaction(req));
    transition(State.ROLLED_BACK);
  }

  /** Rolls back if still open; a failure to do so is logged (the server expires it anyway). */
  @Override
  public void close() {
    if (state != State.OPEN) {
      return;
    }
    try {
      rollback();
    } catch (RuntimeException e) {
      LOG.debug("rollback of transaction {} on close failed; the server will expire it", id, e);
      transition(State.FAILED);
    }
  }

  private <T> T call(Function<Node, T> rpc) {
    requireOpen();
    try {
      return client.router().callOn(node, rpc);
    } catch (RuntimeException e) {
      KevoClientException failure = KevoClientException.of(e);
      if (failure.code() == Status.Code.ABORTED || failure.code() == Status.Code.NOT_FOUND) {
        transition(State.FAILED);
      }
      throw failure;
    }
  }

  private void requireOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException("transaction " + id + " is " + state);
    }
  }

  private void transition(State next) {
    LOG.trace("transaction {}: {} -> {}", id, state, next);
    state = next;
  }
}
