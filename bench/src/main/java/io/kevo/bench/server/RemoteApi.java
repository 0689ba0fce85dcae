package io.kevo.bench.server;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kevo.client.ClientOptions;
import io.kevo.client.KevoClient;
import io.kevo.proto.KevoServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The connections to the node under test: {@code connections} HTTP/2 connections, client {@code c}
 * using connection {@code c % connections}. Through the raw generated stubs ({@link Api#STUB}, on
 * channels with a direct executor so that completions run on the event loop that read them) or
 * through {@link KevoClient} ({@link Api#CLIENT}, one client per connection). Thread-safe; close it
 * when done.
 */
public final class RemoteApi implements AutoCloseable {
  /** How the load generator speaks the protocol. */
  enum Api {
    STUB,
    CLIENT;

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Api fromId(String id) {
      for (Api a : values()) {
        if (a.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
          return a;
        }
      }
      throw new IllegalArgumentException("unknown --api '" + id + "' (expected stub or client)");
    }
  }

  private static final int MAX_INBOUND = 64 << 20;

  private final Api api;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<KevoClient> clients = new ArrayList<>();

  RemoteApi(Api api, String host, int port, int connections, TargetTls tls) {
    if (connections < 1) {
      throw new IllegalArgumentException("--connections must be at least 1, got " + connections);
    }
    this.api = api;
    for (int i = 0; i < connections; i++) {
      if (api == Api.STUB) {
        channels.add(channel(host, port, tls));
      } else {
        // One node and no replica: session tokens would change no read's answer, only its path
        // (a read at a sequence); the recorded client figures were taken without them.
        clients.add(
            KevoClient.connect(
                ClientOptions.builder()
                    .endpoint(host + ":" + port)
                    .sessionConsistency(false)
                    .tls(tls.clientConfig())
                    .build()));
      }
    }
  }

  /** A plaintext channel whose callbacks run on the event loop; one HTTP/2 connection. */
  public static ManagedChannel channel(String host, int port) {
    return channel(host, port, new TargetTls());
  }

  /** As {@link #channel(String, int)}, over TLS when {@code tls} asks for it. */
  static ManagedChannel channel(String host, int port, TargetTls tls) {
    return NettyChannelBuilder.forAddress(host, port, tls.credentials())
        .directExecutor()
        .maxInboundMessageSize(MAX_INBOUND)
        .build();
  }

  /** A caller for client number {@code client} of a {@code workload} phase. */
  Caller caller(RequestKind workload, int client, KeyPlan keys, ValuePool values, LoadParams p) {
    RequestDraw draw =
        new RequestDraw(
            workload, keys, values, p.batchSize(), Seeds.client(p.seed(), workload, client));
    if (api == Api.STUB) {
      ManagedChannel ch = channels.get(client % channels.size());
      return new StubCaller(KevoServiceGrpc.newBlockingStub(ch), KevoServiceGrpc.newStub(ch), draw);
    }
    return new ClientCaller(clients.get(client % clients.size()), draw);
  }

  @Override
  public void close() {
    clients.forEach(KevoClient::close);
    for (ManagedChannel ch : channels) {
      ch.shutdown();
    }
    for (ManagedChannel ch : channels) {
      try {
        if (!ch.awaitTermination(5, TimeUnit.SECONDS)) {
          ch.shutdownNow();
        }
      } catch (InterruptedException e) {
        ch.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
