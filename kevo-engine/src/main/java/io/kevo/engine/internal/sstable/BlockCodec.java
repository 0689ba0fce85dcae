package io.kevo.engine.internal.sstable;

import com.github.luben.zstd.Zstd;
import io.kevo.engine.Compression;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.xerial.snappy.Snappy;

/**
 * Block compression. A compressed block is stored as {@code varint32 decodedLength} followed by the
 * codec's output, so every codec decodes into an exactly sized array and a wrong length is caught.
 * The on-disk type ids (NONE 0, SNAPPY 1, LZ4 2, ZSTD 3) are fixed here rather than taken from the
 * enum's ordinals, so reordering the public enum cannot change the format. Thread-safe.
 */
final class BlockCodec {
  private static final int ZSTD_LEVEL = 3;
  private static final Map<Compression, Boolean> CHECKED = new EnumMap<>(Compression.class);

  private BlockCodec() {}

  static int id(Compression c) {
    return switch (c) {
      case NONE -> 0;
      case SNAPPY -> 1;
      case LZ4 -> 2;
      case ZSTD -> 3;
    };
  }

  /** The compression with on-disk id {@code id}, or {@code null} if unknown. */
  static Compression fromId(int id) {
    return switch (id) {
      case 0 -> Compression.NONE;
      case 1 -> Compression.SNAPPY;
      case 2 -> Compression.LZ4;
      case 3 -> Compression.ZSTD;
      default -> null;
    };
  }

  /**
   * Fails early, with a clear message, if the codec's native library cannot load on this platform,
   * rather than at the first flush.
   */
  static synchronized void checkAvailable(Compression c) {
    if (c == Compression.NONE || CHECKED.containsKey(c)) {
      return;
    }
    try {
      byte[] probe = new byte[256];
      byte[] stored = compress(c, probe, probe.length);
      decompress(c, stored, 0, stored.length);
      CHECKED.put(c, Boolean.TRUE);
    } catch (LinkageError | RuntimeException e) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT, "compression " + c + " is not available here: " + e, e);
    }
  }

  /** Compresses {@code raw[0, len)} into the stored form (length prefix + codec output). */
  static byte[] compress(Compression c, byte[] raw, int len) {
    ByteSink out = new ByteSink(len / 2 + 16);
    out.writeVarint(len);
    int header = out.size();
    byte[] dst;
    int n;
    try {
      switch (c) {
        case SNAPPY -> {
          dst = new byte[header + Snappy.maxCompressedLength(len)];
          n = Snappy.compress(raw, 0, len, dst, header);
        }
        case LZ4 -> {
          LZ4Compressor lz4 = Lz4.FACTORY.fastCompressor();
          dst = new byte[header + lz4.maxCompressedLength(len)];
          n = lz4.compress(raw, 0, len, dst, header, dst.length - header);
        }
        case ZSTD -> {
          dst = new byte[header + (int) Zstd.compressBound(len)];
          long r =
              Zstd.compressByteArray(dst, header, dst.length - header, raw, 0, len, ZSTD_LEVEL);
          if (Zstd.isError(r)) {
            throw new IllegalStateException("zstd: " + Zstd.getErrorName(r));
          }
          n = (int) r;
        }
        default -> throw new IllegalArgumentException("not a compressing codec: " + c);
      }
    } catch (IOException e) {
      throw new IllegalStateException("snappy compression failed", e);
    }
    System.arraycopy(out.array(), 0, dst, 0, header);
    return Arrays.copyOf(dst, header + n);
  }

  /**
   * Decodes stored bytes {@code stored[off, off + len)} written by {@link #compress}.
   *
   * @throws FormatException if the bytes do not decode to exactly the recorded length
   */
  static byte[] decompress(Compression c, byte[] stored, int off, int len) {
    int rawLen = decodedLength(stored, off, len);
    byte[] out = new byte[rawLen];
    decompressInto(c, stored, off, len, out, rawLen);
    return out;
  }

  /**
   * The decoded length recorded at the head of stored bytes {@code stored[off, off + len)}.
   *
   * @throws FormatException if it is unreadable or above the largest block
   */
  static int decodedLength(byte[] stored, int off, int len) {
    int rawLen = new Decoder(stored, off, off + len).readVarint32();
    if (rawLen < 0 || rawLen > TableFormat.MAX_BLOCK_SIZE) {
      throw new FormatException("decoded length " + rawLen + " too large");
    }
    return rawLen;
  }

  /**
   * Decodes stored bytes {@code stored[off, off + len)} into {@code out[0, rawLen)}, where {@code
   * rawLen} is their {@link #decodedLength} and {@code out} at least that long.
   *
   * @throws FormatException if the bytes do not decode to exactly {@code rawLen} bytes
   */
  static void decompressInto(
      Compression c, byte[] stored, int off, int len, byte[] out, int rawLen) {
    Decoder d = new Decoder(stored, off, off + len);
    if (d.readVarint32() != rawLen || out.length < rawLen) {
      throw new IllegalArgumentException("rawLen " + rawLen + " is not the block's decoded length");
    }
    int src = d.position();
    int srcLen = d.remaining();
    int n;
    try {
      n =
          switch (c) {
            case SNAPPY -> {
              if (Snappy.uncompressedLength(stored, src, srcLen) != rawLen) {
                throw new FormatException("snappy length disagrees with the block header");
              }
              yield Snappy.uncompress(stored, src, srcLen, out, 0);
            }
            case LZ4 -> Lz4.SAFE.decompress(stored, src, srcLen, out, 0, rawLen);
            case ZSTD -> {
              long r = Zstd.decompressByteArray(out, 0, rawLen, stored, src, srcLen);
              if (Zstd.isError(r)) {
                throw new FormatException("zstd: " + Zstd.getErrorName(r));
              }
              yield (int) r;
            }
            default -> throw new IllegalArgumentException("not a compressing codec: " + c);
          };
    } catch (IOException | LZ4Exception e) {
      throw new FormatException(c + " decompression failed: " + e.getMessage());
    }
    if (n != rawLen) {
      throw new FormatException("decoded " + n + " bytes, expected " + rawLen);
    }
  }

  /** Lazily initialised so that tables without LZ4 never load its native library. */
  private static final class Lz4 {
    static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
    static final LZ4SafeDecompressor SAFE = FACTORY.safeDecompressor();
  }
}
