package io.kevo.client;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.ScanRequest;
import io.kevo.proto.ScanResponse;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The reads of a {@link KevoClient}, {@code Get} (blocking and async) and {@code Scan}: each is
 * routed by {@link ClientOptions#readPreference()} ({@link Router.Route#READ}), retried on {@code
 * UNAVAILABLE}, carries the session's position in session mode and moves it to what the answer
 * reports ({@link Consistency}). A scan refused by a replica behind the session is redone on the
 * primary. Thread-safe.
 */
final class ClientReads {
  private final ClientOptions options;
  private final Retrier retrier;
  private final Router router;
  private final Consistency consistency;

  ClientReads(ClientOptions options, Retrier retrier, Router router, Consistency consistency) {
    this.options = options;
    this.retrier = retrier;
    this.router = router;
    this.consistency = consistency;
  }

  Optional<byte[]> get(byte[] key) {
    GetRequest req = GetRequest.newBuilder().setKey(ClientWrites.bytes(key)).build();
    Metadata headers = consistency.readHeaders();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    GetResponse r =
        retrier.call(
            "Get",
            true,
            () ->
                router.call(
                    "Get",
                    Router.Route.READ,
                    n ->
                        Consistency.decorate(n.blocking(options.deadline()), headers, trailers)
                            .get(req)));
    consistency.read(trailers.get());
    return found(r);
  }

  CompletableFuture<Optional<byte[]>> getAsync(byte[] key) {
    GetRequest req = GetRequest.newBuilder().setKey(ClientWrites.bytes(key)).build();
    Metadata headers = consistency.readHeaders();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    return retrier
        .callAsync(
            "Get",
            true,
            () ->
                router.callAsync(
                    "Get",
                    Router.Route.READ,
                    n ->
                        Consistency.decorate(n.future(options.deadline()), headers, trailers)
                            .get(req)))
        .thenApply(
            r -> {
              consistency.read(trailers.get());
              return found(r);
            });
  }

  KevoScan scan(ScanSpec spec) {
    ScanRequest request = spec.toRequest();
    Metadata headers = consistency.readHeaders();
    AtomicBoolean lagged = new AtomicBoolean();
    return new KevoScan(
        "Scan",
        () -> {
          // A replica behind the session refuses a scan at once: the next attempt reads the
          // primary.
          Node node = lagged.get() ? router.primary() : router.pick(Router.Route.READ, true);
          AtomicReference<Metadata> trailers = new AtomicReference<>();
          Iterator<ScanResponse> it =
              Consistency.decorate(node.blocking(options.scanDeadline()), headers, trailers)
                  .scan(request);
          return router.reporting(
              node, lagging(pairs(it, ScanResponse::getKey, ScanResponse::getValue), lagged));
        },
        retrier,
        true);
  }

  private static Optional<byte[]> found(GetResponse r) {
    return r.getFound() ? Optional.of(r.getValue().toByteArray()) : Optional.empty();
  }

  /** {@code it}, setting {@code lagged} if it fails because its replica is behind the session. */
  private static <T> Iterator<T> lagging(Iterator<T> it, AtomicBoolean lagged) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          return it.hasNext();
        } catch (RuntimeException e) {
          if (Consistency.isLagging(e)) {
            lagged.set(true);
          }
          throw e;
        }
      }

      @Override
      public T next() {
        return it.next();
      }
    };
  }

  /**
   * A scan's answers ({@code ScanResponse}, {@code TxScanResponse}) as key/value pairs, the key and
   * value of each taken by {@code key} and {@code value}.
   */
  static <R> Iterator<KeyValue> pairs(
      Iterator<R> it, Function<R, ByteString> key, Function<R, ByteString> value) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public KeyValue next() {
        R r = it.next();
        return new KeyValue(key.apply(r).toByteArray(), value.apply(r).toByteArray());
      }
    };
  }
}
