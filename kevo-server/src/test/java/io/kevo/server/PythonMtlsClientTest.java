package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.KevoDB;
import io.kevo.testkit.TestCertificates;
import io.kevo.wire.TlsFiles;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gRPC client in another language speaks mutual TLS to a node: Python's grpcio (Debian's {@code
 * python3-grpcio}, which {@code .ci/run} installs) with {@code ssl_channel_credentials}, as
 * docs/OPERATIONS.md shows.
 */
class PythonMtlsClientTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @TempDir Path dir;

  @Test
  void pythonGrpcioWritesAndReadsOverMutualTls() throws Exception {
    Path certs = dir.resolve("certs");
    TestCertificates.Authority ca = TestCertificates.authority("kevo test CA", certs, "ca");
    TestCertificates.Issued node = ca.issue("node", certs, "node");
    TestCertificates.Issued app = ca.issue("python-app", certs, "app");
    Path script = dir.resolve("mtls_client.py");
    try (InputStream in = getClass().getResourceAsStream("/interop/mtls_client.py")) {
      Files.copy(in, script);
    }
    try (KevoServer server =
        KevoServer.start(
            KevoDB.open(dir.resolve("data")),
            ServerOptions.builder()
                .listen("127.0.0.1", 0)
                .tls(
                    TlsOptions.server(node.certFile(), node.keyFile())
                        .withClientAuth(ca.certFile(), TlsFiles.ClientAuth.REQUIRE))
                .build())) {
      Process p =
          new ProcessBuilder(
                  List.of(
                      PYTHON.toString(),
                      script.toString(),
                      server.address(),
                      ca.certFile().toString(),
                      app.certFile().toString(),
                      app.keyFile().toString(),
                      "from-python",
                      "hello over mTLS"))
              .redirectErrorStream(true)
              .start();
      try {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("python finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.strip()).isEqualTo("hello over mTLS");
      } finally {
        p.destroyForcibly();
      }
      assertThat(server.db().get("from-python".getBytes(StandardCharsets.UTF_8)))
          .hasValueSatisfying(
              v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("hello over mTLS"));
    }
  }
}
