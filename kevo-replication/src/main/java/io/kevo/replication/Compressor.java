package io.kevo.replication;

import io.kevo.proto.replication.CompressionCodec;

/** Compresses and decompresses replication payloads (the seed's {@code Compressor}). */
public interface Compressor extends AutoCloseable {
  /**
   * {@code data} compressed with {@code codec} ({@link CompressionCodec#NONE} returns it as is).
   */
  byte[] compress(byte[] data, CompressionCodec codec);

  /**
   * {@code data} decompressed with {@code codec}.
   *
   * @throws ReplicationException {@link ReplicationException.Reason#MALFORMED} if {@code data} is
   *     not valid for {@code codec}
   */
  byte[] decompress(byte[] data, CompressionCodec codec);

  /** Releases native resources. Idempotent; throws nothing. */
  @Override
  void close();
}
