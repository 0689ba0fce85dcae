package io.kevo.replication.wire;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.replication.Compressor;
import io.kevo.replication.ReplicationException;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.xerial.snappy.Snappy;

/**
 * {@link Compressor} over zstd-jni (ZSTD, a standard zstd frame with its content size) and
 * snappy-java (SNAPPY, raw Snappy format). Thread-safe.
 *
 * <p>zstd contexts are pooled: a call borrows one (or makes one) and gives it back, so that a
 * message does not pay for creating and zeroing a context (a profile of the primary showed {@code
 * ZSTD_createCCtx} in every response, and {@code ZSTD_createDCtx} on the replica in every message).
 * The pool holds at most as many contexts as there were concurrent calls; {@link #close} frees
 * them.
 *
 * <p>Decompression refuses output larger than {@link #maxDecompressedBytes()}: a corrupt or hostile
 * frame cannot make a replica allocate without bound.
 */
public final class CodecCompressor implements Compressor {
  /** zstd level 1: replication wants speed; the gain of higher levels is small on WAL data. */
  private static final int ZSTD_LEVEL = 1;

  private final int maxDecompressedBytes;
  private final ConcurrentLinkedDeque<ZstdCompressCtx> compressors = new ConcurrentLinkedDeque<>();
  private final ConcurrentLinkedDeque<ZstdDecompressCtx> decompressors =
      new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

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
      case ZSTD -> zstdCompress(data);
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
        yield zstdDecompress(data, (int) size);
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

  private byte[] zstdCompress(byte[] data) {
    ZstdCompressCtx ctx = compressors.poll();
    if (ctx == null) {
      ctx = new ZstdCompressCtx().setLevel(ZSTD_LEVEL).setContentSize(true);
    }
    try {
      return ctx.compress(data);
    } finally {
      giveBack(compressors, ctx);
    }
  }

  private byte[] zstdDecompress(byte[] data, int size) {
    ZstdDecompressCtx ctx = decompressors.poll();
    if (ctx == null) {
      ctx = new ZstdDecompressCtx();
    }
    byte[] out = new byte[size];
    int n;
    try {
      n = ctx.decompressByteArray(out, 0, size, data, 0, data.length);
    } catch (ZstdException e) {
      // A failed frame leaves the context in an unknown state: it is not reused.
      ctx.close();
      throw malformed("zstd frame does not decompress: " + e.getMessage());
    }
    giveBack(decompressors, ctx);
    if (n != size) {
      throw malformed("zstd frame does not decompress: " + n + " of " + size + " bytes");
    }
    return out;
  }

  /** Returns {@code ctx} to {@code pool}; after {@link #close} whoever comes last frees it. */
  private <T extends AutoCloseable> void giveBack(ConcurrentLinkedDeque<T> pool, T ctx) {
    pool.push(ctx);
    if (closed) {
      drain(pool);
    }
  }

  private static <T extends AutoCloseable> void drain(ConcurrentLinkedDeque<T> pool) {
    for (T ctx = pool.poll(); ctx != null; ctx = pool.poll()) {
      try {
        ctx.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing a zstd context failed", e);
      }
    }
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
    closed = true;
    drain(compressors);
    drain(decompressors);
  }
}
