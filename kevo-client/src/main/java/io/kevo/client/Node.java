package io.kevo.client;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.kevo.proto.KevoServiceGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One node's channel and stubs. Made only by {@link NodePool}, which owns (and closes) the channel.
 * Thread-safe.
 */
final class Node {
  private final String address;
  private final ManagedChannel channel;
  private final KevoServiceGrpc.KevoServiceBlockingStub blocking;
  private final KevoServiceGrpc.KevoServiceFutureStub future;

  Node(String address, ManagedChannel channel) {
    this.address = address;
    this.channel = channel;
    this.blocking = KevoServiceGrpc.newBlockingStub(channel);
    this.future =
        KevoServiceGrpc.newFutureStub(channel).withExecutor(MoreExecutors.directExecutor());
  }

  /** The node's client address, {@code HOST:PORT}, as the client dials it. */
  String address() {
    return address;
  }

  ManagedChannel channel() {
    return channel;
  }

  /** A blocking stub whose call ends after {@code deadline}. */
  KevoServiceGrpc.KevoServiceBlockingStub blocking(Duration deadline) {
    return blocking.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** A future stub whose call ends after {@code deadline}; callbacks run on the gRPC thread. */
  KevoServiceGrpc.KevoServiceFutureStub future(Duration deadline) {
    return future.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return address;
  }
}
