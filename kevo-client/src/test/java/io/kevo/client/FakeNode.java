package io.kevo.client;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.BatchWriteResponse;
import io.kevo.proto.BeginTransactionRequest;
import io.kevo.proto.BeginTransactionResponse;
import io.kevo.proto.CommitTransactionRequest;
import io.kevo.proto.CommitTransactionResponse;
import io.kevo.proto.DeleteRequest;
import io.kevo.proto.DeleteResponse;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import io.kevo.proto.PutResponse;
import io.kevo.proto.ReplicaInfo;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Kevo node on 127.0.0.1 (an ephemeral port) for the routing tests: it reports the topology
 * it is told to through {@code GetNodeInfo}, answers reads with its own name (so the test sees who
 * served them), records every call in a shared {@link CallLog}, and, as a replica, refuses writes
 * and read-write transactions with FAILED_PRECONDITION and a {@code kevo-primary} trailer, as a
 * real replica does. {@link #close()} stops the server (a stopped node refuses connections).
 */
final class FakeNode extends KevoServiceGrpc.KevoServiceImplBase implements AutoCloseable {
  static final Metadata.Key<String> PRIMARY_KEY =
      Metadata.Key.of("kevo-primary", Metadata.ASCII_STRING_MARSHALLER);

  /** One call a node received. */
  record Call(String node, String method) {}

  /** Every call every node of a test received, in arrival order. Thread-safe. */
  static final class CallLog {
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

    void add(String node, String method) {
      calls.add(new Call(node, method));
    }

    /** The nodes that received {@code method}, in order. */
    List<String> nodes(String method) {
      return calls.stream().filter(c -> c.method().equals(method)).map(Call::node).toList();
    }

    /** The methods {@code node} received, in order, other than GetNodeInfo. */
    List<String> dataCalls(String node) {
      return calls.stream()
          .filter(c -> c.node().equals(node) && !c.method().equals("GetNodeInfo"))
          .map(Call::method)
          .toList();
    }

    void clear() {
      calls.clear();
    }
  }

  final String name;
  private final CallLog log;
  private final Server server;
  private final String address;
  private final AtomicInteger transactions = new AtomicInteger();

  volatile GetNodeInfoResponse.NodeRole role;

  /** The primary's address GetNodeInfo reports; empty for none. */
  volatile String advertisedPrimary = "";

  /** The address a refused write names; null: {@link #advertisedPrimary}. */
  volatile String redirectTo;

  volatile List<ReplicaInfo> replicas = List.of();

  /** GetNodeInfo's replication map. */
  volatile java.util.Map<String, String> replication = java.util.Map.of();

  /** While set, every call is answered UNAVAILABLE (a node restarting), and logged as such. */
  volatile boolean unavailable;

  FakeNode(String name, GetNodeInfoResponse.NodeRole role, CallLog log) {
    this.name = name;
    this.role = role;
    this.log = log;
    try {
      this.server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(ServerInterceptors.intercept(this, new Unavailable()))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.address = "127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /** The client address, {@code 127.0.0.1:PORT}; still known after {@link #close()}. */
  String address() {
    return address;
  }

  /** Reports {@code nodes} as its replicas, each available or not. */
  void reportReplicas(List<FakeNode> nodes, List<Boolean> available) {
    List<ReplicaInfo> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      out.add(
          ReplicaInfo.newBuilder()
              .setAddress(nodes.get(i).address())
              .setLastSequence(7)
              .setAvailable(available.get(i))
              .build());
    }
    replicas = List.copyOf(out);
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "@" + address();
  }

  // ---- the service

  @Override
  public void getNodeInfo(GetNodeInfoRequest req, StreamObserver<GetNodeInfoResponse> out) {
    log.add(name, "GetNodeInfo");
    answer(
        out,
        GetNodeInfoResponse.newBuilder()
            .setNodeRole(role)
            .setPrimaryAddress(advertisedPrimary)
            .addAllReplicas(replicas)
            .putAllReplication(replication)
            .setLastSequence(7)
            .setReadOnly(role == GetNodeInfoResponse.NodeRole.REPLICA)
            .setVersion("fake")
            .build());
  }

  @Override
  public void get(GetRequest req, StreamObserver<GetResponse> out) {
    log.add(name, "Get");
    answer(out, GetResponse.newBuilder().setFound(true).setValue(nameBytes()).build());
  }

  @Override
  public void scan(ScanRequest req, StreamObserver<ScanResponse> out) {
    log.add(name, "Scan");
    out.onNext(ScanResponse.newBuilder().setKey(nameBytes()).setValue(nameBytes()).build());
    out.onCompleted();
  }

  @Override
  public void put(PutRequest req, StreamObserver<PutResponse> out) {
    if (!refused("Put", out)) {
      answer(out, PutResponse.newBuilder().setSuccess(true).build());
    }
  }

  @Override
  public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
    if (!refused("Delete", out)) {
      answer(out, DeleteResponse.newBuilder().setSuccess(true).build());
    }
  }

  @Override
  public void batchWrite(BatchWriteRequest req, StreamObserver<BatchWriteResponse> out) {
    if (!refused("BatchWrite", out)) {
      answer(out, BatchWriteResponse.newBuilder().setSuccess(true).build());
    }
  }

  @Override
  public void beginTransaction(
      BeginTransactionRequest req, StreamObserver<BeginTransactionResponse> out) {
    if (req.getReadOnly()) {
      log.add(name, "BeginTransaction");
    } else if (refused("BeginTransaction", out)) {
      return;
    }
    String id = name + "-tx-" + transactions.incrementAndGet();
    answer(out, BeginTransactionResponse.newBuilder().setTransactionId(id).build());
  }

  @Override
  public void txGet(TxGetRequest req, StreamObserver<TxGetResponse> out) {
    log.add(name, "TxGet");
    answer(out, TxGetResponse.newBuilder().setFound(true).setValue(nameBytes()).build());
  }

  @Override
  public void txPut(TxPutRequest req, StreamObserver<TxPutResponse> out) {
    log.add(name, "TxPut");
    answer(out, TxPutResponse.newBuilder().setSuccess(true).build());
  }

  @Override
  public void txDelete(TxDeleteRequest req, StreamObserver<TxDeleteResponse> out) {
    log.add(name, "TxDelete");
    answer(out, TxDeleteResponse.newBuilder().setSuccess(true).build());
  }

  @Override
  public void txScan(TxScanRequest req, StreamObserver<TxScanResponse> out) {
    log.add(name, "TxScan");
    out.onNext(TxScanResponse.newBuilder().setKey(nameBytes()).setValue(nameBytes()).build());
    out.onCompleted();
  }

  @Override
  public void commitTransaction(
      CommitTransactionRequest req, StreamObserver<CommitTransactionResponse> out) {
    log.add(name, "CommitTransaction");
    answer(out, CommitTransactionResponse.newBuilder().setSuccess(true).build());
  }

  @Override
  public void rollbackTransaction(
      RollbackTransactionRequest req, StreamObserver<RollbackTransactionResponse> out) {
    log.add(name, "RollbackTransaction");
    answer(out, RollbackTransactionResponse.newBuilder().setSuccess(true).build());
  }

  /** Logs the write; as a replica, refuses it naming the primary and returns true. */
  private boolean refused(String method, StreamObserver<?> out) {
    log.add(name, method);
    if (role != GetNodeInfoResponse.NodeRole.REPLICA) {
      return false;
    }
    Metadata trailers = new Metadata();
    String primary = redirectTo != null ? redirectTo : advertisedPrimary;
    if (!primary.isEmpty()) {
      trailers.put(PRIMARY_KEY, primary);
    }
    out.onError(
        Status.FAILED_PRECONDITION
            .withDescription("node " + name + " is a replica; writes go to the primary")
            .asRuntimeException(trailers));
    return true;
  }

  /** Answers every call UNAVAILABLE while {@link #unavailable} is set. */
  private final class Unavailable implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      if (!unavailable) {
        return next.startCall(call, headers);
      }
      log.add(name, "UNAVAILABLE " + call.getMethodDescriptor().getBareMethodName());
      call.close(Status.UNAVAILABLE.withDescription(name + " is restarting"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
  }

  private ByteString nameBytes() {
    return ByteString.copyFromUtf8(name);
  }

  private static <T> void answer(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }
}
