package io.kevo.engine.internal.version;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One atomic change to the set of live files: files added and deleted per level, and optionally the
 * new persisted sequence and next file number. A manifest record holds exactly one edit; the first
 * record of a manifest is a full snapshot (every live file added).
 *
 * <p>Encoding (little-endian), a sequence of tagged fields:
 *
 * <pre>
 *   1 persistedSequence u64      every operation at or below it is in SSTables
 *   2 nextFileNumber u64
 *   3 deleted: level u8, number u64
 *   4 added:   level u8, number u64, size u64, smallestKey (u32 len, bytes), smallestSeq u64,
 *              largestKey (u32 len, bytes), largestSeq u64, minSeq u64, maxSeq u64, entries u64
 * </pre>
 *
 * Unknown tags are an error: a newer format must not be misread.
 */
public final class VersionEdit {
  private static final int PERSISTED = 1;
  private static final int NEXT_FILE = 2;
  private static final int DELETED = 3;
  private static final int ADDED = 4;

  /** A file added at a level. */
  public record Added(int level, FileMeta file) {}

  /** A file removed from a level. */
  public record Deleted(int level, long number) {}

  private long persistedSequence = -1;
  private long nextFileNumber = -1;
  private final List<Added> added = new ArrayList<>();
  private final List<Deleted> deleted = new ArrayList<>();

  public VersionEdit persistedSequence(long seq) {
    this.persistedSequence = seq;
    return this;
  }

  public VersionEdit nextFileNumber(long n) {
    this.nextFileNumber = n;
    return this;
  }

  public VersionEdit add(int level, FileMeta file) {
    added.add(new Added(level, file));
    return this;
  }

  public VersionEdit delete(int level, long number) {
    deleted.add(new Deleted(level, number));
    return this;
  }

  /** The persisted sequence, or -1 if this edit does not change it. */
  public long persistedSequence() {
    return persistedSequence;
  }

  /** The next file number, or -1 if this edit does not change it. */
  public long nextFileNumber() {
    return nextFileNumber;
  }

  public List<Added> added() {
    return added;
  }

  public List<Deleted> deleted() {
    return deleted;
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    if (persistedSequence >= 0) {
      out.write(PERSISTED);
      write64(out, b, persistedSequence);
    }
    if (nextFileNumber >= 0) {
      out.write(NEXT_FILE);
      write64(out, b, nextFileNumber);
    }
    for (Deleted d : deleted) {
      out.write(DELETED);
      out.write(d.level());
      write64(out, b, d.number());
    }
    for (Added a : added) {
      FileMeta f = a.file();
      out.write(ADDED);
      out.write(a.level());
      write64(out, b, f.number());
      write64(out, b, f.size());
      writeBytes(out, b, f.smallestKey());
      write64(out, b, f.smallestSequence());
      writeBytes(out, b, f.largestKey());
      write64(out, b, f.largestSequence());
      write64(out, b, f.minSequence());
      write64(out, b, f.maxSequence());
      write64(out, b, f.entries());
    }
    return out.toByteArray();
  }

  /**
   * Decodes an edit.
   *
   * @throws IllegalArgumentException if the bytes are not a valid edit
   */
  public static VersionEdit decode(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    VersionEdit e = new VersionEdit();
    try {
      while (b.hasRemaining()) {
        int tag = b.get();
        switch (tag) {
          case PERSISTED -> e.persistedSequence = b.getLong();
          case NEXT_FILE -> e.nextFileNumber = b.getLong();
          case DELETED -> e.delete(level(b), b.getLong());
          case ADDED -> {
            int level = level(b);
            long number = b.getLong();
            long size = b.getLong();
            byte[] smallest = bytes(b);
            long smallestSeq = b.getLong();
            byte[] largest = bytes(b);
            long largestSeq = b.getLong();
            long minSeq = b.getLong();
            long maxSeq = b.getLong();
            long entries = b.getLong();
            e.add(
                level,
                new FileMeta(
                    number,
                    size,
                    smallest,
                    smallestSeq,
                    largest,
                    largestSeq,
                    minSeq,
                    maxSeq,
                    entries));
          }
          default -> throw new IllegalArgumentException("unknown manifest edit tag " + tag);
        }
      }
    } catch (java.nio.BufferUnderflowException ex) {
      throw new IllegalArgumentException("manifest edit truncated");
    }
    return e;
  }

  private static int level(ByteBuffer b) {
    int level = b.get();
    if (level < 0 || level >= Version.MAX_LEVELS) {
      throw new IllegalArgumentException("invalid level " + level);
    }
    return level;
  }

  private static byte[] bytes(ByteBuffer b) {
    int len = b.getInt();
    if (len < 0 || len > b.remaining()) {
      throw new IllegalArgumentException("key length " + len + " exceeds the edit");
    }
    byte[] out = new byte[len];
    b.get(out);
    return out;
  }

  private static void write64(ByteArrayOutputStream out, ByteBuffer b, long v) {
    b.clear();
    b.putLong(v);
    out.write(b.array(), 0, 8);
  }

  private static void writeBytes(ByteArrayOutputStream out, ByteBuffer b, byte[] bytes) {
    b.clear();
    b.putInt(bytes.length);
    out.write(b.array(), 0, 4);
    out.write(bytes, 0, bytes.length);
  }
}
