package io.kevo.chaos.workload;

import com.google.protobuf.ByteString;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kevo.proto.DeleteRequest;
import io.kevo.proto.DeleteResponse;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import io.kevo.proto.PutResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A fake node for testing the harness itself: a register store over gRPC that answers some reads
 * with a value one write behind, as a broken node serving stale data would. Puts, deletes and gets
 * only (anything else is UNIMPLEMENTED, which the workload records as a failure). Writes report
 * their sequence in the {@code kevo-sequence} trailer as a real node does.
 */
final class StaleRegisterNode implements AutoCloseable {
  private static final Metadata.Key<String> SEQUENCE =
      Metadata.Key.of("kevo-sequence", Metadata.ASCII_STRING_MARSHALLER);

  private final Map<String, Deque<Optional<ByteString>>> versions = new HashMap<>();
  private final int staleEvery;
  private final Server server;
  private long sequence;
  private int reads;

  /**
   * @param staleEvery every how many reads one is answered with the previous version
   */
  StaleRegisterNode(int staleEvery) throws IOException {
    this.staleEvery = staleEvery;
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(new Service(), new SequenceTrailer()))
            .build()
            .start();
  }

  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  private final ThreadLocal<Long> lastSequence = new ThreadLocal<>();

  private synchronized long write(String key, Optional<ByteString> value) {
    Deque<Optional<ByteString>> v = versions.computeIfAbsent(key, k -> new ArrayDeque<>());
    v.push(value);
    if (v.size() > 2) {
      v.removeLast();
    }
    return ++sequence;
  }

  private synchronized Optional<ByteString> read(String key) {
    Deque<Optional<ByteString>> v = versions.get(key);
    if (v == null || v.isEmpty()) {
      return Optional.empty();
    }
    if (++reads % staleEvery == 0 && v.size() == 2) {
      return v.getLast();
    }
    return v.getFirst();
  }

  private final class Service extends KevoServiceGrpc.KevoServiceImplBase {
    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> out) {
      lastSequence.set(write(request.getKey().toStringUtf8(), Optional.of(request.getValue())));
      out.onNext(PutResponse.newBuilder().setSuccess(true).build());
      out.onCompleted();
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<DeleteResponse> out) {
      lastSequence.set(write(request.getKey().toStringUtf8(), Optional.empty()));
      out.onNext(DeleteResponse.newBuilder().setSuccess(true).build());
      out.onCompleted();
    }

    @Override
    public void get(GetRequest request, StreamObserver<GetResponse> out) {
      Optional<ByteString> v = read(request.getKey().toStringUtf8());
      out.onNext(
          GetResponse.newBuilder()
              .setFound(v.isPresent())
              .setValue(v.orElse(ByteString.EMPTY))
              .build());
      out.onCompleted();
    }
  }

  /** Puts the handler's write sequence (if any) into the call's trailers. */
  private final class SequenceTrailer implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      return next.startCall(
          new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
              Long s = lastSequence.get();
              if (s != null) {
                trailers.put(SEQUENCE, Long.toString(s));
                lastSequence.remove();
              }
              super.close(status, trailers);
            }
          },
          headers);
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
