package io.kevo.replication;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.kevo.engine.KevoDB;
import io.kevo.replication.primary.Primary;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Primary} over a test's database, served on a fresh in-process gRPC server (through
 * {@code interceptors}, if any), with a channel to it for replicas and raw clients. {@link
 * #close()} shuts the channel, closes the primary, then shuts the server; the database stays the
 * test's to close. Thread-safe as its parts are.
 */
public record ServedPrimary(Primary primary, Server server, ManagedChannel channel)
    implements AutoCloseable {

  /** Opens a primary of {@code db} with {@code options} and serves it. */
  public static ServedPrimary open(
      KevoDB db, PrimaryOptions options, ServerInterceptor... interceptors) throws IOException {
    Primary primary = Primary.open(db, options);
    String name = InProcessServerBuilder.generateName();
    Server server =
        InProcessServerBuilder.forName(name)
            .addService(ServerInterceptors.intercept(primary.bindableService(), interceptors))
            .build()
            .start();
    return new ServedPrimary(primary, server, InProcessChannelBuilder.forName(name).build());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    primary.close();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
