package io.kevo.cli;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.kevo.client.TlsConfig;
import io.kevo.wire.TlsFiles;
import io.kevo.wire.WireMetadata;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The TLS and identity flags of the commands that call a node ({@code shell}, {@code status},
 * {@code promote}, {@code repoint}, {@code switchover}): the CA that signs the node's certificate
 * and, for a node that requires one, the command's own certificate. Without them the command speaks
 * plaintext. Not thread-safe (picocli fills it once).
 */
final class ClientTlsFlags {
  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description =
          "Speak TLS, checking the node's certificate (and its host name) with these PEM CA"
              + " certificates.")
  Path ca;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "With --tls-ca: this PEM certificate for a node that requires one.")
  Path cert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM key of --tls-cert.")
  Path key;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "Send the bearer token in this file (its first line) as the caller's identity, for a"
              + " node with an auth file. A file, so that the token is not on the command line.")
  Path tokenFile;

  /**
   * The bearer token from {@code --token-file}, or null.
   *
   * @throws IllegalArgumentException if the file cannot be read or is empty
   */
  String token() {
    if (tokenFile == null) {
      return null;
    }
    try {
      String t =
          java.nio.file.Files.readAllLines(tokenFile).stream().findFirst().orElse("").strip();
      if (t.isEmpty()) {
        throw new IllegalArgumentException("--token-file " + tokenFile + " is empty");
      }
      return t;
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read --token-file " + tokenFile + ": " + e);
    }
  }

  /**
   * {@code options} with the TLS and token of these flags.
   *
   * @throws IllegalArgumentException as {@link #config()} and {@link #token()}
   */
  io.kevo.client.ClientOptions applyTo(io.kevo.client.ClientOptions options) {
    return options.toBuilder().tls(config()).bearerToken(token()).build();
  }

  /** Whether TLS was asked for. */
  boolean enabled() {
    return ca != null || cert != null;
  }

  /**
   * The client library's TLS setting: plaintext without flags.
   *
   * @throws IllegalArgumentException for a certificate without a key, or a file that does not load
   */
  TlsConfig config() {
    return enabled() ? TlsConfig.files(ca, cert, key) : TlsConfig.plaintext();
  }

  /**
   * A channel builder to {@code endpoint} with these flags' TLS and token, and the TLS files to
   * close once the channel is shut down (null for plaintext).
   *
   * @throws IllegalArgumentException as {@link #config()} and {@link #token()}
   */
  Channel channelTo(String endpoint) {
    String token = token();
    TlsFiles files = enabled() ? TlsFiles.client(ca, cert, key) : null;
    ChannelCredentials creds =
        files != null ? files.channelCredentials() : InsecureChannelCredentials.create();
    NettyChannelBuilder b = NettyChannelBuilder.forTarget(endpoint, creds);
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(WireMetadata.AUTHORIZATION, "Bearer " + token);
      b.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    return new Channel(b, files);
  }

  /** A channel builder, and the TLS files to close after its channel (null: nothing). */
  record Channel(NettyChannelBuilder builder, TlsFiles files) {
    /**
     * Shuts {@code built} (this builder's channel) down, waiting up to 5 s for it, and stops
     * watching the TLS files, if any.
     */
    void shutdown(io.grpc.ManagedChannel built) {
      built.shutdownNow();
      try {
        built.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (files != null) {
        files.close();
      }
    }
  }
}
