package io.kevo.server;

import io.grpc.stub.StreamObserver;
import io.kevo.engine.KevoDB;
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
import java.util.concurrent.Executor;

/**
 * {@code kevo.KevoService} on one engine: hands each RPC to the class for its kind, {@link
 * ReadCalls} ({@code Get}, {@code Scan}), {@link WriteCalls} ({@code Put}, {@code Delete}, {@code
 * BatchWrite}), {@link TransactionCalls} (the transaction calls) and {@link AdminCalls} ({@code
 * GetStats}, {@code Compact}, {@code GetNodeInfo}), and keeps the {@link OpenScans} the server
 * aborts at shutdown. Each RPC does what PROTOCOL.md §1 says, with the choices documented in those
 * classes: on a replica, writes ({@code Put}, {@code Delete}, {@code BatchWrite}, a read-write
 * {@code BeginTransaction}) are refused with {@code FAILED_PRECONDITION} and the primary's client
 * address in the {@code kevo-primary} trailer; a found key with an empty value answers {@code
 * found=true}. Failures become statuses in {@link StatusMapper} only. Thread-safe.
 */
final class KevoServiceImpl extends KevoServiceGrpc.KevoServiceImplBase {
  private final RpcMetrics metrics;
  private final OpenScans scans;
  private final ReadCalls reads;
  private final WriteCalls writes;
  private final TransactionCalls transactions;
  private final AdminCalls admin;

  KevoServiceImpl(
      KevoDB db,
      TransactionRegistry transactions,
      RpcMetrics metrics,
      ServerOptions options,
      String version,
      Executor syncWrites,
      NodeReplication replication,
      ReplicationGate gate) {
    this.metrics = metrics;
    this.scans = new OpenScans(metrics);
    this.reads = new ReadCalls(db, options, replication, gate, metrics, scans);
    this.writes = new WriteCalls(db, options, gate, syncWrites);
    this.transactions = new TransactionCalls(transactions, gate, metrics, reads, writes, scans);
    this.admin =
        new AdminCalls(db, options, metrics, new NodeInfoReport(db, options, replication, version));
  }

  @Override
  public void get(GetRequest req, StreamObserver<GetResponse> out) {
    reads.get(req, out);
  }

  @Override
  public void scan(ScanRequest req, StreamObserver<ScanResponse> out) {
    reads.scan(req, out);
  }

  @Override
  public void put(PutRequest req, StreamObserver<PutResponse> out) {
    writes.put(req, out);
  }

  @Override
  public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
    writes.delete(req, out);
  }

  @Override
  public void batchWrite(BatchWriteRequest req, StreamObserver<BatchWriteResponse> out) {
    writes.batchWrite(req, out);
  }

  @Override
  public void beginTransaction(
      BeginTransactionRequest req, StreamObserver<BeginTransactionResponse> out) {
    transactions.begin(req, out);
  }

  @Override
  public void commitTransaction(
      CommitTransactionRequest req, StreamObserver<CommitTransactionResponse> out) {
    transactions.commit(req, out);
  }

  @Override
  public void rollbackTransaction(
      RollbackTransactionRequest req, StreamObserver<RollbackTransactionResponse> out) {
    transactions.rollback(req, out);
  }

  @Override
  public void txGet(TxGetRequest req, StreamObserver<TxGetResponse> out) {
    transactions.get(req, out);
  }

  @Override
  public void txPut(TxPutRequest req, StreamObserver<TxPutResponse> out) {
    transactions.put(req, out);
  }

  @Override
  public void txDelete(TxDeleteRequest req, StreamObserver<TxDeleteResponse> out) {
    transactions.delete(req, out);
  }

  @Override
  public void txScan(TxScanRequest req, StreamObserver<TxScanResponse> out) {
    transactions.scan(req, out);
  }

  @Override
  public void getStats(GetStatsRequest req, StreamObserver<GetStatsResponse> out) {
    admin.stats(out);
  }

  @Override
  public void compact(CompactRequest req, StreamObserver<CompactResponse> out) {
    admin.compact(out);
  }

  @Override
  public void getNodeInfo(GetNodeInfoRequest req, StreamObserver<GetNodeInfoResponse> out) {
    admin.nodeInfo(out);
  }

  /** Key and value bytes sent to clients by reads so far. */
  long bytesRead() {
    return metrics.bytesRead();
  }

  /** Scans streaming now (their engine iterators are open). */
  int openScans() {
    return scans.count();
  }

  /** Fails every open scan and closes its iterator (server shutdown). */
  void abortScans() {
    scans.abortAll();
  }
}
