package io.kevo.engine.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A {@link FileIo} over the real file system whose channels fail on demand, as a full or broken
 * disk does. While writes fail for a file, a channel's first write to it stores half of what it was
 * given and reports that (a short write, as {@code write(2)} does when the disk fills mid-way), and
 * every later write throws; so a record can be left torn in the file, the case a failed append must
 * handle. Fsyncs can be made to fail separately. Truncation always works (it frees space).
 * Thread-safe.
 */
public final class FaultyFiles implements FileIo {
  /** The text the C library gives {@code ENOSPC}, which the JDK passes on. */
  public static final String NO_SPACE = "No space left on device";

  /** The text of {@code EIO}. */
  public static final String IO_ERROR = "Input/output error";

  private volatile Predicate<Path> failWrites = p -> false;
  private volatile String writeError = NO_SPACE;
  private volatile Error writeThrows; // thrown as it is instead of a failed write, when set
  private volatile Predicate<Path> failForces = p -> false;
  private volatile String forceError = NO_SPACE;
  private final AtomicInteger failures = new AtomicInteger();

  /** Fails writes to every file with {@code ENOSPC} from now on: the disk is full. */
  public void fillUp() {
    failWrites(p -> true, NO_SPACE);
  }

  /** Fails writes to the files {@code which} accepts with {@code error} from now on. */
  public void failWrites(Predicate<Path> which, String error) {
    writeError = error;
    writeThrows = null;
    failWrites = which;
  }

  /**
   * Makes writes to the files {@code which} accepts throw {@code error} from now on, as the JVM
   * throws an {@link OutOfMemoryError} in the middle of a write path.
   */
  public void throwOnWrites(Predicate<Path> which, Error error) {
    writeThrows = error;
    failWrites = which;
  }

  /** Fails fsyncs of the files {@code which} accepts with {@code error} from now on. */
  public void failForces(Predicate<Path> which, String error) {
    forceError = error;
    failForces = which;
  }

  /** Everything works again: space was freed. */
  public void free() {
    failWrites = p -> false;
    writeThrows = null;
    failForces = p -> false;
  }

  /** Writes and fsyncs refused so far. */
  public int failures() {
    return failures.get();
  }

  /** Files whose name ends with {@code suffix}. */
  public static Predicate<Path> named(String suffix) {
    return p -> p.getFileName().toString().endsWith(suffix);
  }

  /** Files whose name starts with {@code prefix}. */
  public static Predicate<Path> prefixed(String prefix) {
    return p -> p.getFileName().toString().startsWith(prefix);
  }

  @Override
  public FileChannel open(Path path, OpenOption... options) throws IOException {
    return new Channel(path, FileChannel.open(path, options));
  }

  /** Delegates to a real channel, failing writes and forces as the owner says. */
  private final class Channel extends FileChannel {
    private final Path path;
    private final FileChannel real;
    private boolean shortWriteDone;

    Channel(Path path, FileChannel real) {
      this.path = path;
      this.real = real;
    }

    /** Whether this write may go on, and how many bytes of {@code src} it may store. */
    private synchronized int allowance(ByteBuffer src) throws IOException {
      if (!failWrites.test(path)) {
        shortWriteDone = false;
        return src.remaining();
      }
      Error e = writeThrows;
      if (e != null) {
        throw e;
      }
      if (!shortWriteDone && src.remaining() >= 2) {
        shortWriteDone = true;
        return src.remaining() / 2;
      }
      failures.incrementAndGet();
      throw new IOException(writeError);
    }

    private int limited(ByteBuffer src, int n, IoCall call) throws IOException {
      if (n == src.remaining()) {
        return call.run(src);
      }
      ByteBuffer part = src.duplicate();
      part.limit(part.position() + n);
      int done = call.run(part);
      src.position(src.position() + done);
      return done;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return limited(src, allowance(src), real::write);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return limited(src, allowance(src), b -> real.write(b, position));
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      long n = 0;
      for (int i = offset; i < offset + length; i++) {
        n += write(srcs[i]);
        if (srcs[i].hasRemaining()) {
          break;
        }
      }
      return n;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      if (failForces.test(path)) {
        failures.incrementAndGet();
        throw new IOException(forceError);
      }
      real.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return real.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return real.read(dst, position);
    }

    @Override
    public long position() throws IOException {
      return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      real.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      real.truncate(size);
      return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      throw new UnsupportedOperationException("not used by the engine's writers");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return real.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      real.close();
    }
  }

  @FunctionalInterface
  private interface IoCall {
    int run(ByteBuffer b) throws IOException;
  }
}
