package io.kevo.wire;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettySslContextChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettySslContextServerCredentials;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS 1.3 for Kevo's gRPC connections, from PEM files: a certificate chain and its private key
 * (PKCS #8, RSA or EC) for the party's own identity, and a CA bundle for the peers it trusts. The
 * files are read again every {@link #RELOAD_EVERY} and take effect for new connections when they
 * changed, so a certificate is rotated by replacing its files, without a restart. One object serves
 * one side ({@link #server} or {@link #client}); close it to stop watching the files. Thread-safe.
 */
public final class TlsFiles implements AutoCloseable {
  /** How often the files are looked at again (they are re-read only when modified). */
  public static final Duration RELOAD_EVERY = Duration.ofSeconds(1);

  private static final String TLS_1_3 = "TLSv1.3";

  /** Whether a server asks its clients for a certificate. */
  public enum ClientAuth {
    /** Clients present no certificate (server authentication only). */
    NONE,
    /** A client may present one (it must then be signed by the CA); without one it is anonymous. */
    OPTIONAL,
    /** Every client must present a certificate signed by the CA: mutual TLS. */
    REQUIRE;

    /**
     * {@code none}, {@code optional} or {@code require}.
     *
     * @throws IllegalArgumentException naming the values it takes
     */
    public static ClientAuth parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a client authentication mode; use none, optional or require");
      }
    }
  }

  private static final ScheduledExecutorService RELOADER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kevo-tls-reload");
            t.setDaemon(true);
            return t;
          });

  private static final Logger LOG = LoggerFactory.getLogger(TlsFiles.class);

  private final SslContext context;
  private final ScheduledFuture<?> watch;

  private TlsFiles(SslContext context, ScheduledFuture<?> watch) {
    this.context = context;
    this.watch = watch;
  }

  /**
   * A server's TLS: its certificate chain {@code cert} and key {@code key}; {@code ca} (null: none)
   * verifies client certificates as {@code clientAuth} asks.
   *
   * @throws IllegalArgumentException if a file is missing or unreadable, or {@code clientAuth} asks
   *     for client certificates without a CA
   */
  public static TlsFiles server(Path cert, Path key, Path ca, ClientAuth clientAuth) {
    if (clientAuth != ClientAuth.NONE && ca == null) {
      throw new IllegalArgumentException(
          "client authentication '"
              + clientAuth.name().toLowerCase(Locale.ROOT)
              + "' needs the CA that signs client certificates (--tls-ca)");
    }
    List<ReloadingKeys.Reloadable> watched = new ArrayList<>();
    SslContextBuilder b = SslContextBuilder.forServer(keys(cert, key, watched));
    if (ca != null) {
      b.trustManager(trust(ca, watched));
    }
    b.clientAuth(
        switch (clientAuth) {
          case NONE -> io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth.NONE;
          case OPTIONAL -> io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth.OPTIONAL;
          case REQUIRE -> io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth.REQUIRE;
        });
    return new TlsFiles(build(b), watch(watched));
  }

  /**
   * A client's TLS: {@code ca} (null: the JVM's default trust store) verifies the server's
   * certificate and its host name; {@code cert} and {@code key} (both null: none) are the client's
   * own certificate for mutual TLS.
   *
   * @throws IllegalArgumentException if a file is missing or unreadable, or only one of {@code
   *     cert} and {@code key} is given
   */
  public static TlsFiles client(Path ca, Path cert, Path key) {
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(
          "a client certificate needs both its certificate and its key file");
    }
    List<ReloadingKeys.Reloadable> watched = new ArrayList<>();
    SslContextBuilder b = SslContextBuilder.forClient();
    if (ca != null) {
      b.trustManager(trust(ca, watched));
    }
    if (cert != null) {
      b.keyManager(keys(cert, key, watched));
    }
    return new TlsFiles(build(b), watch(watched));
  }

  /** Credentials for a gRPC server built on these files (a server's {@code TlsFiles}). */
  public ServerCredentials serverCredentials() {
    return NettySslContextServerCredentials.create(context);
  }

  /** Credentials for a gRPC channel built on these files (a client's {@code TlsFiles}). */
  public ChannelCredentials channelCredentials() {
    return NettySslContextChannelCredentials.create(context);
  }

  /** Stops watching the files; connections made keep working. Idempotent. */
  @Override
  public void close() {
    if (watch != null) {
      watch.cancel(false);
    }
  }

  private static ReloadingKeys.Keys keys(
      Path cert, Path key, List<ReloadingKeys.Reloadable> watched) {
    readable(cert, "certificate");
    readable(key, "private key");
    try {
      ReloadingKeys.Keys k = new ReloadingKeys.Keys(cert, key);
      watched.add(k);
      return k;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot load the certificate " + cert + " with its key " + key + ": " + e.getMessage(),
          e);
    }
  }

  private static ReloadingKeys.Trust trust(Path ca, List<ReloadingKeys.Reloadable> watched) {
    readable(ca, "CA");
    try {
      ReloadingKeys.Trust t = new ReloadingKeys.Trust(ca);
      watched.add(t);
      return t;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot load the CA certificates " + ca + ": " + e.getMessage(), e);
    }
  }

  /** Looks at {@code watched} files every {@link #RELOAD_EVERY}; null when there is none. */
  private static ScheduledFuture<?> watch(List<ReloadingKeys.Reloadable> watched) {
    if (watched.isEmpty()) {
      return null;
    }
    return RELOADER.scheduleWithFixedDelay(
        () -> {
          for (ReloadingKeys.Reloadable r : watched) {
            try {
              r.reload();
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
              LOG.warn(
                  "a TLS file changed but does not load; the previous one stays in use: {}",
                  e.toString());
            }
          }
        },
        RELOAD_EVERY.toMillis(),
        RELOAD_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static void readable(Path file, String what) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(
          "the TLS " + what + " file " + file + " does not exist or cannot be read");
    }
  }

  private static SslContext build(SslContextBuilder b) {
    try {
      // The JDK's TLS: the key and trust managers above are asked at every handshake, so a
      // rotated file takes effect for the next connection.
      return GrpcSslContexts.configure(b, SslProvider.JDK).protocols(TLS_1_3).build();
    } catch (SSLException e) {
      throw new UncheckedIOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
