package io.kevo.replication;

import io.grpc.Metadata;

/** The gRPC metadata keys of the replication protocol (see {@code replication.proto}). */
public final class ReplicationMetadata {
  private ReplicationMetadata() {}

  /** Response header of StreamWAL; request metadata of Acknowledge and NegativeAcknowledge. */
  public static final Metadata.Key<String> SESSION_ID =
      Metadata.Key.of("session-id", Metadata.ASCII_STRING_MARSHALLER);

  /** Trailer naming a {@link ReplicationException.Reason} when StreamWAL is refused. */
  public static final Metadata.Key<String> ERROR =
      Metadata.Key.of("kevo-repl-error", Metadata.ASCII_STRING_MARSHALLER);

  /** Trailer with the primary's first retained sequence (POSITION_NOT_RETAINED). */
  public static final Metadata.Key<String> FIRST_RETAINED =
      Metadata.Key.of("kevo-first-retained", Metadata.ASCII_STRING_MARSHALLER);

  /** Trailer with the primary's next sequence (AHEAD_OF_PRIMARY). */
  public static final Metadata.Key<String> NEXT_SEQUENCE =
      Metadata.Key.of("kevo-next-sequence", Metadata.ASCII_STRING_MARSHALLER);

  /** The primary's client address (HOST:PORT), sent by replicas with refusals. */
  public static final Metadata.Key<String> PRIMARY =
      Metadata.Key.of("kevo-primary", Metadata.ASCII_STRING_MARSHALLER);

  /** StreamWAL response header: the primary's current epoch number. */
  public static final Metadata.Key<String> EPOCH =
      Metadata.Key.of("kevo-epoch", Metadata.ASCII_STRING_MARSHALLER);

  /** StreamWAL response header: the primary's current term id. */
  public static final Metadata.Key<String> EPOCH_TERM =
      Metadata.Key.of("kevo-epoch-term", Metadata.ASCII_STRING_MARSHALLER);
}
