package io.kevo.cli;

import io.kevo.server.TlsOptions;
import io.kevo.wire.TlsFiles;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The flags of {@code kevo server} for TLS (each also a config-file key of the same name): the
 * certificate and key of the node's port, the CA that signs client certificates and whether clients
 * must present one, and what the node presents to its primary as a replica. Holds the parsed flags;
 * {@link #options(Properties)} turns them, with the config file, into {@link TlsOptions}. Not
 * thread-safe (picocli fills it once).
 */
final class TlsFlags {
  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "The node's PEM certificate chain: its port then speaks TLS 1.3 only, to clients and"
              + " replicas alike. Re-read when the file changes. Needs --tls-key.")
  String cert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The PEM private key (PKCS #8) of --tls-cert.")
  String key;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description =
          "PEM CA certificates that sign client certificates (and, by default, the primary's"
              + " certificate a replica checks).")
  String ca;

  @Option(
      names = "--tls-client-auth",
      paramLabel = "none|optional|require",
      description =
          "Whether clients and replicas must present a certificate signed by --tls-ca. Default:"
              + " require with --tls-ca, else none.")
  String clientAuth;

  @Option(
      names = "--replication-tls-ca",
      paramLabel = "FILE",
      description =
          "As a replica: the CA its primary's certificate is checked with. Default: --tls-ca.")
  String replicationCa;

  @Option(
      names = "--replication-tls-cert",
      paramLabel = "FILE",
      description =
          "As a replica: the certificate it presents to its primary. Default: --tls-cert (which"
              + " then needs the clientAuth key usage, or none).")
  String replicationCert;

  @Option(
      names = "--replication-tls-key",
      paramLabel = "FILE",
      description = "The key of --replication-tls-cert.")
  String replicationKey;

  /**
   * The TLS options, or null without a certificate.
   *
   * @throws IllegalArgumentException for a certificate without a key (or the reverse), a TLS flag
   *     without a certificate, or a malformed mode
   */
  TlsOptions options(Properties file) {
    String c = ServerCommand.setting(cert, file, "tls-cert", null);
    String k = ServerCommand.setting(key, file, "tls-key", null);
    String authority = ServerCommand.setting(ca, file, "tls-ca", null);
    String auth = ServerCommand.setting(clientAuth, file, "tls-client-auth", null);
    String rCa = ServerCommand.setting(replicationCa, file, "replication-tls-ca", null);
    String rCert = ServerCommand.setting(replicationCert, file, "replication-tls-cert", null);
    String rKey = ServerCommand.setting(replicationKey, file, "replication-tls-key", null);
    if (c == null && k == null) {
      if (authority != null || auth != null || rCa != null || rCert != null || rKey != null) {
        throw new IllegalArgumentException(
            "--tls-ca, --tls-client-auth and --replication-tls-* need --tls-cert and --tls-key");
      }
      return null;
    }
    if (c == null || k == null) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    TlsFiles.ClientAuth mode =
        auth != null
            ? TlsFiles.ClientAuth.parse(auth)
            : authority != null ? TlsFiles.ClientAuth.REQUIRE : TlsFiles.ClientAuth.NONE;
    return TlsOptions.server(Path.of(c), Path.of(k))
        .withClientAuth(authority == null ? null : Path.of(authority), mode)
        .withReplication(path(rCa), path(rCert), path(rKey));
  }

  private static Path path(String p) {
    return p == null ? null : Path.of(p);
  }
}
