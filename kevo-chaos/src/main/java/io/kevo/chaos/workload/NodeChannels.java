package io.kevo.chaos.workload;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.kevo.proto.KevoServiceGrpc;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per node address, shared by every client of the run (gRPC multiplexes calls).
 * Channels reconnect by themselves after a node restarts or a proxy resets them. Thread-safe;
 * {@link #close()} shuts every channel down.
 */
public final class NodeChannels implements AutoCloseable {
  /** Room for the large-writes nemesis's batches. */
  private static final int MAX_MESSAGE_BYTES = 64 << 20;

  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  public KevoServiceGrpc.KevoServiceBlockingStub stub(String address) {
    return KevoServiceGrpc.newBlockingStub(channel(address));
  }

  public ManagedChannel channel(String address) {
    return channels.computeIfAbsent(
        address,
        a ->
            NettyChannelBuilder.forTarget(a)
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1_000)
                .build());
  }

  /**
   * After a failed call: lets {@code address}'s channel try to connect at once on the next call,
   * instead of waiting out gRPC's reconnect backoff (up to two minutes), so clients notice a
   * restarted node or a healed link within one call.
   */
  public void reconnectSoon(String address) {
    ManagedChannel c = channels.get(address);
    if (c != null) {
      c.resetConnectBackoff();
    }
  }

  @Override
  public void close() {
    for (ManagedChannel c : channels.values()) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels.values()) {
      try {
        c.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
