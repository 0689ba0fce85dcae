package io.kevo.engine.internal.wal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WalRecoveryMode;
import io.kevo.engine.internal.io.Files2;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays WAL segments in order at open.
 *
 * <p>Outcomes, by what is found:
 *
 * <ul>
 *   <li><b>A torn tail</b> — in the last segment holding data, the final logical record is cut off
 *       (header or data past end-of-file, with no valid record starting after it), or fails its
 *       checksum or framing with nothing but zeros after it, or the tail is all zeros. This is a
 *       write that never completed, so it was never acknowledged as durable: the segment is
 *       truncated at the start of that logical record (and fsynced), the bytes are counted in
 *       {@code walTornBytesTruncated}, and the database opens with everything before it.
 *   <li><b>Anything else</b> — a bad record followed by more data, a bad record in an earlier
 *       segment, a record that passes its checksum but does not parse, or a break in the sequence
 *       numbers — is corruption. With {@link WalRecoveryMode#STOP_ON_CORRUPTION} opening fails with
 *       {@link ErrorCode#CORRUPTION} naming the segment and offset and nothing is changed; with
 *       {@link WalRecoveryMode#TRUNCATE_ON_CORRUPTION} the log is cut at that record (later
 *       segments deleted) and the discarded bytes are counted.
 * </ul>
 *
 * Replay never skips over a bad record to read later ones, and never applies part of a logical
 * record: a record is decoded whole before it is applied.
 */
public final class WalRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(WalRecovery.class);

  /** What recovery found. {@code segments} are the surviving segment files, in order. */
  public record Result(
      List<Segment> segments,
      long lastSequence,
      long records,
      long operations,
      long tornBytes,
      long discardedBytes,
      long millis) {}

  private WalRecovery() {}

  /** Lists segment files in {@code dir} in log order. */
  static List<Path> listSegments(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> Segment.parseNumber(p.getFileName().toString()) >= 0).forEach(out::add);
    }
    out.sort(null);
    return out;
  }

  /**
   * Replays every segment in {@code dir}, handing each logical record to {@code apply} in order.
   */
  public static Result recover(Path dir, WalRecoveryMode mode, Consumer<WalRecord> apply) {
    return recover(dir, mode, 0, apply);
  }

  /**
   * As {@link #recover(Path, WalRecoveryMode, Consumer)}, but records wholly at or below {@code
   * persistedSequence} (already in SSTables) are checked and skipped, not applied or counted.
   */
  public static Result recover(
      Path dir, WalRecoveryMode mode, long persistedSequence, Consumer<WalRecord> apply) {
    long startNanos = System.nanoTime();
    try {
      List<Path> files = listSegments(dir);
      int lastWithData = -1;
      for (int i = 0; i < files.size(); i++) {
        if (Files.size(files.get(i)) > 0) {
          lastWithData = i;
        }
      }
      List<Segment> segments = new ArrayList<>();
      long lastSeq = 0;
      long records = 0;
      long operations = 0;
      long torn = 0;
      long discarded = 0;
      for (int i = 0; i < files.size(); i++) {
        Path file = files.get(i);
        long number = Segment.parseNumber(file.getFileName().toString());
        long segFirst = 0;
        long segLast = 0;
        long size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
          size = ch.size();
          SegmentReader reader = new SegmentReader(ch, 0, size);
          while (true) {
            byte[] data;
            long offset = reader.position();
            try {
              data = reader.next();
            } catch (SegmentReadException e) {
              if (i == lastWithData && isTornTail(ch, size, e)) {
                long cut = size - e.logicalStart();
                LOG.warn(
                    "WAL segment {}: torn final record at offset {} ({}); truncating {} bytes",
                    file,
                    e.logicalStart(),
                    e.getMessage(),
                    cut);
                truncate(file, e.logicalStart());
                torn += cut;
                size = e.logicalStart();
                break;
              }
              String what = e.getMessage();
              long at = e.physicalStart();
              if (mode == WalRecoveryMode.STOP_ON_CORRUPTION) {
                throw corruption(file, at, what);
              }
              discarded += discardFrom(files, i, e.logicalStart(), what, at);
              size = e.logicalStart();
              files = files.subList(0, i + 1);
              break;
            }
            if (data == null) {
              break;
            }
            WalRecord rec;
            String problem = null;
            try {
              rec = WalCodec.decode(data);
              if (lastSeq != 0 && rec.firstSequence() != lastSeq + 1) {
                problem =
                    "sequence "
                        + rec.firstSequence()
                        + " does not follow "
                        + lastSeq
                        + " (records missing or out of order)";
              }
            } catch (WalFormatException e) {
              rec = null;
              problem = "malformed record: " + e.getMessage();
            }
            if (problem != null) {
              if (mode == WalRecoveryMode.STOP_ON_CORRUPTION) {
                throw corruption(file, offset, problem);
              }
              discarded += discardFrom(files, i, offset, problem, offset);
              size = offset;
              files = files.subList(0, i + 1);
              break;
            }
            if (rec.lastSequence() > persistedSequence) {
              apply.accept(rec);
              records++;
              operations += rec.operations().size();
            }
            lastSeq = rec.lastSequence();
            if (segFirst == 0) {
              segFirst = rec.firstSequence();
            }
            segLast = lastSeq;
          }
        }
        segments.add(new Segment(number, file, size, segFirst, segLast));
      }
      for (Segment s : segments) {
        s.seal();
      }
      long millis = (System.nanoTime() - startNanos) / 1_000_000;
      return new Result(segments, lastSeq, records, operations, torn, discarded, millis);
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "WAL recovery in " + dir + " failed: " + e, e);
    }
  }

  private static KevoException corruption(Path file, long offset, String what) {
    return new KevoException(
        ErrorCode.CORRUPTION,
        "WAL segment "
            + file
            + " is corrupt at offset "
            + offset
            + ": "
            + what
            + "; refusing to open (nothing was changed; walRecoveryMode=TRUNCATE_ON_CORRUPTION"
            + " discards the log from that point)");
  }

  /** Cuts segment {@code i} at {@code offset} and deletes later segments; returns bytes dropped. */
  private static long discardFrom(List<Path> files, int i, long offset, String what, long at)
      throws IOException {
    long dropped = Files.size(files.get(i)) - offset;
    LOG.error(
        "WAL segment {} is corrupt at offset {} ({}); discarding the log from offset {} on"
            + " (TRUNCATE_ON_CORRUPTION)",
        files.get(i),
        at,
        what,
        offset);
    truncate(files.get(i), offset);
    for (int j = files.size() - 1; j > i; j--) {
      dropped += Files.size(files.get(j));
      LOG.error("deleting later WAL segment {}", files.get(j));
      Files.delete(files.get(j));
    }
    Files2.fsyncDirectory(files.get(i).getParent());
    return dropped;
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
      ch.force(true);
    }
  }

  /** See the class comment for the rule. */
  static boolean isTornTail(FileChannel ch, long fileSize, SegmentReadException e)
      throws IOException {
    if (e.problem() == SegmentReadException.Problem.INCOMPLETE) {
      // The bytes from the cut record to end-of-file are shorter than one record; if a valid
      // record starts anywhere in them, the "incomplete" length was itself damaged and later
      // records would be lost: that is corruption, not a torn write.
      return !containsValidRecord(ch, e.physicalStart() + 1, fileSize);
    }
    if (isAllZero(ch, e.physicalStart(), fileSize)) {
      return true;
    }
    return e.physicalEnd() > 0
        && e.physicalEnd() <= fileSize
        && isAllZero(ch, e.physicalEnd(), fileSize);
  }

  private static boolean isAllZero(FileChannel ch, long from, long to) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(64 * 1024);
    long p = from;
    while (p < to) {
      b.clear();
      b.limit((int) Math.min(b.capacity(), to - p));
      int n = ch.read(b, p);
      if (n <= 0) {
        return true;
      }
      for (int i = 0; i < n; i++) {
        if (b.get(i) != 0) {
          return false;
        }
      }
      p += n;
    }
    return true;
  }

  private static boolean containsValidRecord(FileChannel ch, long from, long to)
      throws IOException {
    if (to - from < RecordFormat.HEADER_SIZE + 1) {
      return false;
    }
    if (to - from > 4L * RecordFormat.MAX_DATA) {
      // Far more than one record's worth of bytes after a cut-off record: cannot be a torn write.
      return true;
    }
    ByteBuffer b = ByteBuffer.allocate((int) (to - from)).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining() && ch.read(b, from + b.position()) > 0) {
      // keep reading
    }
    int n = b.position();
    CRC32 crc = new CRC32();
    for (int o = 0; o + RecordFormat.HEADER_SIZE < n; o++) {
      int len = b.getShort(o + 4) & 0xFFFF;
      int type = b.get(o + 6);
      if (len == 0
          || len > RecordFormat.MAX_DATA
          || !RecordFormat.isValidType(type)
          || o + RecordFormat.HEADER_SIZE + len > n) {
        continue;
      }
      crc.reset();
      crc.update(b.array(), o + RecordFormat.HEADER_SIZE, len);
      if ((int) crc.getValue() == b.getInt(o)) {
        return true;
      }
    }
    return false;
  }
}
