package io.kevo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kevo.proto.BeginTransactionRequest;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import io.kevo.proto.ScanRequest;
import io.kevo.proto.TxPutRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code kevo server} as a separate JVM, drives it over gRPC, stops it with SIGTERM and checks
 * a clean exit and intact data after a restart.
 */
class ServerEndToEndTest {
  private static final long STARTUP_SECONDS = 60;
  @TempDir Path tmp;

  /** A running {@code kevo server} child process; closing kills it if it is still alive. */
  private final class Node implements AutoCloseable {
    final Process process;
    final Path log;
    final int port;

    Node(String name) throws IOException, InterruptedException {
      Path portFile = tmp.resolve(name + ".port");
      log = tmp.resolve(name + ".log");
      process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName(),
                  "server",
                  "--data",
                  tmp.resolve("data").toString(),
                  "--listen",
                  "127.0.0.1:0",
                  "--sync",
                  "immediate",
                  "--port-file",
                  portFile.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STARTUP_SECONDS);
      while (!Files.exists(portFile)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new AssertionError("server did not start:\n" + Files.readString(log));
        }
        Thread.sleep(50);
      }
      port = Integer.parseInt(Files.readString(portFile).trim());
    }

    /** SIGTERM, then the exit status (or a kill and an error after 30 s). */
    int terminate() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("server did not stop within 30 s of SIGTERM");
      }
      return process.exitValue();
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }

  private static ByteString b(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  private static <T> T withStub(
      int port, java.util.function.Function<KevoServiceGrpc.KevoServiceBlockingStub, T> body)
      throws InterruptedException {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      return body.apply(
          KevoServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void serverStopsCleanlyOnSigtermAndKeepsItsData() throws Exception {
    try (Node first = new Node("first")) {
      withStub(
          first.port,
          stub -> {
            for (int i = 0; i < 100; i++) {
              stub.put(
                  PutRequest.newBuilder()
                      .setKey(b(String.format("key%03d", i)))
                      .setValue(b("value" + i))
                      .setSync(i == 99)
                      .build());
            }
            String tx =
                stub.beginTransaction(BeginTransactionRequest.getDefaultInstance())
                    .getTransactionId();
            stub.txPut(
                TxPutRequest.newBuilder()
                    .setTransactionId(tx)
                    .setKey(b("uncommitted"))
                    .setValue(b("x"))
                    .build());
            return null;
          });
      assertThat(first.terminate()).isZero();
      String log = Files.readString(first.log);
      List<String> listening =
          log.lines().filter(l -> l.contains("listening on 127.0.0.1:" + first.port)).toList();
      assertThat(listening).hasSize(1);
    }

    try (Node second = new Node("second")) {
      withStub(
          second.port,
          stub -> {
            GetResponse r = stub.get(GetRequest.newBuilder().setKey(b("key042")).build());
            assertThat(r.getFound()).isTrue();
            assertThat(r.getValue().toStringUtf8()).isEqualTo("value42");
            assertThat(
                    stub.get(GetRequest.newBuilder().setKey(b("uncommitted")).build()).getFound())
                .isFalse();
            int[] count = {0};
            stub.scan(ScanRequest.getDefaultInstance()).forEachRemaining(x -> count[0]++);
            assertThat(count[0]).isEqualTo(100);
            return null;
          });
      assertThat(second.terminate()).isZero();
    }
  }
}
