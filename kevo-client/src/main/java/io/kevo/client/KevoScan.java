package io.kevo.client;

import io.grpc.Context;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * The pairs of a scan, in ascending key order, as the server streams them. Nothing is buffered
 * beyond what gRPC flow control lets in: a slow reader slows the server's scan, and a scan of any
 * size takes constant memory here.
 *
 * <p>{@link #close()} cancels the call (the server then releases its iterator); it is idempotent
 * and throws nothing. Close a scan you stop reading early: try-with-resources. A failure of the
 * stream surfaces from {@link #hasNext()} or {@link #next()} as a {@link KevoClientException} and
 * closes the scan. A scan that fails with {@code UNAVAILABLE} before it has delivered anything is
 * reopened like any call safe to redo (transaction scans are not); once pairs have been delivered
 * it is not, since the server may have changed in between.
 *
 * <p>Not thread-safe: one reader.
 */
public final class KevoScan implements Iterator<KeyValue>, AutoCloseable {
  private static final ClientLog LOG = ClientLog.of(KevoScan.class);

  private final String name;
  private final Supplier<Iterator<KeyValue>> opener;
  private final Retrier retrier;
  private final boolean redoable;

  private Context.CancellableContext context;
  private Iterator<KeyValue> stream;
  private int attempts;
  private long delivered;
  private boolean closed;

  KevoScan(String name, Supplier<Iterator<KeyValue>> opener, Retrier retrier, boolean redoable) {
    this.name = name;
    this.opener = opener;
    this.retrier = retrier;
    this.redoable = redoable;
    open();
  }

  /**
   * Starts the call in a context of its own, so that cancelling that context cancels exactly this
   * call.
   */
  private void open() {
    attempts++;
    context = Context.current().withCancellation();
    Context previous = context.attach();
    try {
      stream = opener.get();
    } catch (RuntimeException e) {
      closeQuietly();
      throw KevoClientException.of(e);
    } finally {
      context.detach(previous);
    }
  }

  @Override
  public boolean hasNext() {
    while (!closed) {
      try {
        if (stream.hasNext()) {
          return true;
        }
        closeQuietly(); // the server ended the stream: nothing to cancel, but release the context
        return false;
      } catch (RuntimeException e) {
        context.cancel(null);
        if (delivered > 0 || !retrier.shouldRetry(redoable, e, attempts)) {
          closed = true;
          throw KevoClientException.of(e);
        }
        retrier.pause(name, attempts, e);
        open();
      }
    }
    return false;
  }

  @Override
  public KeyValue next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    delivered++;
    return stream.next();
  }

  /** Pairs returned by {@link #next()} so far. */
  public long delivered() {
    return delivered;
  }

  /** Cancels the call if it is still streaming. Idempotent; throws nothing. */
  @Override
  public void close() {
    if (!closed) {
      LOG.trace("{} closed after {} pairs", name, delivered);
    }
    closeQuietly();
  }

  private void closeQuietly() {
    closed = true;
    if (context != null) {
      context.cancel(null);
    }
    if (stream instanceof AutoCloseable c) {
      // A stream of streams (a scan across shards) ends each of them.
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("closing {} failed", name, e);
      }
    }
  }
}
