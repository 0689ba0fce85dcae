package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.ScanRequest;
import io.kevo.proto.ScanResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link VirtualMachineError} thrown by a handler reaches the interceptor's sink, on the
 * handler's thread, before gRPC closes the call. The server runs handlers on the thread that
 * delivered the call (a direct executor, as {@code Get} does on the event loop), where gRPC would
 * otherwise only log the error.
 */
class FatalErrorInterceptorTest {
  private record Heard(Thread thread, VirtualMachineError error) {}

  private final List<Heard> heard = new CopyOnWriteArrayList<>();
  private final OutOfMemoryError injected = new OutOfMemoryError("Java heap space (injected)");
  private Server server;
  private ManagedChannel channel;

  /** If set, what {@code Get} throws instead of the injected error. */
  private volatile RuntimeException getRuntimeFailure;

  private KevoServiceGrpc.KevoServiceBlockingStub start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .intercept(new FatalErrorInterceptor((t, e) -> heard.add(new Heard(t, e))))
            .addService(new Failing())
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    return KevoServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void anOutOfMemoryErrorInAUnaryHandlerReachesTheSinkOnTheHandlersThread() throws Exception {
    KevoServiceGrpc.KevoServiceBlockingStub stub = start();

    StatusRuntimeException e =
        catchThrowableOfType(
            () -> stub.get(GetRequest.getDefaultInstance()), StatusRuntimeException.class);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
    // In-process with direct executors, the handler ran on this (the calling) thread.
    assertThat(heard).containsExactly(new Heard(Thread.currentThread(), injected));
  }

  @Test
  void anOutOfMemoryErrorInAStreamingHandlerReachesTheSink() throws Exception {
    KevoServiceGrpc.KevoServiceBlockingStub stub = start();

    StatusRuntimeException e =
        catchThrowableOfType(
            () -> stub.scan(ScanRequest.getDefaultInstance()).forEachRemaining(r -> {}),
            StatusRuntimeException.class);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(heard).extracting(Heard::error).containsExactly(injected);
  }

  @Test
  void otherFailuresAreLeftToGrpc() throws Exception {
    KevoServiceGrpc.KevoServiceBlockingStub stub = start();
    getRuntimeFailure = new IllegalStateException("a bug");

    StatusRuntimeException e =
        catchThrowableOfType(
            () -> stub.get(GetRequest.getDefaultInstance()), StatusRuntimeException.class);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(heard).isEmpty();
  }

  private final class Failing extends KevoServiceGrpc.KevoServiceImplBase {
    @Override
    public void get(GetRequest request, StreamObserver<GetResponse> out) {
      RuntimeException r = getRuntimeFailure;
      if (r != null) {
        throw r;
      }
      throw injected;
    }

    @Override
    public void scan(ScanRequest request, StreamObserver<ScanResponse> out) {
      out.onNext(ScanResponse.newBuilder().setKey(ByteString.copyFromUtf8("k")).build());
      throw injected;
    }
  }
}
