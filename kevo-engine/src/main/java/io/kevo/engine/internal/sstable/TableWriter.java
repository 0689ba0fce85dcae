package io.kevo.engine.internal.sstable;

import io.kevo.engine.Compression;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.internal.io.FileIo;
import io.kevo.engine.internal.io.Files2;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Writes one table, streaming: memory holds the block being built, the index and 8 bytes per
 * distinct user key for the bloom filter, never the table. Data goes to {@code finalPath + ".tmp"};
 * {@link #finish()} appends the meta blocks and footer, fsyncs, renames the file into place
 * atomically and fsyncs the directory, so {@code finalPath} either does not exist or is complete.
 *
 * <p>States: OPEN → FINISHED (by {@link #finish}) or OPEN → ABANDONED (by {@link #abandon}, {@link
 * #close} before finishing, or any I/O failure, which also deletes the temporary file). Not
 * thread-safe: one thread (a flush or a compaction) owns a writer.
 */
public final class TableWriter implements AutoCloseable {
  private enum State {
    OPEN,
    FINISHED,
    ABANDONED
  }

  private final Path finalPath;
  private final Path tmpPath;
  private final TableOptions options;
  private final FileChannel channel;
  private final OutputStream out;
  private final BlockBuilder dataBlock;
  private final BlockBuilder indexBlock;
  private final ByteSink handleBuf = new ByteSink(20);
  private final CRC32C crc = new CRC32C();
  private final byte[] trailer = new byte[TableFormat.BLOCK_TRAILER_SIZE];
  private final PropertiesCollector acc = new PropertiesCollector();
  private State state = State.OPEN;
  private long offset;
  private byte[] ikey = new byte[64];
  private int ikeyLen;
  private long[] bloomHashes;
  private int bloomCount;

  private TableWriter(Path finalPath, Path tmpPath, TableOptions options, FileChannel channel) {
    this.finalPath = finalPath;
    this.tmpPath = tmpPath;
    this.options = options;
    this.channel = channel;
    this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 << 10);
    this.dataBlock = new BlockBuilder(options.restartInterval(), options.blockSize());
    this.indexBlock = new BlockBuilder(options.restartInterval(), 4096);
    this.bloomHashes = options.bloomBitsPerKey() > 0 ? new long[1024] : null;
  }

  /**
   * Starts a table that will appear at {@code finalPath} when finished. A stale temporary file from
   * an earlier crash is overwritten.
   *
   * @throws KevoException IO_ERROR if the temporary file cannot be created, INVALID_ARGUMENT if the
   *     compression's native library is unavailable
   */
  public static TableWriter create(Path finalPath, TableOptions options) {
    return create(finalPath, options, FileIo.DEFAULT);
  }

  /** As {@link #create(Path, TableOptions)}, writing through {@code files}. */
  public static TableWriter create(Path finalPath, TableOptions options, FileIo files) {
    Objects.requireNonNull(options, "options");
    BlockCodec.checkAvailable(options.compression());
    Path tmp = finalPath.resolveSibling(finalPath.getFileName() + ".tmp");
    try {
      FileChannel ch =
          files.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      return new TableWriter(finalPath, tmp, options, ch);
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "cannot create sstable " + tmp + ": " + e, e);
    }
  }

  /**
   * Appends an entry. Entries must come in strictly increasing internal order (user key ascending
   * unsigned, then sequence descending).
   *
   * @param value the value (may be empty); ignored for a tombstone
   * @throws IllegalStateException if out of order, or the writer is finished or abandoned
   * @throws IllegalArgumentException if the sequence is outside [0, 2^56)
   */
  public void add(byte[] userKey, long sequence, boolean tombstone, byte[] value) {
    checkOpen();
    Objects.requireNonNull(userKey, "userKey");
    if (!tombstone) {
      Objects.requireNonNull(value, "value");
    }
    if (sequence < 0 || sequence > TableFormat.MAX_STORED_SEQUENCE) {
      throw new IllegalArgumentException("sequence out of range: " + sequence);
    }
    boolean newUserKey = true;
    if (acc.entryCount > 0) {
      int ukLen = ikeyLen - TableFormat.KEY_TRAILER_SIZE;
      int c = Arrays.compareUnsigned(ikey, 0, ukLen, userKey, 0, userKey.length);
      if (c > 0 || (c == 0 && sequence >= acc.lastSequence)) {
        throw new IllegalStateException(
            "entries out of internal order: sequence " + sequence + " after " + acc.lastSequence);
      }
      newUserKey = c != 0;
    }
    int len = userKey.length + TableFormat.KEY_TRAILER_SIZE;
    if (len > ikey.length) {
      ikey = Arrays.copyOf(ikey, Math.max(len, ikey.length * 2));
    }
    System.arraycopy(userKey, 0, ikey, 0, userKey.length);
    Coding.putFixed64(ikey, userKey.length, TableFormat.packTrailer(sequence, tombstone));
    ikeyLen = len;
    byte[] v = tombstone ? new byte[0] : value;
    dataBlock.add(ikey, ikeyLen, v, v.length);
    if (newUserKey && bloomHashes != null) {
      if (bloomCount == bloomHashes.length) {
        bloomHashes = Arrays.copyOf(bloomHashes, bloomCount * 2);
      }
      bloomHashes[bloomCount++] = BloomFilter.hash(userKey);
    }
    acc.add(userKey, sequence, tombstone, v.length);
    if (dataBlock.estimatedSize() >= options.blockSize()) {
      flushDataBlock();
    }
  }

  /** Bytes written so far plus the block being built: what the file would be if finished now. */
  public long estimatedFileSize() {
    return offset + (dataBlock.isEmpty() ? 0 : dataBlock.estimatedSize());
  }

  public long entryCount() {
    return acc.entryCount;
  }

  public Path path() {
    return finalPath;
  }

  /**
   * Completes the table: flushes the last data block, writes bloom filter, properties, index and
   * footer, fsyncs, renames into place atomically and fsyncs the directory.
   *
   * @throws IllegalStateException if no entry was added (abandon an empty table instead), or the
   *     writer is not open
   * @throws KevoException IO_ERROR on failure, after which the temporary file is gone
   */
  public TableProperties finish() {
    checkOpen();
    if (acc.entryCount == 0) {
      throw new IllegalStateException("an empty table cannot be finished; abandon it");
    }
    if (!dataBlock.isEmpty()) {
      flushDataBlock();
    }
    try {
      long dataSize = offset;
      BlockHandle bloom = BlockHandle.NONE;
      if (bloomHashes != null) {
        byte[] filter = BloomFilter.build(bloomHashes, bloomCount, options.bloomBitsPerKey());
        bloom = writeBlock(filter, filter.length, Compression.NONE);
        bloomHashes = null;
      }
      TableProperties props = acc.toProperties(lastUserKey(), dataSize, options.compression(), 0);
      byte[] encoded = props.encode();
      BlockHandle propsHandle = writeBlock(encoded, encoded.length, Compression.NONE);
      ByteSink index = indexBlock.finish();
      BlockHandle indexHandle = writeBlock(index.array(), index.size(), Compression.NONE);
      byte[] footer =
          new Footer(indexHandle, bloom, propsHandle, TableFormat.FORMAT_VERSION).encode();
      out.write(footer);
      offset += footer.length;
      out.flush();
      channel.force(true);
      channel.close();
      Files.move(tmpPath, finalPath, StandardCopyOption.ATOMIC_MOVE);
      state = State.FINISHED;
      Files2.fsyncDirectory(finalPath.toAbsolutePath().getParent());
      return acc.toProperties(lastUserKey(), dataSize, options.compression(), offset);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  /**
   * Discards an unfinished table and deletes its temporary file. Idempotent; no-op once finished.
   */
  public void abandon() {
    if (state != State.OPEN) {
      return;
    }
    state = State.ABANDONED;
    Files2.closeQuietly(channel); // nothing to salvage: the file is being deleted
    try {
      Files.deleteIfExists(tmpPath);
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "cannot delete " + tmpPath + ": " + e, e);
    }
  }

  /** Abandons the table unless it was finished. */
  @Override
  public void close() {
    abandon();
  }

  private void flushDataBlock() {
    ByteSink raw = dataBlock.finish();
    BlockHandle h;
    try {
      h = writeBlock(raw.array(), raw.size(), options.compression());
    } catch (IOException e) {
      throw failed(e);
    }
    dataBlock.reset();
    acc.dataBlockCount++;
    handleBuf.reset();
    handleBuf.writeVarint(h.offset());
    handleBuf.writeVarint(h.size());
    // The index key is the block's last internal key, still in ikey from the last add.
    indexBlock.add(ikey, ikeyLen, handleBuf.array(), handleBuf.size());
  }

  /** Writes {@code bytes[0, len)} (compressed if it saves at least 1/8) and its trailer. */
  private BlockHandle writeBlock(byte[] bytes, int len, Compression compression)
      throws IOException {
    byte[] stored = bytes;
    int storedLen = len;
    int type = BlockCodec.id(Compression.NONE);
    if (compression != Compression.NONE) {
      byte[] c = BlockCodec.compress(compression, bytes, len);
      if (c.length <= len - len / 8) {
        stored = c;
        storedLen = c.length;
        type = BlockCodec.id(compression);
      }
    }
    crc.reset();
    crc.update(stored, 0, storedLen);
    crc.update(type);
    trailer[0] = (byte) type;
    Coding.putFixed32(trailer, 1, (int) crc.getValue());
    out.write(stored, 0, storedLen);
    out.write(trailer);
    BlockHandle h = new BlockHandle(offset, storedLen);
    offset += storedLen + TableFormat.BLOCK_TRAILER_SIZE;
    return h;
  }

  private byte[] lastUserKey() {
    return Arrays.copyOf(ikey, ikeyLen - TableFormat.KEY_TRAILER_SIZE);
  }

  private KevoException failed(IOException e) {
    try {
      abandon();
    } catch (KevoException suppressed) {
      e.addSuppressed(suppressed);
    }
    return new KevoException(ErrorCode.IO_ERROR, "cannot write sstable " + tmpPath + ": " + e, e);
  }

  private void checkOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException("table writer for " + finalPath + " is " + state);
    }
  }
}
