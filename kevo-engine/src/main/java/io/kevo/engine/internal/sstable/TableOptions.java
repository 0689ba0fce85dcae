package io.kevo.engine.internal.sstable;

import io.kevo.engine.Compression;
import java.util.Objects;

/**
 * How a table is written. Immutable; build with {@link #builder()} or use {@link #DEFAULT}. Reading
 * needs none of these: every table records what it needs to be read.
 *
 * @param blockSize target uncompressed size of a data block in bytes (a block is cut once it
 *     reaches this; one entry larger than it gets a block of its own), 256 B to 64 MiB
 * @param restartInterval entries between restart points (keys stored whole), 1 to 1024
 * @param compression per-block compression of data blocks
 * @param bloomBitsPerKey bloom filter budget in bits per distinct user key, 0 (no filter) to 64
 */
public record TableOptions(
    int blockSize, int restartInterval, Compression compression, int bloomBitsPerKey) {

  /** 4 KiB blocks, restarts every 16 entries, no compression, 10 bits per key. */
  public static final TableOptions DEFAULT = new TableOptions(4096, 16, Compression.NONE, 10);

  public TableOptions {
    Objects.requireNonNull(compression, "compression");
    if (blockSize < 256 || blockSize > (64 << 20)) {
      throw new IllegalArgumentException("blockSize must be in [256, 64 MiB]: " + blockSize);
    }
    if (restartInterval < 1 || restartInterval > 1024) {
      throw new IllegalArgumentException(
          "restartInterval must be in [1, 1024]: " + restartInterval);
    }
    if (bloomBitsPerKey < 0 || bloomBitsPerKey > 64) {
      throw new IllegalArgumentException("bloomBitsPerKey must be in [0, 64]: " + bloomBitsPerKey);
    }
  }

  public static Builder builder() {
    return new Builder(DEFAULT);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private int blockSize;
    private int restartInterval;
    private Compression compression;
    private int bloomBitsPerKey;

    private Builder(TableOptions from) {
      blockSize = from.blockSize;
      restartInterval = from.restartInterval;
      compression = from.compression;
      bloomBitsPerKey = from.bloomBitsPerKey;
    }

    public Builder blockSize(int bytes) {
      this.blockSize = bytes;
      return this;
    }

    public Builder restartInterval(int entries) {
      this.restartInterval = entries;
      return this;
    }

    public Builder compression(Compression compression) {
      this.compression = compression;
      return this;
    }

    public Builder bloomBitsPerKey(int bits) {
      this.bloomBitsPerKey = bits;
      return this;
    }

    public TableOptions build() {
      return new TableOptions(blockSize, restartInterval, compression, bloomBitsPerKey);
    }
  }
}
