package io.kevo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.engine.KevoDB;
import io.kevo.server.KevoServer;
import io.kevo.server.ServerOptions;
import io.kevo.server.TlsOptions;
import io.kevo.testkit.TestCertificates;
import io.kevo.wire.TlsFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TlsConfig#files}: a client speaks (mutual) TLS to a node that requires it. */
class TlsClientTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aClientWithACertificateFromTheNodesCaReadsAndWritesOneWithoutIsRefused() {
    Path certs = dir.resolve("certs");
    TestCertificates.Authority ca = TestCertificates.authority("kevo test CA", certs, "ca");
    TestCertificates.Issued node = ca.issue("node", certs, "node");
    TestCertificates.Issued app = ca.issue("app", certs, "app");
    try (KevoServer server =
        KevoServer.start(
            KevoDB.open(dir.resolve("data")),
            ServerOptions.builder()
                .listen("127.0.0.1", 0)
                .tls(
                    TlsOptions.server(node.certFile(), node.keyFile())
                        .withClientAuth(ca.certFile(), TlsFiles.ClientAuth.REQUIRE))
                .build())) {
      try (KevoClient client =
          KevoClient.connect(
              ClientOptions.builder()
                  .endpoint(server.address())
                  .tls(TlsConfig.files(ca.certFile(), app.certFile(), app.keyFile()))
                  .build())) {
        client.put(b("k"), b("v"));
        assertThat(client.get(b("k"))).hasValue(b("v"));
      }
      try (KevoClient anonymous =
              KevoClient.connect(
                  ClientOptions.builder()
                      .endpoint(server.address())
                      .deadline(Duration.ofSeconds(5))
                      .tls(TlsConfig.files(ca.certFile(), null, null))
                      .build());
          KevoClient plaintext =
              KevoClient.connect(
                  ClientOptions.builder()
                      .endpoint(server.address())
                      .deadline(Duration.ofSeconds(5))
                      .build())) {
        for (KevoClient refused : new KevoClient[] {anonymous, plaintext}) {
          assertThatThrownBy(() -> refused.put(b("x"), b("1")))
              .isInstanceOfSatisfying(
                  KevoClientException.class,
                  e -> assertThat(e.code()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
        }
      }
      assertThat(server.db().get(b("x"))).isEmpty();
    }
  }

  @Test
  void aBearerTokenIsTheClientsIdentityOnANodeWithAnAuthFile() throws Exception {
    String token = "client-test-token-0123456789";
    Path auth = dir.resolve("kevo.auth");
    java.nio.file.Files.writeString(
        auth, "read,write token app sha256:" + io.kevo.server.auth.AuthFile.sha256(token) + "\n");
    try (KevoServer server =
        KevoServer.start(
            KevoDB.open(dir.resolve("data")),
            ServerOptions.builder().listen("127.0.0.1", 0).authFile(auth).build())) {
      try (KevoClient client =
          KevoClient.connect(
              ClientOptions.builder().endpoint(server.address()).bearerToken(token).build())) {
        client.put(b("k"), b("v"));
        assertThat(client.get(b("k"))).hasValue(b("v"));
      }
      try (KevoClient anonymous =
          KevoClient.connect(
              ClientOptions.builder()
                  .endpoint(server.address())
                  .deadline(Duration.ofSeconds(5))
                  .build())) {
        assertThatThrownBy(() -> anonymous.get(b("k")))
            .isInstanceOfSatisfying(
                KevoClientException.class,
                e -> assertThat(e.code()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED));
      }
    }
    assertThatThrownBy(() -> ClientOptions.builder().bearerToken("has space"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a bearer token is printable ASCII without spaces");
  }

  @Test
  void aMissingCertificateFileIsAClearErrorAtConfiguration() {
    Path missing = dir.resolve("nope.crt");
    assertThatThrownBy(() -> TlsConfig.files(missing, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the TLS CA file " + missing + " does not exist or cannot be read");
  }
}
