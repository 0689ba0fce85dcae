package io.kevo.client;

import io.grpc.ChannelCredentials;
import io.kevo.wire.TlsFiles;
import java.nio.file.Path;

/** {@link TlsConfig#files}: TLS from PEM files, watched until the client closes. Thread-safe. */
final class FileTls implements TlsConfig, AutoCloseable {
  private final TlsFiles files;
  private final String described;

  FileTls(Path ca, Path cert, Path key) {
    this.files = TlsFiles.client(ca, cert, key);
    this.described =
        "TLS (CA "
            + (ca == null ? "the JVM's defaults" : ca)
            + (cert == null ? "" : ", cert " + cert)
            + ")";
  }

  @Override
  public ChannelCredentials channelCredentials() {
    return files.channelCredentials();
  }

  @Override
  public void close() {
    files.close();
  }

  @Override
  public String toString() {
    return described;
  }
}
