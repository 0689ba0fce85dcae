package io.kevo.server;

import io.kevo.wire.TlsFiles;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A node's TLS files: the certificate and key it serves clients and replicas with on its one port,
 * the CA that signs client certificates and whether clients must present one, and what the node
 * uses when, as a replica, it connects to its primary (by default the same CA and, as its client
 * certificate, its own certificate: it then needs the {@code clientAuth} extended key usage, or
 * none). Immutable.
 *
 * @param cert the server's PEM certificate chain
 * @param key its PEM private key (PKCS #8)
 * @param ca the PEM CA bundle that signs client certificates, and (by default) the primary's; null:
 *     none (clients then present no certificate, and a replica trusts the JVM's default CAs)
 * @param clientAuth whether clients must present a certificate signed by {@code ca}
 * @param replicationCa the CA a replica verifies its primary with; null: {@code ca}
 * @param replicationCert the certificate a replica presents to its primary; null: {@code cert}
 * @param replicationKey its key; null: {@code key}
 */
public record TlsOptions(
    Path cert,
    Path key,
    Path ca,
    TlsFiles.ClientAuth clientAuth,
    Path replicationCa,
    Path replicationCert,
    Path replicationKey) {
  public TlsOptions {
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(clientAuth, "clientAuth");
    if ((replicationCert == null) != (replicationKey == null)) {
      throw new IllegalArgumentException(
          "a replica's own certificate for its primary needs both --replication-tls-cert and"
              + " --replication-tls-key");
    }
    if (clientAuth != TlsFiles.ClientAuth.NONE && ca == null) {
      throw new IllegalArgumentException(
          "--tls-client-auth "
              + clientAuth.name().toLowerCase(java.util.Locale.ROOT)
              + " needs --tls-ca, the CA that signs client certificates");
    }
  }

  /** Server TLS with {@code cert} and {@code key}, no client certificates. */
  public static TlsOptions server(Path cert, Path key) {
    return new TlsOptions(cert, key, null, TlsFiles.ClientAuth.NONE, null, null, null);
  }

  /** These options with {@code ca} verifying client certificates as {@code clientAuth} asks. */
  public TlsOptions withClientAuth(Path ca, TlsFiles.ClientAuth clientAuth) {
    return new TlsOptions(
        cert, key, ca, clientAuth, replicationCa, replicationCert, replicationKey);
  }

  /** These options with what a replica uses toward its primary (null: the defaults above). */
  public TlsOptions withReplication(Path ca, Path cert, Path key) {
    return new TlsOptions(this.cert, this.key, this.ca, clientAuth, ca, cert, key);
  }

  /** Opens the server side's files (close them with the server). */
  TlsFiles serverFiles() {
    return TlsFiles.server(cert, key, ca, clientAuth);
  }

  /** Opens the files a replica connects to its primary with (close them with the replica). */
  TlsFiles replicationFiles() {
    return TlsFiles.client(
        replicationCa != null ? replicationCa : ca,
        replicationCert != null ? replicationCert : cert,
        replicationCert != null ? replicationKey : key);
  }
}
