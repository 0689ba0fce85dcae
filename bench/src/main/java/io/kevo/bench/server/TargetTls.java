package io.kevo.bench.server;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.kevo.client.TlsConfig;
import io.kevo.wire.TlsFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code ./kevo-bench server --target} against a node that speaks TLS: the CA its certificate is
 * checked with and, for a node that requires one, the load generator's certificate. Plaintext
 * without them. Not thread-safe (picocli fills it once; {@link #open()} before the run).
 */
public final class TargetTls implements AutoCloseable {
  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description = "With --target: speak TLS, checking the node's certificate with this PEM CA.")
  Path ca;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "With --tls-ca: this PEM certificate for a node that requires one (mTLS).")
  Path cert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM key of --tls-cert.")
  Path key;

  private TlsFiles files;

  /** Whether TLS was asked for. */
  public boolean enabled() {
    return ca != null || cert != null;
  }

  /**
   * Reads the files (once).
   *
   * @throws IllegalArgumentException if one is missing or does not load
   */
  public void open() {
    if (enabled() && files == null) {
      files = TlsFiles.client(ca, cert, key);
    }
  }

  /** Credentials for a raw channel to the node. */
  ChannelCredentials credentials() {
    return files == null ? InsecureChannelCredentials.create() : files.channelCredentials();
  }

  /** The same for {@link io.kevo.client.KevoClient}. */
  TlsConfig clientConfig() {
    return files == null ? TlsConfig.plaintext() : files::channelCredentials;
  }

  @Override
  public void close() {
    if (files != null) {
      files.close();
    }
  }
}
