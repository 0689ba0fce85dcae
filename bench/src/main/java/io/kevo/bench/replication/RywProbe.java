package io.kevo.bench.replication;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.kevo.bench.report.LatencyHistogram;
import io.kevo.bench.server.PhaseClock;
import io.kevo.bench.workload.Keys;
import io.kevo.proto.GetRequest;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import io.kevo.wire.WireMetadata;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Read-your-writes against one replica, back to back on one thread: put a fresh key on the primary
 * (its commit sequence comes back in the {@code kevo-sequence} trailer), then at once {@code Get}
 * it from the replica. Samples alternate between two kinds:
 *
 * <ul>
 *   <li><b>ryw</b>: the {@code Get} carries {@code kevo-min-sequence} = that sequence, so the
 *       replica holds it until it has applied the put (or answers {@code UNAVAILABLE} after its
 *       read-wait timeout). It must find the key: a miss is counted as {@code stale} (a broken
 *       guarantee, never expected).
 *   <li><b>plain</b>: the same {@code Get} without it, answered at once from whatever the replica
 *       has; counted as {@code missed} when it does not find the key yet.
 * </ul>
 *
 * Latency is from sending the {@code Get} to its answer. Its own channels, one thread; {@link
 * #finish()} joins it.
 */
final class RywProbe {
  private static final long SPACE = 0x5E5D_0000L;
  private static final long GET_DEADLINE_SECONDS = 30;

  private final String replica;
  private final ProbeThread thread;
  private final LatencyHistogram ryw = new LatencyHistogram();
  private final LatencyHistogram plain = new LatencyHistogram();
  private final LatencyHistogram put = new LatencyHistogram();
  private final LatencyHistogram unavailableAfter = new LatencyHistogram();
  private long stale;
  private long missed;

  /**
   * Starts probing at once.
   *
   * @param index distinguishes the keys of several probes
   */
  RywProbe(
      String replica,
      int primaryPort,
      int replicaPort,
      int index,
      long seed,
      int keySize,
      int valueSize,
      PhaseClock clock) {
    this.replica = replica;
    CompressibleValues values = new CompressibleValues(seed ^ SPACE ^ index, valueSize, 0.5);
    this.thread =
        new ProbeThread(
            "the read-your-writes probe of " + replica,
            "bench-ryw-" + replica,
            primaryPort,
            replicaPort,
            (toPrimary, toReplica) ->
                probe(toPrimary, toReplica, clock, seed, index, keySize, values));
  }

  private void probe(
      ManagedChannel toPrimary,
      ManagedChannel toReplica,
      PhaseClock clock,
      long seed,
      int index,
      int keySize,
      CompressibleValues values) {
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    KevoServiceGrpc.KevoServiceBlockingStub primary =
        KevoServiceGrpc.newBlockingStub(toPrimary)
            .withInterceptors(
                MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers));
    KevoServiceGrpc.KevoServiceBlockingStub reader = KevoServiceGrpc.newBlockingStub(toReplica);
    for (long n = 0; !clock.draining(); n++) {
      byte[] key = Keys.random(seed, SPACE + index, n, keySize);
      PutRequest p =
          PutRequest.newBuilder()
              .setKey(UnsafeByteOperations.unsafeWrap(key))
              .setValue(UnsafeByteOperations.unsafeWrap(values.next()))
              .build();
      GetRequest get = GetRequest.newBuilder().setKey(UnsafeByteOperations.unsafeWrap(key)).build();
      trailers.set(null);
      long p0 = System.nanoTime();
      primary.put(p);
      long p1 = System.nanoTime();
      long sequence = sequence(trailers.get());
      boolean waitForIt = n % 2 == 0;
      KevoServiceGrpc.KevoServiceBlockingStub stub =
          reader.withDeadlineAfter(GET_DEADLINE_SECONDS, TimeUnit.SECONDS);
      if (waitForIt) {
        Metadata md = new Metadata();
        md.put(WireMetadata.MIN_SEQUENCE, Long.toString(sequence));
        stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
      }
      boolean found;
      long g0 = System.nanoTime();
      try {
        found = stub.get(get).getFound();
      } catch (StatusRuntimeException e) {
        if (!waitForIt || e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          throw e;
        }
        if (clock.measuring()) {
          unavailableAfter.record(System.nanoTime() - g0);
        }
        continue;
      }
      long g1 = System.nanoTime();
      if (!clock.measuring()) {
        continue;
      }
      put.record(p1 - p0);
      if (waitForIt) {
        ryw.record(g1 - g0);
        if (!found) {
          stale++;
        }
      } else {
        plain.record(g1 - g0);
        if (!found) {
          missed++;
        }
      }
    }
  }

  private static long sequence(Metadata trailers) {
    String s = trailers == null ? null : trailers.get(WireMetadata.SEQUENCE);
    if (s == null) {
      throw new IllegalStateException("the primary's Put answer carried no kevo-sequence trailer");
    }
    return Long.parseLong(s);
  }

  /** Waits for the probe to stop (the clock drains) and returns what it measured. */
  Result finish() {
    thread.finish(TimeUnit.SECONDS.toMillis(GET_DEADLINE_SECONDS * 2));
    return new Result(replica, ryw, plain, put, unavailableAfter, stale, missed);
  }

  /**
   * One replica's samples (taken while the clock measured); histograms in nanoseconds.
   *
   * @param ryw latency of Gets with {@code kevo-min-sequence} that were answered
   * @param plain latency of Gets without it
   * @param put latency of the puts before the answered Gets
   * @param unavailable time until an {@code UNAVAILABLE} answer, per refused ryw Get
   * @param stale ryw Gets answered without the key (a broken guarantee)
   * @param missed plain Gets that did not see the put yet
   */
  record Result(
      String replica,
      LatencyHistogram ryw,
      LatencyHistogram plain,
      LatencyHistogram put,
      LatencyHistogram unavailable,
      long stale,
      long missed) {}
}
