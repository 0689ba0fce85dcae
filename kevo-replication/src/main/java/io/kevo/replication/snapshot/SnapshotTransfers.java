package io.kevo.replication.snapshot;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KeyRange;
import io.kevo.engine.RetentionHold;
import io.kevo.proto.replication.SnapshotChunk;
import io.kevo.proto.replication.SnapshotRequest;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.SnapshotTransferStatus;
import io.kevo.replication.StatusMapping;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's snapshot transfers ({@code FetchSnapshot}): admits at most {@link
 * PrimaryOptions#maxConcurrentBootstraps()} at once (more are refused with {@code BOOTSTRAP_LIMIT},
 * mapped to {@code RESOURCE_EXHAUSTED}), runs their {@link SnapshotSender}s on a small pool of its
 * own (file reads never run on gRPC threads nor delay WAL sessions), hands a finished transfer's
 * WAL hold to the primary's retention ({@link HoldHandOver}), aborts transfers whose replica
 * stopped reading for the session timeout, and counts. Thread-safe.
 */
public final class SnapshotTransfers {
  /**
   * Where a finished transfer's WAL hold goes: the primary's retention entry of the replica, which
   * keeps it (exempt from the byte limit) until the replica has acknowledged {@code protectUntil}.
   * Called on a transfer's thread; must take ownership of {@code hold} (closing it if it cannot).
   */
  @FunctionalInterface
  public interface HoldHandOver {
    void bootstrapped(
        String replicaId, String address, long sequence, RetentionHold hold, long protectUntil);
  }

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotTransfers.class);
  private static final long CLOSE_WAIT_MS = 5000;

  private final KevoDB db;
  private final PrimaryOptions options;
  private final HoldHandOver retention;
  private final LongSupplier lastSequence;
  private final EpochHistory epochs;
  private final Clock clock;
  private final ExecutorService executor;
  private final Set<SnapshotSender> active = new LinkedHashSet<>(); // guarded by this
  private boolean closed; // guarded by this
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();

  /**
   * @param retention takes each finished transfer's WAL hold
   * @param lastSequence the primary's last written sequence
   * @param epochs the primary's epoch history, sent with each snapshot
   */
  public SnapshotTransfers(
      KevoDB db,
      PrimaryOptions options,
      HoldHandOver retention,
      LongSupplier lastSequence,
      EpochHistory epochs) {
    this.db = db;
    this.epochs = epochs;
    this.options = options;
    this.retention = retention;
    this.lastSequence = lastSequence;
    this.clock = options.clock();
    AtomicInteger n = new AtomicInteger();
    int threads = options.maxConcurrentBootstraps();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "kevo-repl-snapshot-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    this.executor = pool;
  }

  /**
   * Starts a transfer for {@code request} on {@code responses}.
   *
   * @throws ReplicationException {@code BOOTSTRAP_LIMIT}, {@code INVALID_REQUEST} or {@code CLOSED}
   */
  public void fetch(SnapshotRequest request, StreamObserver<SnapshotChunk> responses) {
    String replicaId = request.getReplicaId();
    String address = request.getListenerAddress();
    if (replicaId.length() > 256 || address.length() > 1024) {
      throw new ReplicationException(
          ReplicationException.Reason.INVALID_REQUEST,
          "replica_id (at most 256 characters) or listener_address (1024) too long");
    }
    KeyRange range = range(request);
    int chunk = options.snapshotChunkBytes();
    if (request.getMaxChunkBytes() > 0) {
      chunk = Math.max(4096, Math.min(chunk, request.getMaxChunkBytes()));
    }
    SnapshotSender s;
    synchronized (this) {
      if (closed) {
        throw new ReplicationException(
            ReplicationException.Reason.CLOSED, "the replication primary is closing");
      }
      if (active.size() >= options.maxConcurrentBootstraps()) {
        refused.incrementAndGet();
        LOG.info(
            "refused a snapshot for replica '{}': {} transfers already running (the limit)",
            replicaId,
            active.size());
        throw new ReplicationException(
            ReplicationException.Reason.BOOTSTRAP_LIMIT,
            "the primary already sends " + active.size() + " snapshots (its limit); retry later");
      }
      s =
          new SnapshotSender(
              this,
              db,
              "snap-" + ids.incrementAndGet() + "-" + Long.toHexString(clock.millis()),
              replicaId,
              address,
              range,
              (ServerCallStreamObserver<SnapshotChunk>) responses,
              chunk,
              executor,
              clock.millis());
      active.add(s);
    }
    s.start();
  }

  /** The request's key range ({@code range_start}, {@code range_end}; both empty: every key). */
  private static KeyRange range(SnapshotRequest request) {
    byte[] start = request.getRangeStart().toByteArray();
    byte[] end = request.getRangeEnd().isEmpty() ? null : request.getRangeEnd().toByteArray();
    try {
      return new KeyRange(start, end);
    } catch (IllegalArgumentException e) {
      throw new ReplicationException(
          ReplicationException.Reason.INVALID_REQUEST,
          "range_end must be after range_start (or empty for no upper bound): " + e.getMessage());
    }
  }

  /** The primary's epoch history, sent with every snapshot. */
  EpochHistory epochs() {
    return epochs;
  }

  long nowMillis() {
    return clock.millis();
  }

  void sent(int bytes) {
    bytesSent.addAndGet(bytes);
  }

  /** A transfer completed: the replica's hold from the snapshot's sequence + 1 is {@code hold}. */
  void handOver(SnapshotSender s, RetentionHold hold) {
    if (hold != null) {
      retention.bootstrapped(s.replicaId, s.address, s.sequence, hold, lastSequence.getAsLong());
    }
  }

  void ended(SnapshotSender s, boolean ok, String why) {
    synchronized (this) {
      active.remove(s);
      notifyAll(); // close() waits for the set to empty
    }
    long ms = clock.millis() - s.startedMillis;
    if (ok) {
      completed.incrementAndGet();
      LOG.info(
          "snapshot {} for replica '{}' sent: sequence {}, {} bytes in {} ms",
          s.id,
          s.replicaId,
          s.sequence,
          s.bytesSent,
          ms);
    } else {
      failed.incrementAndGet();
      LOG.info(
          "snapshot {} for replica '{}' ended after {} of {} bytes in {} ms: {}",
          s.id,
          s.replicaId,
          s.bytesSent,
          s.totalBytes,
          ms,
          why);
    }
  }

  /** Aborts transfers whose replica read nothing for {@code timeoutMillis}. */
  public void expireStalled(long timeoutMillis) {
    long now = clock.millis();
    for (SnapshotSender s : snapshotOfActive()) {
      if (now - s.lastProgressMillis > timeoutMillis) {
        LOG.warn("snapshot {} for replica '{}' stalled; aborting it", s.id, s.replicaId);
        s.abort(SnapshotSender.stalled(timeoutMillis));
      }
    }
  }

  private synchronized void awaitNoneActive(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    long left;
    while (!active.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  private synchronized List<SnapshotSender> snapshotOfActive() {
    return new ArrayList<>(active);
  }

  /** Counters and the transfers in progress. */
  public SnapshotTransferStatus status() {
    List<SnapshotTransferStatus.Transfer> list = new ArrayList<>();
    for (SnapshotSender s : snapshotOfActive()) {
      list.add(
          new SnapshotTransferStatus.Transfer(
              s.id, s.replicaId, s.sequence, s.bytesSent, s.totalBytes, s.startedMillis));
    }
    return new SnapshotTransferStatus(
        list.size(), completed.get(), failed.get(), refused.get(), bytesSent.get(), list);
  }

  /** Aborts every transfer ({@code UNAVAILABLE}) and stops the threads. Idempotent. */
  public void close() {
    List<SnapshotSender> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(active);
    }
    for (SnapshotSender s : all) {
      s.abort(
          StatusMapping.toStatus(
              new ReplicationException(
                  ReplicationException.Reason.CLOSED, "the replication primary is closing")));
    }
    try {
      awaitNoneActive(TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // shutdown, not shutdownNow: a sender may be reading a file.
    executor.shutdown();
    try {
      executor.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
