package io.kevo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.engine.KevoDB;
import io.kevo.server.KevoServer;
import io.kevo.server.ServerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client outlives a restart of its server: the first call after it comes back succeeds. */
class ServerRestartTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static KevoServer start(Path data, int port) {
    return KevoServer.start(
        KevoDB.open(data), ServerOptions.builder().listen("127.0.0.1", port).build());
  }

  @Test
  void theFirstCallAfterTheServerReturnsSucceeds() {
    KevoServer server = start(dir, 0);
    int port = server.port();
    try (KevoClient client = KevoClient.connect(ClientOptions.forEndpoint(server.address()))) {
      client.put(b("a"), b("1"));
      server.close();
      // Several failed attempts while it is down push gRPC's reconnect backoff to seconds.
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> client.put(b("b"), b("2")))
            .isInstanceOfSatisfying(
                KevoClientException.class,
                e -> assertThat(e.code()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
      }
      server = start(dir, port);
      client.put(b("c"), b("3"));
      assertThat(client.get(b("a"))).hasValue(b("1"));
      assertThat(client.get(b("c"))).hasValue(b("3"));
    } finally {
      server.close();
    }
  }
}
