package io.kevo.client;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.kevo.wire.WireMetadata;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One {@link ManagedChannel} per node address, made at the first call to that node and shut down by
 * {@link #close()}. Thread-safe; after {@code close()} every {@link #node} call fails with {@code
 * UNAVAILABLE}.
 */
final class NodePool implements AutoCloseable {
  private static final ClientLog LOG = ClientLog.of(NodePool.class);

  private final ClientOptions options;
  private final Map<String, Node> nodes = new ConcurrentHashMap<>();
  private volatile boolean closed;

  NodePool(ClientOptions options) {
    this.options = options;
  }

  /**
   * The node at {@code address} ({@code HOST:PORT}), with its channel made if this is the first
   * call to it.
   *
   * @throws KevoClientException UNAVAILABLE if the pool is closed
   * @throws IllegalArgumentException if {@code address} is not {@code HOST:PORT}
   */
  Node node(String address) {
    checkOpen();
    Node node = nodes.computeIfAbsent(address, this::open);
    // close() sets the flag before it walks the map: if it missed this node, we see the flag.
    if (closed) {
      node.channel().shutdownNow();
      checkOpen();
    }
    return node;
  }

  /** The channels made so far, by address (for tests and debugging). */
  Map<String, ManagedChannel> channels() {
    Map<String, ManagedChannel> out = new ConcurrentHashMap<>();
    nodes.forEach((a, n) -> out.put(a, n.channel()));
    return Map.copyOf(out);
  }

  private Node open(String address) {
    ClientOptions.HostPort hp = ClientOptions.parseEndpoint(address);
    var builder =
        Grpc.newChannelBuilderForAddress(hp.host(), hp.port(), options.tls().channelCredentials())
            .maxInboundMessageSize(options.maxInboundMessageBytes());
    if (options.bearerToken() != null) {
      Metadata headers = new Metadata();
      headers.put(WireMetadata.AUTHORIZATION, "Bearer " + options.bearerToken());
      builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    ManagedChannel channel = builder.build();
    LOG.debug("channel to {}", address);
    return new Node(address, channel);
  }

  private void checkOpen() {
    if (closed) {
      throw new KevoClientException(Status.Code.UNAVAILABLE, "the client is closed", null);
    }
  }

  /** Shuts every channel down, waiting up to 5 s in all for calls in flight. Idempotent. */
  @Override
  public void close() {
    closed = true;
    nodes.values().forEach(n -> n.channel().shutdown());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Node n : nodes.values()) {
      try {
        long left = deadline - System.nanoTime();
        if (!n.channel().awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
          n.channel().shutdownNow();
        }
      } catch (InterruptedException e) {
        nodes.values().forEach(m -> m.channel().shutdownNow());
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
