package io.kevo.engine.internal.wal;

import io.kevo.engine.internal.io.FileIo;
import io.kevo.engine.internal.io.Files2;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAL's segment files, oldest first: creating a new one (for {@link WalWriter}'s rotation),
 * finding where a sequence is (for cursors), and deleting the ones nothing needs any more.
 *
 * <p>Thread-safe: the list is guarded by this object's monitor, held only for list operations,
 * never during file I/O, so the writer, readers and the thread that trims the log after a flush
 * never wait on each other's I/O. The {@link Segment}s themselves publish their size and sequences
 * through volatiles written by the writer alone.
 */
final class SegmentFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentFiles.class);

  private final Path dir;
  private final FileIo files;
  private final List<Segment> segments = new ArrayList<>(); // guarded by this
  private long persistedSequence; // the highest given to deleteObsolete; guarded by this

  private SegmentFiles(Path dir, FileIo files, List<Segment> kept, long persistedSequence) {
    this.dir = dir;
    this.files = files;
    this.segments.addAll(kept);
    this.persistedSequence = persistedSequence;
  }

  /**
   * The segments {@link WalRecovery} found, minus the empty ones, which are deleted; {@code
   * persistedSequence} is what SSTables already hold.
   */
  static SegmentFiles fromRecovered(
      Path dir, FileIo files, List<Segment> recovered, long persistedSequence) throws IOException {
    List<Segment> kept = new ArrayList<>();
    for (Segment s : recovered) {
      if (s.size() == 0) {
        Files.deleteIfExists(s.path());
      } else {
        kept.add(s);
      }
    }
    return new SegmentFiles(dir, files, kept, persistedSequence);
  }

  /** The highest segment number in {@code recovered}, or 0. */
  static long lastNumber(List<Segment> recovered) {
    long max = 0;
    for (Segment s : recovered) {
      max = Math.max(max, s.number());
    }
    return max;
  }

  Path directory() {
    return dir;
  }

  /**
   * Creates segment file {@code number} and makes its name durable. On failure nothing is left
   * behind (as far as the file system lets us), so that a later attempt can create it again.
   */
  FileChannel create(long number) throws IOException {
    Path path = dir.resolve(Segment.fileName(number));
    FileChannel ch = files.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      Files2.fsyncDirectory(dir);
      return ch;
    } catch (IOException | RuntimeException e) {
      try {
        ch.close();
        Files.deleteIfExists(path);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Adds the segment of the created file {@code number} at the end of the log. */
  Segment add(long number) {
    Segment seg = new Segment(number, dir.resolve(Segment.fileName(number)), 0, 0, 0);
    synchronized (this) {
      segments.add(seg);
    }
    return seg;
  }

  /** The first sequence in any segment, or {@code fallback} if none holds one. */
  synchronized long firstSequence(long fallback) {
    for (Segment s : segments) {
      if (s.firstSequence() > 0) {
        return s.firstSequence();
      }
    }
    return fallback;
  }

  /** Bytes in the segments that hold or may receive {@code sequence} or later. */
  synchronized long bytesFrom(long sequence) {
    long total = 0;
    for (Segment s : segments) {
      // An empty or still-open segment may receive `sequence`; a sealed one ending before it
      // cannot.
      if (s.lastSequence() == 0 || s.lastSequence() >= sequence) {
        total += s.size();
      }
    }
    return total;
  }

  /** The segment to start reading {@code sequence} from: the last one starting at or before it. */
  synchronized Segment segmentFor(long sequence) {
    Segment found = null;
    for (Segment s : segments) {
      if (s.firstSequence() > 0 && s.firstSequence() <= sequence) {
        found = s;
      } else if (s.firstSequence() > sequence) {
        break;
      }
    }
    return found != null ? found : segments.get(0);
  }

  /** The segment after {@code s}, or null if {@code s} is the last. */
  synchronized Segment segmentAfter(Segment s) {
    int i = segments.indexOf(s);
    return i >= 0 && i + 1 < segments.size() ? segments.get(i + 1) : null;
  }

  /** The highest persisted sequence {@link #deleteObsolete} was given. */
  synchronized long persistedSequence() {
    return persistedSequence;
  }

  /**
   * Deletes sealed segments, oldest first, whose every operation is at or below {@code
   * persistedSequence} and below {@code minHeld} (read under the list's lock, so that a hold taken
   * while this runs either is seen here or sees the shortened list). Stops at the first segment it
   * must keep; never deletes {@code active}.
   *
   * @return the number of segments deleted
   */
  int deleteObsolete(long persistedSequence, LongSupplier minHeld, Segment active)
      throws IOException {
    List<Segment> doomed = new ArrayList<>();
    synchronized (this) {
      this.persistedSequence = Math.max(this.persistedSequence, persistedSequence);
      long keepFrom = Math.min(persistedSequence + 1, minHeld.getAsLong());
      Iterator<Segment> it = segments.iterator();
      while (it.hasNext()) {
        Segment s = it.next();
        if (!s.sealed() || s == active || s.lastSequence() >= keepFrom) {
          break;
        }
        doomed.add(s);
        it.remove();
      }
    }
    for (Segment s : doomed) {
      Files.deleteIfExists(s.path());
      LOG.debug("deleted obsolete WAL segment {}", s);
    }
    if (!doomed.isEmpty()) {
      Files2.fsyncDirectory(dir);
    }
    return doomed.size();
  }

  /** A copy of the segment list, oldest first. */
  synchronized List<Segment> list() {
    return List.copyOf(segments);
  }
}
