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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The reads of {@code KevoService}, {@code Get} and {@code Scan}, and the read-your-writes wait
 * they share with a read-only {@code BeginTransaction}. A primary whose default level is not {@code
 * async} reads only writes a replica acknowledged (the engine's read ceiling), plus everything up
 * to the request's {@code kevo-min-sequence}, and refuses reads with {@code UNAVAILABLE} until a
 * replica has confirmed its last sequence at open ({@link ReplicationGate#checkReadable()}). With
 * {@code kevo-min-sequence}: a primary or standalone node answers at once; a replica that has not
 * applied it holds a {@code Get} (released by its apply thread, run on the pool) for at most {@code
 * --read-wait-timeout} and the call's deadline, then answers {@code UNAVAILABLE} with {@code
 * kevo-applied-sequence}; a {@code Scan} is refused at once (its flow control must be set up before
 * the handler returns). Never blocks the handler's thread. Thread-safe.
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
    try {
      min = call.minSequence();
      gate.checkReadable();
      if (min > 0) {
        AppliedWaiters w = replication.readWaits();
        long applied = w != null ? w.appliedSequence() : db.latestSequence();
        if (replication.role() == NodeRole.REPLICA && applied < min) {
          throw ServerException.replicaBehind(applied, min, 0);
        }
        if (replication.role() != NodeRole.REPLICA && db.latestSequence() < min) {
          throw ServerException.notThere(db.latestSequence(), min);
        }
      }
    } catch (RuntimeException e) {
      out.onError(StatusMapper.toException(e));
      return;
    }
    ScanPump.start(
        () -> {
          ScanOptions scan =
              ScanRequests.toOptions(
                  req.getPrefix(), req.getSuffix(), req.getStartKey(), req.getEndKey());
          return iteratorSource(atReportedSequence(call, min, ro -> db.scan(scan, ro)));
        },
        (ServerCallStreamObserver<ScanResponse>) out,
        kv -> ScanResponse.newBuilder().setKey(wrap(kv.key())).setValue(wrap(kv.value())).build(),
        req.getLimit(),
        scans,
        scans.register());
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
      long last = db.latestSequence();
      if (last < min) {
        // A token from beyond this node's log: written by a newer primary (this one was
        // replaced) or on a history this node does not hold. Reading here would go back in time.
        out.onError(StatusMapper.toException(ServerException.notThere(last, min)));
        return;
      }
      // A primary or standalone node has everything it acknowledged: it reads at the token (or
      // higher, up to what is confirmed) at once.
      unary(out, read);
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
