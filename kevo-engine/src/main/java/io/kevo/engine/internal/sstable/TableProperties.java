package io.kevo.engine.internal.sstable;

import io.kevo.engine.Compression;
import java.util.Arrays;

/**
 * Facts about one table, stored in its properties block (all but {@code fileSize}, which is the
 * size of the finished file). Immutable: the key arrays are the record's own and must not be
 * modified by callers.
 *
 * @param formatVersion the table format version
 * @param entryCount all entries, puts and tombstones
 * @param tombstoneCount entries that are tombstones
 * @param smallestUserKey user key of the first entry in internal order
 * @param smallestSequence sequence of the first entry
 * @param largestUserKey user key of the last entry
 * @param largestSequence sequence of the last entry
 * @param minSequence smallest sequence of any entry
 * @param maxSequence largest sequence of any entry
 * @param rawKeyBytes sum of user key lengths
 * @param rawValueBytes sum of value lengths
 * @param dataSize bytes of data blocks in the file, trailers included
 * @param dataBlockCount number of data blocks
 * @param compression the compression the writer asked for (blocks may still be stored plain)
 * @param fileSize size of the table file in bytes
 */
public record TableProperties(
    int formatVersion,
    long entryCount,
    long tombstoneCount,
    byte[] smallestUserKey,
    long smallestSequence,
    byte[] largestUserKey,
    long largestSequence,
    long minSequence,
    long maxSequence,
    long rawKeyBytes,
    long rawValueBytes,
    long dataSize,
    long dataBlockCount,
    Compression compression,
    long fileSize) {

  /** Serialises every field but {@code fileSize}, as laid out in {@code package-info.java}. */
  byte[] encode() {
    ByteSink s = new ByteSink(128 + smallestUserKey.length + largestUserKey.length);
    s.writeFixed32(formatVersion);
    s.writeByte(BlockCodec.id(compression));
    s.writeFixed64(entryCount);
    s.writeFixed64(tombstoneCount);
    s.writeFixed64(dataBlockCount);
    s.writeFixed64(dataSize);
    s.writeFixed64(rawKeyBytes);
    s.writeFixed64(rawValueBytes);
    s.writeFixed64(minSequence);
    s.writeFixed64(maxSequence);
    s.writeFixed64(smallestSequence);
    s.writeFixed32(smallestUserKey.length);
    s.writeBytes(smallestUserKey);
    s.writeFixed64(largestSequence);
    s.writeFixed32(largestUserKey.length);
    s.writeBytes(largestUserKey);
    return s.toByteArray();
  }

  /**
   * @throws FormatException if the block is malformed
   */
  static TableProperties decode(byte[] b, long fileSize) {
    Decoder d = new Decoder(b, 0, b.length);
    int version = d.readFixed32();
    if (version != TableFormat.FORMAT_VERSION) {
      throw new FormatException("properties of format version " + version);
    }
    int codecId = d.readByte();
    Compression compression = BlockCodec.fromId(codecId);
    if (compression == null) {
      throw new FormatException("unknown compression id " + codecId);
    }
    long entries = d.readFixed64();
    long tombstones = d.readFixed64();
    long blocks = d.readFixed64();
    long dataSize = d.readFixed64();
    long rawKeys = d.readFixed64();
    long rawValues = d.readFixed64();
    long minSeq = d.readFixed64();
    long maxSeq = d.readFixed64();
    long smallestSeq = d.readFixed64();
    byte[] smallest = d.readBytes(d.readFixed32());
    long largestSeq = d.readFixed64();
    byte[] largest = d.readBytes(d.readFixed32());
    d.expectEnd();
    if (entries < 1 || blocks < 1 || tombstones < 0 || tombstones > entries || minSeq > maxSeq) {
      throw new FormatException("inconsistent counts in properties");
    }
    return new TableProperties(
        version,
        entries,
        tombstones,
        smallest,
        smallestSeq,
        largest,
        largestSeq,
        minSeq,
        maxSeq,
        rawKeys,
        rawValues,
        dataSize,
        blocks,
        compression,
        fileSize);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableProperties p
        && formatVersion == p.formatVersion
        && entryCount == p.entryCount
        && tombstoneCount == p.tombstoneCount
        && Arrays.equals(smallestUserKey, p.smallestUserKey)
        && smallestSequence == p.smallestSequence
        && Arrays.equals(largestUserKey, p.largestUserKey)
        && largestSequence == p.largestSequence
        && minSequence == p.minSequence
        && maxSequence == p.maxSequence
        && rawKeyBytes == p.rawKeyBytes
        && rawValueBytes == p.rawValueBytes
        && dataSize == p.dataSize
        && dataBlockCount == p.dataBlockCount
        && compression == p.compression
        && fileSize == p.fileSize;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(entryCount) * 31
        + Arrays.hashCode(smallestUserKey) * 17
        + Arrays.hashCode(largestUserKey)
        + Long.hashCode(fileSize);
  }

  @Override
  public String toString() {
    return "TableProperties{entries="
        + entryCount
        + ", tombstones="
        + tombstoneCount
        + ", seq=["
        + minSequence
        + ", "
        + maxSequence
        + "], blocks="
        + dataBlockCount
        + ", dataSize="
        + dataSize
        + ", fileSize="
        + fileSize
        + ", compression="
        + compression
        + "}";
  }
}
