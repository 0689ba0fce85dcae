package io.kevo.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.kevo.engine.KeyValue;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one scan to one client with gRPC flow control: it pulls the next pair from the engine
 * only while the call {@linkplain ServerCallStreamObserver#isReady() is ready}, and resumes from
 * the on-ready callback, so a slow client slows the scan instead of filling the server's memory (at
 * most one message beyond the transport's window is ever produced).
 *
 * <p>The pump owns its source: it closes it when the scan completes, fails, is cancelled by the
 * client (disconnect, deadline), or is {@linkplain #abort() aborted} at shutdown. Thread-safe: gRPC
 * serializes a call's callbacks, and every method also holds the pump's monitor so that {@link
 * #abort()} from another thread is safe.
 *
 * @param <T> the response message type
 */
final class ScanPump<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ScanPump.class);

  /** Where pairs come from; {@code next} returns null at the end. */
  interface Source extends AutoCloseable {
    KeyValue next();

    @Override
    void close();
  }

  /** Told when a pump closes its source (for the open-scan count and byte counters). */
  interface Listener {
    void sent(KeyValue kv);

    void closed(ScanPump<?> pump);
  }

  private final ServerCallStreamObserver<T> call;
  private final Function<KeyValue, T> toMessage;
  private final long limit;
  private final Listener listener;
  private Source source; // null until opened
  private long sent;
  private boolean finished;

  /**
   * @param limit the most pairs to send; 0 or less means no limit
   */
  private ScanPump(
      ServerCallStreamObserver<T> call,
      Function<KeyValue, T> toMessage,
      long limit,
      Listener listener) {
    this.call = call;
    this.toMessage = toMessage;
    this.limit = limit;
    this.listener = listener;
  }

  /** Opens a source and starts streaming it; if opening fails, the call fails with its status. */
  static <T> void start(
      Supplier<Source> open,
      ServerCallStreamObserver<T> call,
      Function<KeyValue, T> toMessage,
      long limit,
      Listener listener,
      Consumer<ScanPump<?>> register) {
    Source source;
    try {
      source = open.get();
    } catch (RuntimeException e) {
      call.onError(StatusMapper.toException(e));
      return;
    }
    ScanPump<T> pump = deferred(call, toMessage, limit, listener, register);
    pump.open(() -> source);
  }

  /**
   * Sets up the call's flow control now (gRPC wants it before the handler returns) for a scan whose
   * source is opened later, after a wait: {@link #open} starts streaming, {@link #fail} ends the
   * call instead. A client that goes away meanwhile is noticed; the scan is then never opened.
   */
  static <T> ScanPump<T> deferred(
      ServerCallStreamObserver<T> call,
      Function<KeyValue, T> toMessage,
      long limit,
      Listener listener,
      Consumer<ScanPump<?>> register) {
    ScanPump<T> pump = new ScanPump<>(call, toMessage, limit, listener);
    register.accept(pump);
    call.setOnCancelHandler(pump::cancelled);
    call.setOnReadyHandler(pump::drain);
    return pump;
  }

  /** Opens the source and streams it; if opening fails, the call fails with its status. */
  synchronized void open(Supplier<Source> open) {
    if (finished) {
      return; // cancelled or aborted while it waited
    }
    try {
      source = open.get();
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    drain();
  }

  /** Ends the scan (opened or not) with {@code failure}'s status and releases its source. */
  synchronized void fail(RuntimeException failure) {
    if (finished) {
      return;
    }
    finish();
    try {
      call.onError(StatusMapper.toException(failure));
    } catch (IllegalStateException alreadyClosed) {
      LOG.debug("scan failed after its call closed", failure);
    }
  }

  /** Sends while the client can take more; completes the call at the end or the limit. */
  synchronized void drain() {
    if (finished || source == null) {
      return;
    }
    try {
      while (call.isReady()) {
        if (limit > 0 && sent >= limit) {
          complete();
          return;
        }
        KeyValue kv = source.next();
        if (kv == null) {
          complete();
          return;
        }
        call.onNext(toMessage.apply(kv));
        sent++;
        listener.sent(kv);
      }
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /** The client went away (cancel, disconnect or deadline): release the engine's resources. */
  synchronized void cancelled() {
    if (!finished) {
      LOG.debug("scan cancelled by the client after {} pairs", sent);
    }
    finish();
  }

  /** Server shutdown: release the source and fail the call if it is still open. */
  synchronized void abort() {
    if (finished) {
      return;
    }
    finish();
    try {
      call.onError(
          StatusMapper.toException(
              new ServerException(
                  ServerException.Reason.SHUTTING_DOWN, "server is shutting down")));
    } catch (IllegalStateException alreadyClosed) {
      LOG.debug("scan aborted after its call closed");
    }
  }

  private void complete() {
    finish();
    call.onCompleted();
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      if (source != null) {
        source.close();
      }
    } finally {
      listener.closed(this);
    }
  }
}
