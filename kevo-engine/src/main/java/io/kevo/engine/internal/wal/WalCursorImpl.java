package io.kevo.engine.internal.wal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.WalCursor;
import io.kevo.engine.WalRecord;
import io.kevo.engine.internal.io.Files2;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.NoSuchElementException;

/**
 * Reads logical records across segments, following the writer into the live segment. Holds a
 * retention pin at its position so the segments it still needs are not deleted under it.
 */
final class WalCursorImpl implements WalCursor {
  private final SegmentFiles segments;
  private final long from;
  private final RetentionHolds.Hold pin;
  private Segment segment;
  private FileChannel channel;
  private SegmentReader reader;
  private WalRecord next;
  private long lastSequence;
  private boolean closed;

  WalCursorImpl(SegmentFiles segments, long from, RetentionHolds.Hold pin) {
    this.segments = segments;
    this.from = from;
    this.pin = pin;
  }

  @Override
  public boolean hasNext() {
    if (closed) {
      return false;
    }
    if (next != null) {
      return true;
    }
    try {
      if (segment == null) {
        open(segments.segmentFor(from));
      }
      while (true) {
        boolean sealed = segment.sealed();
        reader.setLimit(segment.size());
        byte[] data;
        long offset = reader.position();
        try {
          data = reader.next();
        } catch (SegmentReadException e) {
          throw corrupt(e.physicalStart(), e.getMessage());
        }
        if (data != null) {
          WalRecord r;
          try {
            r = WalCodec.decode(data);
          } catch (WalFormatException e) {
            throw corrupt(offset, e.getMessage());
          }
          if (lastSequence != 0 && r.firstSequence() != lastSequence + 1) {
            throw corrupt(
                offset, "sequence " + r.firstSequence() + " does not follow " + lastSequence);
          }
          lastSequence = r.lastSequence();
          if (r.lastSequence() < from) {
            continue;
          }
          pin.advanceTo(r.firstSequence());
          next = r;
          return true;
        }
        if (!sealed) {
          return false;
        }
        Segment after = segments.segmentAfter(segment);
        if (after == null) {
          return false;
        }
        open(after);
      }
    } catch (IOException e) {
      throw new KevoException(
          ErrorCode.IO_ERROR, "reading WAL segment " + segment.path() + " failed: " + e, e);
    }
  }

  private void open(Segment s) throws IOException {
    closeChannel();
    segment = s;
    try {
      channel = FileChannel.open(s.path(), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          "WAL segment " + s.path() + " was deleted before it was read");
    }
    reader = new SegmentReader(channel, 0, s.size());
  }

  private KevoException corrupt(long offset, String what) {
    return new KevoException(
        ErrorCode.CORRUPTION,
        "WAL segment " + segment.path() + " is corrupt at offset " + offset + ": " + what);
  }

  @Override
  public WalRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    WalRecord r = next;
    next = null;
    return r;
  }

  private void closeChannel() {
    if (channel != null) {
      Files2.closeQuietly(channel); // read-only channel: nothing to lose
      channel = null;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeChannel();
    pin.close();
  }
}
