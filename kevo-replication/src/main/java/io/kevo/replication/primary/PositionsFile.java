package io.kevo.replication.primary;

import io.kevo.engine.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The primary's file of replica positions, {@code <state dir>/replicas}: what each named replica
 * acknowledged, so its WAL hold survives a primary restart. Stateless; callers serialize writes.
 *
 * <p>Format, little-endian:
 *
 * <pre>
 *   magic u32 = 0x5050524B ("KRPP") | version u16 = 1 | count u32 |
 *   count × ( idLen u16 | id UTF-8 | lastAcked u64 | lastSeenMillis i64 | flags u8 |
 *             addrLen u16 | address UTF-8 ) |
 *   crc u32 (CRC-32 of everything before it)
 * </pre>
 *
 * flags bit 0: the replica's hold was dropped (retention limit) and is not re-created on start.
 *
 * <p>Written atomically: a temporary file is written and fsynced, renamed over the old one, and the
 * directory fsynced, so a crash leaves the old or the new file, never a torn one.
 */
final class PositionsFile {
  static final String NAME = "replicas";
  private static final int MAGIC = 0x5050524B;
  private static final short VERSION = 1;

  /** One replica's persisted position. */
  record Position(
      String replicaId, long lastAcked, String address, long lastSeenMillis, boolean holdDropped) {}

  private PositionsFile() {}

  /** The positions in {@code file}; empty if it does not exist. */
  static List<Position> read(Path file) throws IOException {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    if (data.length < 14 || b.getInt() != MAGIC) {
      throw new IOException(file + " is not a replica positions file (bad magic)");
    }
    CRC32 crc = new CRC32();
    crc.update(data, 0, data.length - 4);
    if ((int) crc.getValue() != b.getInt(data.length - 4)) {
      throw new IOException(file + " fails its checksum");
    }
    short version = b.getShort();
    if (version != VERSION) {
      throw new IOException(file + " has unknown version " + version);
    }
    int count = b.getInt();
    List<Position> out = new ArrayList<>(count);
    try {
      for (int i = 0; i < count; i++) {
        String id = string(b);
        long acked = b.getLong();
        long seen = b.getLong();
        byte flags = b.get();
        String addr = string(b);
        out.add(new Position(id, acked, addr, seen, (flags & 1) != 0));
      }
    } catch (RuntimeException e) {
      throw new IOException(file + " is malformed", e);
    }
    return out;
  }

  /** Replaces {@code file} atomically with {@code positions}. */
  static void write(Path file, Collection<Position> positions) throws IOException {
    List<byte[]> ids = new ArrayList<>();
    List<byte[]> addrs = new ArrayList<>();
    int size = 4 + 2 + 4 + 4;
    for (Position p : positions) {
      byte[] id = p.replicaId().getBytes(StandardCharsets.UTF_8);
      byte[] addr = p.address().getBytes(StandardCharsets.UTF_8);
      ids.add(id);
      addrs.add(addr);
      size += 2 + id.length + 8 + 8 + 1 + 2 + addr.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putShort(VERSION).putInt(positions.size());
    int i = 0;
    for (Position p : positions) {
      b.putShort((short) ids.get(i).length).put(ids.get(i));
      b.putLong(p.lastAcked()).putLong(p.lastSeenMillis()).put((byte) (p.holdDropped() ? 1 : 0));
      b.putShort((short) addrs.get(i).length).put(addrs.get(i));
      i++;
    }
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, size - 4);
    b.putInt((int) crc.getValue());
    b.flip();

    DurableFiles.replace(file, b);
  }

  private static String string(ByteBuffer b) {
    int len = Short.toUnsignedInt(b.getShort());
    byte[] s = new byte[len];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }
}
