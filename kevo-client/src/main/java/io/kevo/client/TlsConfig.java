package io.kevo.client;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import java.nio.file.Path;

/**
 * How the client secures its connections: {@link #plaintext()} (the default) or TLS 1.3 from PEM
 * files ({@link #files}). Any other implementation may return its own gRPC credentials.
 */
@FunctionalInterface
public interface TlsConfig {
  /** The gRPC credentials for a channel; called once per node the client connects to. */
  ChannelCredentials channelCredentials();

  /** No encryption: for a server on localhost or a trusted network (the server is plaintext). */
  static TlsConfig plaintext() {
    return InsecureChannelCredentials::create;
  }

  /**
   * TLS 1.3: {@code ca} (null: the JVM's default CAs) verifies each server's certificate and that
   * it names the host connected to; {@code cert} and {@code key} (both null: none) are the client's
   * own certificate for servers that require one (mutual TLS). The files are read now, and again
   * when they change on disk (a rotated certificate is used for new connections). The returned
   * object belongs to the client it is given to: closing that client stops watching the files.
   *
   * @throws IllegalArgumentException if a file is missing or not a valid PEM certificate or key
   */
  static TlsConfig files(Path ca, Path cert, Path key) {
    return new FileTls(ca, cert, key);
  }
}
