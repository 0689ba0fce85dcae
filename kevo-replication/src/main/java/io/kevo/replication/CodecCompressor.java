package io.kevo.replication;

import com.github.luben.zstd.Zstd;
import io.kevo.proto.replication.CompressionCodec;
import java.io.IOException;
import org.xerial.snappy.Snappy;

/**
 * {@link Compressor} over zstd-jni (ZSTD, a standard zstd frame with its content size) and
 * snappy-java (SNAPPY, raw Snappy format). Stateless and thread-safe.
 *
 * <p>Decompression refuses output larger than {@link #maxDecompressedBytes()}: a corrupt or hostile
 * frame cannot make a replica allocate without bound.
 */
public final class CodecCompressor implements Compressor {
  /** zstd level 1: replication wants speed; the gain of higher levels is small on WAL data. */
  private static final int ZSTD_LEVEL = 1;

  private final int maxDecompressedBytes;

  /** A compressor refusing to decompress more than 64 MiB from one frame. */
  public CodecCompressor() {
    this(64 << 20);
  }

  public CodecCompressor(int maxDecompressedBytes) {
    if (maxDecompressedBytes <= 0) {
      throw new IllegalArgumentException("maxDecompressedBytes must be positive");
    }
    this.maxDecompressedBytes = maxDecompressedBytes;
  }

  public int maxDecompressedBytes() {
    return maxDecompressedBytes;
  }

  @Override
  public byte[] compress(byte[] data, CompressionCodec codec) {
    return switch (codec) {
      case NONE -> data;
      case ZSTD -> Zstd.compress(data, ZSTD_LEVEL);
      case SNAPPY -> {
        try {
          yield Snappy.compress(data);
        } catch (IOException e) {
          throw new IllegalStateException("snappy compression failed", e);
        }
      }
      case UNRECOGNIZED -> throw unknown(codec);
    };
  }

  @Override
  public byte[] decompress(byte[] data, CompressionCodec codec) {
    return switch (codec) {
      case NONE -> data;
      case ZSTD -> {
        long size = Zstd.getFrameContentSize(data);
        if (size < 0) {
          throw malformed("not a zstd frame with a known content size (" + size + ")");
        }
        checkSize(size);
        byte[] out = new byte[(int) size];
        long n = Zstd.decompressByteArray(out, 0, out.length, data, 0, data.length);
        if (Zstd.isError(n) || n != size) {
          throw malformed(
              "zstd frame does not decompress: "
                  + (Zstd.isError(n) ? Zstd.getErrorName(n) : n + " of " + size + " bytes"));
        }
        yield out;
      }
      case SNAPPY -> {
        try {
          if (!Snappy.isValidCompressedBuffer(data)) {
            throw malformed("not a valid snappy buffer");
          }
          checkSize(Snappy.uncompressedLength(data));
          yield Snappy.uncompress(data);
        } catch (IOException e) {
          throw new ReplicationException(
              ReplicationException.Reason.MALFORMED, "snappy frame does not decompress", 0, e);
        }
      }
      case UNRECOGNIZED -> throw unknown(codec);
    };
  }

  private void checkSize(long size) {
    if (size > maxDecompressedBytes) {
      throw malformed(
          "frame decompresses to "
              + size
              + " bytes, more than the limit of "
              + maxDecompressedBytes);
    }
  }

  private static ReplicationException malformed(String message) {
    return new ReplicationException(ReplicationException.Reason.MALFORMED, message);
  }

  private static ReplicationException unknown(CompressionCodec codec) {
    return new ReplicationException(
        ReplicationException.Reason.MALFORMED, "unknown compression codec " + codec);
  }

  @Override
  public void close() {
    // Nothing to release: zstd-jni's one-shot functions and snappy-java hold no native state here.
  }
}
