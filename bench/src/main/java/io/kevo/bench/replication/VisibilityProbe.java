package io.kevo.bench.replication;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ManagedChannel;
import io.kevo.bench.report.LatencyHistogram;
import io.kevo.bench.server.PhaseClock;
import io.kevo.bench.workload.Keys;
import io.kevo.proto.GetRequest;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how soon a write is visible on one replica. Every {@code interval} it puts a fresh
 * marker key on the primary and, as soon as the put has returned, reads that key from the replica
 * with back-to-back {@code Get}s until one finds it. A sample is taken while the clock measures:
 *
 * <ul>
 *   <li><b>lag after ack</b> = (return of the first Get that found the key) − (return of the put);
 *   <li><b>lag after send</b> = the same end − (sending of the put).
 * </ul>
 *
 * Both are upper bounds by at most one Get round trip (the poll resolution, also recorded). Its own
 * channels to the primary and to the replica, one thread; {@link #finish()} joins it.
 */
final class VisibilityProbe {
  private static final long SPACE = 0x7157_0000L;
  private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** A lag after ack this long is kept with its time (the bar's 10 ms), so spikes can be placed. */
  static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private static final int MAX_SLOW = 1_000;

  private final String replica;
  private final ProbeThread thread;
  private final LatencyHistogram afterAck = new LatencyHistogram();
  private final LatencyHistogram afterSend = new LatencyHistogram();
  private final LatencyHistogram getRoundTrip = new LatencyHistogram();
  private final AtomicLong measured = new AtomicLong();
  private long polls;
  private long timeouts;
  private final List<Slow> slow = new ArrayList<>(); // the first MAX_SLOW, in time order
  private long windowStartMillis = -1; // wall clock of the first measured put

  /**
   * Starts probing at once.
   *
   * @param index distinguishes the marker keys of several probes
   */
  VisibilityProbe(
      String replica,
      int primaryPort,
      int replicaPort,
      int index,
      long seed,
      int keySize,
      int valueSize,
      long intervalNanos,
      PhaseClock clock) {
    this.replica = replica;
    CompressibleValues values = new CompressibleValues(seed ^ SPACE ^ index, valueSize, 0.5);
    this.thread =
        new ProbeThread(
            "the visibility probe of " + replica,
            "bench-probe-" + replica,
            primaryPort,
            replicaPort,
            (toPrimary, toReplica) ->
                probe(toPrimary, toReplica, clock, seed, index, keySize, values, intervalNanos));
  }

  private void probe(
      ManagedChannel toPrimary,
      ManagedChannel toReplica,
      PhaseClock clock,
      long seed,
      int index,
      int keySize,
      CompressibleValues values,
      long intervalNanos) {
    KevoServiceGrpc.KevoServiceBlockingStub primary = KevoServiceGrpc.newBlockingStub(toPrimary);
    KevoServiceGrpc.KevoServiceBlockingStub reader = KevoServiceGrpc.newBlockingStub(toReplica);
    long due = System.nanoTime();
    for (long n = 0; !clock.draining(); n++) {
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      due = Math.max(due + intervalNanos, System.nanoTime());
      byte[] key = Keys.random(seed, SPACE + index, n, keySize);
      PutRequest put =
          PutRequest.newBuilder()
              .setKey(UnsafeByteOperations.unsafeWrap(key))
              .setValue(UnsafeByteOperations.unsafeWrap(values.next()))
              .build();
      GetRequest get = GetRequest.newBuilder().setKey(UnsafeByteOperations.unsafeWrap(key)).build();
      long sentMillis = System.currentTimeMillis();
      long sent = System.nanoTime();
      primary.put(put);
      long acked = System.nanoTime();
      boolean found = false;
      long seen = acked;
      int tries = 0;
      while (!found && seen - acked < GIVE_UP_NANOS) {
        long g0 = System.nanoTime();
        found = reader.get(get).getFound();
        seen = System.nanoTime();
        tries++;
        if (clock.measuring()) {
          getRoundTrip.record(seen - g0);
        }
      }
      if (clock.measuring()) {
        polls += tries;
        if (windowStartMillis < 0) {
          windowStartMillis = sentMillis;
        }
        if (found) {
          afterAck.record(seen - acked);
          afterSend.record(seen - sent);
          if (seen - acked >= SLOW_NANOS && slow.size() < MAX_SLOW) {
            slow.add(new Slow(sentMillis, sentMillis - windowStartMillis, seen - acked));
          }
        } else {
          timeouts++;
        }
        measured.incrementAndGet();
      }
    }
  }

  /**
   * Waits until the probe has taken a sample (or given one up) while the clock measures, at most
   * {@code timeoutMillis}: a window shorter than one probe would otherwise end without any.
   */
  void awaitFirstSample(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (measured.get() == 0 && System.nanoTime() < deadline) {
      Sleep.millis(5);
    }
  }

  /** Waits for the probe to stop (the clock drains) and returns what it measured. */
  Result finish() {
    thread.finish(TimeUnit.SECONDS.toMillis(60));
    return new Result(
        replica, afterAck, afterSend, getRoundTrip, polls, timeouts, List.copyOf(slow));
  }

  /**
   * A sample whose lag after ack reached {@link #SLOW_NANOS}.
   *
   * @param atMillis the wall clock when its put was sent (to set beside the nodes' logs)
   * @param offsetMillis the same, from the probe's first measured put
   * @param lagNanos its lag after ack
   */
  record Slow(long atMillis, long offsetMillis, long lagNanos) {}

  /**
   * One replica's samples; histograms in nanoseconds.
   *
   * @param polls Gets sent in all (≥ samples)
   * @param timeouts markers not visible within 30 s (not in the histograms)
   * @param slow the samples whose lag reached {@link #SLOW_NANOS} (the first 1,000), in time order
   */
  record Result(
      String replica,
      LatencyHistogram afterAck,
      LatencyHistogram afterSend,
      LatencyHistogram getRoundTrip,
      long polls,
      long timeouts,
      List<Slow> slow) {
    long samples() {
      return afterAck.count();
    }
  }
}
