package io.kevo.server;

import static io.kevo.server.Calls.answerLater;
import static io.kevo.server.Calls.unary;
import static io.kevo.server.Calls.wrap;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.KeyValue;
import io.kevo.engine.ReadOptions;
import io.kevo.engine.ScanOptions;
import io.kevo.engine.Snapshot;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.ScanRequest;
import io.kevo.proto.ScanResponse;
import io.kevo.replication.AckResult;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The reads of {@code KevoService}, {@code Get} and {@code Scan}, and the read-your-writes wait
 * they share with {@code BeginTransaction}. A primary whose default level is not {@code async}
 * reads only writes a replica acknowledged (the engine's read ceiling), and refuses reads with
 * {@code UNAVAILABLE} until a replica has confirmed its last sequence at open ({@link
 * ReplicationGate#checkReadable()}). With {@code kevo-min-sequence}: a standalone node answers at
 * once; a primary refuses a token beyond its log, and holds a read whose token its replicas have
 * not confirmed until one does (so that no later read reads below it); a replica holds a read until
 * it has applied the token (released by its apply thread). Either wait lasts at most {@code
 * --read-wait-timeout} and the call's deadline, then the read is refused with {@code UNAVAILABLE}
 * and {@code kevo-applied-sequence}. Released reads run on the pool; a replica refuses a {@code
 * Scan} it cannot serve at once. Never blocks the handler's thread. Thread-safe.
 */
final class ReadCalls {
  /** A read at read-your-writes {@code token} (0: none): its answer. */
  @FunctionalInterface
  interface Read<T> {
    T at(long token);
  }

  private final KevoDB db;
  private final ServerOptions options;
  private final NodeReplication replication;
  private final ReplicationGate gate;
  private final RpcMetrics metrics;
  private final OpenScans scans;

  ReadCalls(
      KevoDB db,
      ServerOptions options,
      NodeReplication replication,
      ReplicationGate gate,
      RpcMetrics metrics,
      OpenScans scans) {
    this.db = db;
    this.options = options;
    this.replication = replication;
    this.gate = gate;
    this.metrics = metrics;
    this.scans = scans;
  }

  void get(GetRequest req, StreamObserver<GetResponse> out) {
    CallState call = CallState.current();
    afterApplied(
        call,
        out,
        token -> {
          Optional<byte[]> value =
              atReportedSequence(call, token, ro -> db.get(req.getKey().toByteArray(), ro));
          value.ifPresent(v -> metrics.addBytesRead(req.getKey().size() + v.length));
          return value
              .map(v -> GetResponse.newBuilder().setFound(true).setValue(wrap(v)).build())
              .orElse(GetResponse.getDefaultInstance());
        });
  }

  void scan(ScanRequest req, StreamObserver<ScanResponse> out) {
    CallState call = CallState.current();
    long min;
    CompletableFuture<AckResult> confirmation = null;
    try {
      min = call.minSequence();
      gate.checkReadable();
      if (min > 0) {
        AppliedWaiters w = replication.readWaits();
        long applied = w != null ? w.appliedSequence() : db.latestSequence();
        if (replication.role() == NodeRole.REPLICA && applied < min) {
          throw ServerException.replicaBehind(applied, min, 0);
        }
        if (replication.role() != NodeRole.REPLICA) {
          checkInLog(min);
          confirmation = gate.awaitReadable(min, readWaitNanos(call));
        }
      }
    } catch (RuntimeException e) {
      out.onError(StatusMapper.toException(e));
      return;
    }
    Supplier<ScanPump.Source> open =
        () -> {
          ScanOptions scan =
              ScanRequests.toOptions(
                  req.getPrefix(), req.getSuffix(), req.getStartKey(), req.getEndKey());
          return iteratorSource(atReportedSequence(call, min, ro -> db.scan(scan, ro)));
        };
    Function<KeyValue, ScanResponse> toMessage =
        kv -> ScanResponse.newBuilder().setKey(wrap(kv.key())).setValue(wrap(kv.value())).build();
    ServerCallStreamObserver<ScanResponse> stream = (ServerCallStreamObserver<ScanResponse>) out;
    if (confirmation == null) {
      ScanPump.start(open, stream, toMessage, req.getLimit(), scans, scans.register());
      return;
    }
    ScanPump<ScanResponse> pump =
        ScanPump.deferred(stream, toMessage, req.getLimit(), scans, scans.register());
    afterConfirmed(confirmation, min, () -> pump.open(open), pump::fail);
  }

  /**
   * Runs {@code read} at read-your-writes {@code token} (0: none). A read with a token reads at one
   * sequence, {@link KevoDB#readSequence(long)} as of now, and reports exactly that one in {@code
   * kevo-sequence}: the client's next token, and what a checker compares the answer with (never
   * more than this node serves such a read: on a primary that reads only confirmed writes, the
   * confirmed sequence or the token). The snapshot that fixes it is closed as soon as the read has
   * begun: a scan's iterator pins the tables it reads itself.
   */
  private <T> T atReportedSequence(CallState call, long token, Function<ReadOptions, T> read) {
    if (token == 0) {
      return read.apply(ReadOptions.DEFAULT);
    }
    try (Snapshot at = db.snapshot(token)) {
      T result = read.apply(ReadOptions.at(at));
      call.reportSequence(at.sequence(), gate.epoch());
      return result;
    }
  }

  /**
   * Runs the read {@code body} at the request's {@code kevo-min-sequence} (the body reports where
   * it read) and answers it, at once or, on a replica that has not yet applied it, once it has (on
   * the pool) or with {@code UNAVAILABLE} after the read wait timeout. A primary that does not know
   * yet which of its writes a replica holds refuses the read ({@link
   * ReplicationGate#checkReadable()}). Never blocks this thread (it may be an event loop).
   */
  <T> void afterApplied(CallState call, StreamObserver<T> out, Read<T> body) {
    long min;
    try {
      min = call.minSequence();
      gate.checkReadable();
    } catch (RuntimeException e) {
      out.onError(StatusMapper.toException(e));
      return;
    }
    if (min == 0) {
      unary(out, () -> body.at(0));
      return;
    }
    Supplier<T> read = () -> body.at(min);
    AppliedWaiters waits = replication.readWaits();
    if (replication.role() != NodeRole.REPLICA) {
      CompletableFuture<AckResult> confirmation;
      try {
        checkInLog(min);
        confirmation = gate.awaitReadable(min, readWaitNanos(call));
      } catch (RuntimeException e) {
        out.onError(StatusMapper.toException(e));
        return;
      }
      if (confirmation == null) {
        // A standalone node, or a primary whose replicas confirmed the token: it has everything
        // it acknowledged and reads at the token (or higher, up to what is confirmed) at once.
        unary(out, read);
        return;
      }
      afterConfirmed(
          confirmation,
          min,
          () -> answerLater(out, () -> unary(out, read)),
          e -> answerLater(out, () -> out.onError(StatusMapper.toException(e))));
      return;
    }
    long applied = waits != null ? waits.appliedSequence() : db.latestSequence();
    if (applied >= min) {
      unary(out, read);
      return;
    }
    long timeout = Math.min(options.readWaitTimeout().toNanos(), call.nanosLeft());
    if (waits == null || timeout <= 0) {
      out.onError(StatusMapper.toException(ServerException.replicaBehind(applied, min, 0)));
      return;
    }
    long started = System.nanoTime();
    waits.await(
        min,
        timeout,
        () -> answerLater(out, () -> unary(out, read)),
        now ->
            answerLater(
                out,
                () ->
                    out.onError(
                        StatusMapper.toException(
                            ServerException.replicaBehind(
                                now,
                                min,
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))))));
  }

  /**
   * Refuses a token beyond a primary's or standalone node's own log: written by a newer primary
   * (this one was replaced) or on a history this node does not hold. Reading here would go back in
   * time.
   */
  private void checkInLog(long token) {
    long last = db.latestSequence();
    if (last < token) {
      throw ServerException.notThere(last, token);
    }
  }

  /** How long a read may wait for its token: the read wait timeout, cut to the call's deadline. */
  private long readWaitNanos(CallState call) {
    return Math.max(0, Math.min(options.readWaitTimeout().toNanos(), call.nanosLeft()));
  }

  /**
   * Runs {@code read} on the pool once {@code confirmation} says a replica confirmed {@code token},
   * or passes {@code refused} the refusal if none did in time.
   */
  private void afterConfirmed(
      CompletableFuture<AckResult> confirmation,
      long token,
      Runnable read,
      Consumer<RuntimeException> refused) {
    long started = System.nanoTime();
    confirmation.whenCompleteAsync(
        (r, failure) -> {
          if (failure == null && r.confirmed()) {
            read.run();
          } else {
            refused.accept(
                ServerException.notConfirmed(
                    gate.confirmedSequence(),
                    token,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
          }
        },
        replication.background());
  }

  /** The engine iterator {@code it} as a scan's source. */
  static ScanPump.Source iteratorSource(KevoIterator it) {
    return new ScanPump.Source() {
      @Override
      public KeyValue next() {
        return it.hasNext() ? it.next() : null;
      }

      @Override
      public void close() {
        it.close();
      }
    };
  }
}
