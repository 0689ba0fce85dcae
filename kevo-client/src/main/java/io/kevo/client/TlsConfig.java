package io.kevo.client;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;

/**
 * How the client secures its connection: a hook for TLS. Only {@link #plaintext()} ships today; a
 * TLS configuration will be another implementation returning e.g. {@code
 * TlsChannelCredentials.newBuilder()...build()}, with no change to {@link KevoClient}.
 */
@FunctionalInterface
public interface TlsConfig {
  /** The gRPC credentials for the channel. Called once per client. */
  ChannelCredentials channelCredentials();

  /** No encryption: for a server on localhost or a trusted network (the server is plaintext). */
  static TlsConfig plaintext() {
    return InsecureChannelCredentials::create;
  }
}
