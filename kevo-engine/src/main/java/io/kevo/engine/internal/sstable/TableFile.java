package io.kevo.engine.internal.sstable;

import io.kevo.engine.Compression;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.internal.io.Files2;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The raw block layer of an open table: positional reads, trailer checksum verification and
 * decompression. Thread-safe (positional reads need no shared position). If a thread is interrupted
 * mid-read the JDK closes the shared channel; the file then reopens it, so one interrupted reader
 * does not break the table for every other thread.
 */
final class TableFile implements AutoCloseable {
  private final Path path;
  private final TableStats stats;
  private final Object lock = new Object();
  private volatile FileChannel channel;
  private volatile boolean closed;

  TableFile(Path path, TableStats stats) {
    this.path = path;
    this.stats = stats;
    try {
      this.channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "cannot open sstable " + path + ": " + e, e);
    }
  }

  Path path() {
    return path;
  }

  long size() {
    try {
      return channel.size();
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "cannot stat sstable " + path + ": " + e, e);
    }
  }

  /**
   * Reads a data block into a {@link Block} holding one reference (the caller's), parsed in place
   * when it is stored uncompressed. Its array comes from {@code arrays} (and returns there with the
   * block's last release).
   */
  Block readDataBlock(BlockHandle h, BlockArrays arrays) {
    int size = (int) h.size();
    int length = size + TableFormat.BLOCK_TRAILER_SIZE;
    byte[] buf = arrays.take(length);
    try {
      readVerified(h, buf);
      if (buf[size] == BlockCodec.id(Compression.NONE)) {
        // The trailer past the block's end is simply ignored: saves copying every block.
        return Block.parse(buf, size, path, h.offset(), arrays);
      }
    } catch (RuntimeException e) {
      arrays.recycle(buf);
      throw e;
    }
    byte[] raw = null;
    try {
      Compression c = compressionOf(buf, h);
      int rawLength = BlockCodec.decodedLength(buf, 0, size);
      raw = arrays.take(rawLength);
      BlockCodec.decompressInto(c, buf, 0, size, raw, rawLength);
      return Block.parse(raw, rawLength, path, h.offset(), arrays);
    } catch (FormatException | LinkageError e) {
      arrays.recycle(raw);
      throw TableFormat.corruption(path, h.offset(), e.getMessage(), e);
    } catch (RuntimeException e) {
      arrays.recycle(raw);
      throw e;
    } finally {
      arrays.recycle(buf);
    }
  }

  /** Reads a meta block's decoded bytes (exactly sized). */
  byte[] readMetaBlock(BlockHandle h) {
    int size = (int) h.size();
    byte[] buf = new byte[size + TableFormat.BLOCK_TRAILER_SIZE];
    readVerified(h, buf);
    return buf[size] == BlockCodec.id(Compression.NONE)
        ? Arrays.copyOf(buf, size)
        : decompress(buf, h);
  }

  /** Reads {@code dst[0, length)} at {@code position}; a short file is CORRUPTION. */
  void readFully(long position, byte[] dst, int length, long blockOffset) {
    for (int attempt = 1; ; attempt++) {
      FileChannel ch = channel;
      try {
        ByteBuffer bb = ByteBuffer.wrap(dst, 0, length);
        while (bb.hasRemaining()) {
          if (ch.read(bb, position + bb.position()) < 0) {
            throw TableFormat.corruption(
                path, blockOffset, "file ends inside the block (truncated?)");
          }
        }
        stats.bytesRead(length);
        return;
      } catch (ClosedChannelException e) {
        if (closed) {
          throw new KevoException(ErrorCode.CLOSED, "sstable reader " + path + " is closed", e);
        }
        reopen(ch);
        if (e instanceof ClosedByInterruptException || attempt >= 3) {
          throw new KevoException(ErrorCode.IO_ERROR, "read of " + path + " interrupted", e);
        }
      } catch (IOException e) {
        throw new KevoException(ErrorCode.IO_ERROR, "cannot read sstable " + path + ": " + e, e);
      }
    }
  }

  /** Closes the channel. Idempotent; never throws. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      Files2.closeQuietly(channel); // read-only channel: nothing is lost by a failed close
    }
  }

  /**
   * Reads a block and its trailer into {@code buf[0, size + trailer)} and checks the CRC-32C (bytes
   * of {@code buf} past them are left as they were).
   */
  private void readVerified(BlockHandle h, byte[] buf) {
    int size = (int) h.size();
    readFully(h.offset(), buf, size + TableFormat.BLOCK_TRAILER_SIZE, h.offset());
    stats.blockRead();
    CRC32C crc = new CRC32C();
    crc.update(buf, 0, size + 1);
    if ((int) crc.getValue() != Coding.getFixed32(buf, size + 1)) {
      throw TableFormat.corruption(path, h.offset(), "block checksum mismatch");
    }
  }

  private Compression compressionOf(byte[] buf, BlockHandle h) {
    int type = buf[(int) h.size()] & 0xFF;
    Compression c = BlockCodec.fromId(type);
    if (c == null) {
      throw TableFormat.corruption(path, h.offset(), "unknown compression type " + type);
    }
    return c;
  }

  private byte[] decompress(byte[] buf, BlockHandle h) {
    Compression c = compressionOf(buf, h);
    try {
      return BlockCodec.decompress(c, buf, 0, (int) h.size());
    } catch (FormatException | LinkageError e) {
      throw TableFormat.corruption(path, h.offset(), e.getMessage(), e);
    }
  }

  private void reopen(FileChannel failed) {
    synchronized (lock) {
      if (closed || channel != failed) {
        return;
      }
      try {
        channel = FileChannel.open(path, StandardOpenOption.READ);
      } catch (IOException e) {
        throw new KevoException(ErrorCode.IO_ERROR, "cannot reopen sstable " + path + ": " + e, e);
      }
    }
  }
}
