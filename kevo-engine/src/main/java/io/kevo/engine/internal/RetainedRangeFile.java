package io.kevo.engine.internal;

import io.kevo.engine.DurableFiles;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.KeyRange;
import io.kevo.engine.internal.io.Files2;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The file {@code RETAINED} in a database directory: the key range the database keeps ({@link
 * io.kevo.engine.KevoDB#retainOnly}); no file means every key. Text, UTF-8, one item per line:
 *
 * <pre>
 *   kevo-retained 1
 *   start &lt;hex, or - for the first key&gt;
 *   end &lt;hex, or - for no upper bound&gt;
 *   crc32 &lt;CRC-32 (IEEE) of the preceding lines, newlines included, as 8 hex digits&gt;
 * </pre>
 *
 * Written to a temp file, fsynced, renamed over the old one and the directory fsynced, so a crash
 * leaves the old range or the new one. Stateless.
 */
public final class RetainedRangeFile {
  static final String NAME = "RETAINED";
  private static final String MAGIC = "kevo-retained 1";
  private static final HexFormat HEX = HexFormat.of();

  private RetainedRangeFile() {}

  /** The range recorded in {@code dir}; {@link KeyRange#ALL} if none is. */
  public static KeyRange read(Path dir) {
    Path file = dir.resolve(NAME);
    if (!Files.exists(file)) {
      return KeyRange.ALL;
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.size() != 4 || !lines.get(0).equals(MAGIC)) {
        throw corrupt(file, "not a retained-range file");
      }
      String body = lines.get(0) + '\n' + lines.get(1) + '\n' + lines.get(2) + '\n';
      if (!lines.get(3).equals(crcLine(body))) {
        throw corrupt(file, "checksum mismatch");
      }
      return new KeyRange(bound(file, lines.get(1), "start "), endBound(file, lines.get(2)));
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "reading " + file + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw corrupt(file, e.getMessage());
    }
  }

  /** Records {@code range} in {@code dir} durably ({@link KeyRange#ALL} removes the file). */
  public static void write(Path dir, KeyRange range) throws IOException {
    Path file = dir.resolve(NAME);
    if (range.isAll()) {
      if (Files.deleteIfExists(file)) {
        Files2.fsyncDirectory(dir);
      }
      return;
    }
    byte[] end = range.end();
    String body =
        MAGIC
            + "\nstart "
            + (range.start().length == 0 ? "-" : HEX.formatHex(range.start()))
            + "\nend "
            + (end == null ? "-" : HEX.formatHex(end))
            + "\n";
    DurableFiles.replace(file, (body + crcLine(body) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The range as one descriptor token pair {@code START END} (hex, {@code -} for open). */
  static String encode(KeyRange range) {
    byte[] end = range.end();
    return (range.start().length == 0 ? "-" : HEX.formatHex(range.start()))
        + " "
        + (end == null ? "-" : HEX.formatHex(end));
  }

  /** Reverses {@link #encode}. */
  static KeyRange decode(String start, String end) {
    return new KeyRange(
        start.equals("-") ? new byte[0] : HEX.parseHex(start),
        end.equals("-") ? null : HEX.parseHex(end));
  }

  private static byte[] bound(Path file, String line, String prefix) {
    if (!line.startsWith(prefix)) {
      throw corrupt(file, "expected '" + prefix.trim() + "'");
    }
    String v = line.substring(prefix.length());
    return v.equals("-") ? new byte[0] : HEX.parseHex(v);
  }

  private static byte[] endBound(Path file, String line) {
    return line.equals("end -") ? null : bound(file, line, "end ");
  }

  private static String crcLine(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return String.format("crc32 %08x", crc.getValue());
  }

  private static KevoException corrupt(Path file, String why) {
    return new KevoException(ErrorCode.CORRUPTION, "retained-range file " + file + ": " + why);
  }
}
