package io.kevo.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kevo.cli.DistributionProcess;
import io.kevo.client.ClientOptions;
import io.kevo.client.KevoClient;
import io.kevo.client.ReadPreference;
import io.kevo.client.TlsConfig;
import io.kevo.testkit.KevoDistribution;
import io.kevo.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code kevo server --tls-*} as processes: a primary and a replica that require client
 * certificates from one CA replicate over mutual TLS, and the commands that call a node ({@code
 * shell}, {@code status}, {@code promote}) speak it with {@code --tls-ca/--tls-cert/--tls-key}; a
 * command without a certificate is refused.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TlsIT extends ClusterFixture {
  @Test
  void aPrimaryAndReplicaOnMutualTlsReplicateAndTheCommandsSpeakIt() throws Exception {
    Path certs = tmp.resolve("certs");
    TestCertificates.Authority ca = TestCertificates.authority("kevo test CA", certs, "ca");
    TestCertificates.Issued p = ca.issue("primary", certs, "primary");
    TestCertificates.Issued r = ca.issue("replica", certs, "replica");
    TestCertificates.Issued admin = ca.issue("admin", certs, "admin");

    ReplicationCluster.Node primary =
        cluster.startPrimary(
            "primary",
            java.util.List.of(),
            "--tls-cert",
            p.certFile().toString(),
            "--tls-key",
            p.keyFile().toString(),
            "--tls-ca",
            ca.certFile().toString());
    ReplicationCluster.Node replica =
        cluster.startReplica(
            "replica",
            primary.address(),
            java.util.List.of(),
            "--tls-cert",
            r.certFile().toString(),
            "--tls-key",
            r.keyFile().toString(),
            "--tls-ca",
            ca.certFile().toString());

    String[] tls = {
      "--tls-ca", ca.certFile().toString(),
      "--tls-cert", admin.certFile().toString(),
      "--tls-key", admin.keyFile().toString()
    };
    KevoDistribution kevo = KevoDistribution.locate();
    KevoDistribution.CommandRun shell =
        kevo.run(
            tmp.resolve("shell"),
            "PUT k \"over tls\"\nGET k\n",
            Duration.ofSeconds(60),
            concat(new String[] {"shell", "--connect", primary.address()}, tls));
    assertThat(shell.out().lines().toList()).as(shell.err()).containsExactly("OK", "\"over tls\"");

    try (KevoClient onReplica =
        KevoClient.connect(
            ClientOptions.builder()
                .endpoint(replica.address())
                .readPreference(ReadPreference.PRIMARY)
                .tls(TlsConfig.files(ca.certFile(), admin.certFile(), admin.keyFile()))
                .build())) {
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(onReplica.get(b("k")))
                      .hasValue("over tls".getBytes(StandardCharsets.UTF_8)));
    }

    DistributionProcess.ShellRun status =
        cluster.kevo(concat(new String[] {"status", replica.address()}, tls));
    assertThat(status.status()).as(status.err()).isZero();
    assertThat(status.out()).contains("replica");

    DistributionProcess.ShellRun anonymous = cluster.kevo("status", primary.address());
    assertThat(anonymous.status()).isNotZero();
    assertThat(anonymous.err()).contains("UNAVAILABLE");

    DistributionProcess.ShellRun promote =
        cluster.kevo(concat(new String[] {"promote", replica.address()}, tls));
    assertThat(promote.status()).as(promote.err()).isZero();
    assertThat(promote.out()).startsWith("promoted: ");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
