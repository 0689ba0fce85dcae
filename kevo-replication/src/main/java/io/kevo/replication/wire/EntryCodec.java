package io.kevo.replication.wire;

import io.kevo.engine.OperationPayload;
import io.kevo.engine.WalOperation;
import io.kevo.replication.ReplicationException;
import java.util.zip.CRC32;

/**
 * The {@code WALEntry.payload} of one operation (PROTOCOL.md §2), encoded and decoded by the
 * engine's {@link OperationPayload} (the log stores operations the same way), and the CRC-32 (IEEE)
 * that {@code WALEntry.checksum} carries. A malformed payload is a {@link
 * ReplicationException.Reason#MALFORMED} error, never a wrong write.
 */
public final class EntryCodec {
  private EntryCodec() {}

  /**
   * Decodes a complete payload.
   *
   * @throws ReplicationException {@link ReplicationException.Reason#MALFORMED} naming what is wrong
   */
  public static WalOperation decode(byte[] payload) {
    return OperationPayload.decode(payload, EntryCodec::malformed);
  }

  /** CRC-32 (IEEE) of {@code data}, as {@code WALEntry.checksum} carries it. */
  public static int crc32(byte[] data) {
    return crc32(data, 0, data.length);
  }

  /** CRC-32 (IEEE) of {@code data[offset, offset + length)}. */
  public static int crc32(byte[] data, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  private static ReplicationException malformed(String message) {
    return new ReplicationException(ReplicationException.Reason.MALFORMED, message);
  }
}
