package io.kevo.server;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.proto.KevoServiceGrpc;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** An in-process server on a fresh database, a channel to it and a settable clock. */
final class ServerFixture implements AutoCloseable {
  static final int MAX_KEY = 1024;
  static final int MAX_VALUE = 64 * 1024;

  final AtomicLong clock = new AtomicLong(1_000_000_000L);
  final KevoServer server;
  final ManagedChannel channel;
  final KevoServiceGrpc.KevoServiceBlockingStub stub;
  final KevoServiceGrpc.KevoServiceStub async;

  ServerFixture(Path dir, ServerOptions options) {
    this(dir, options, Options.builder().maxKeySize(MAX_KEY).maxValueSize(MAX_VALUE).build());
  }

  ServerFixture(Path dir, ServerOptions options, Options engine) {
    KevoDB db = KevoDB.open(dir, engine);
    String name = InProcessServerBuilder.generateName();
    server = KevoServer.start(db, options, InProcessServerBuilder.forName(name), clock::get);
    channel = InProcessChannelBuilder.forName(name).build();
    stub = KevoServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    async = KevoServiceGrpc.newStub(channel);
  }

  ServerFixture(Path dir) {
    this(dir, ServerOptions.DEFAULT);
  }

  void advance(long millis) {
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }
}
