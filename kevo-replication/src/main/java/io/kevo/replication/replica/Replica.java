package io.kevo.replication.replica;

import io.grpc.Channel;
import io.kevo.engine.KevoDB;
import io.kevo.replication.Compressor;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.ReplicaIdentity;
import io.kevo.replication.ReplicaNode;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicaState;
import io.kevo.replication.ReplicaStatus;
import io.kevo.replication.wire.CodecCompressor;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica side of WAL replication ({@link ReplicaNode}): streams the primary's log into a local
 * {@link KevoDB} at the primary's sequence numbers, makes it durable and acknowledges it, and
 * reconnects forever.
 *
 * <p>One thread, {@code kevo-replica-<id>}, does everything that matters in order: it opens the
 * {@code StreamWAL} call from the database's own next sequence (so a restarted replica neither
 * re-applies nor skips anything), takes the stream's messages from a queue that gRPC flow control
 * keeps small ({@link ReplicaStream}), assembles records ({@link
 * io.kevo.replication.wire.RecordAssembler}), applies each record (an atomic batch as one unit,
 * visible all at once), ignores what it already has, nacks a gap or a damaged entry once (from the
 * first sequence it lacks) and discards what follows until the primary resends it, syncs and
 * acknowledges at most every {@link ReplicaOptions#ackInterval()} (coalesced; the Acknowledge call
 * is asynchronous, at most one in flight, its answer coming back as an event, so that applying
 * never waits for a network round trip), and on any stream failure, refusal or {@link
 * ReplicaOptions#idleTimeout() idle timeout} moves to {@link ReplicaState#ERROR}, waits a jittered
 * exponential backoff and connects again. Every state change goes through {@link
 * ReplicaStateMachine}. When the local database fails to apply or sync, {@link LocalRefusal}
 * decides: a full disk is waited out in ERROR without streaming, a database needing a reopen stops
 * replication.
 *
 * <p>Refusals: {@code POSITION_NOT_RETAINED} (the primary no longer holds the log from this
 * replica's position; also what an empty replica hears from a primary whose log was trimmed) moves
 * to {@link ReplicaState#BOOTSTRAPPING}: the replica fetches a snapshot of the primary and replaces
 * its contents with it ({@link SnapshotFetch}; reads are refused meanwhile), then streams from the
 * snapshot's sequence + 1, which the primary holds for it; a failed attempt backs off and starts
 * over (with {@link ReplicaOptions#bootstrap()} false it retries at the maximum backoff instead).
 * Progress is in {@link ReplicaStatus#bootstrap()} and logged. {@code AHEAD_OF_PRIMARY} (never
 * resolved by discarding local data) leaves the replica retrying at the maximum backoff, with the
 * reason in {@link #status()}.
 *
 * <p>Epochs ({@link EpochHistory}): before each stream the replica asks for the primary's epoch
 * history ({@code GetEpochs}). It refuses a primary older than the newest epoch it has seen ({@code
 * STALE_EPOCH}: retried at the maximum backoff, local data kept); if its own entries from some
 * sequence on are not in the primary's history, it records them ({@link DiscardReport}) and
 * bootstraps, which discards them; otherwise it adopts the primary's history (written before
 * anything of the stream is applied) and streams, checking that the stream's term header is the one
 * {@code GetEpochs} described. The report reads the entries from the local log, which the engine
 * flushes and trims at open: open the database with {@link io.kevo.engine.Options#holdWalAtOpen()}
 * and the replica releases that hold once its history has passed this check.
 *
 * <p>{@link #stop()} ends the stream: the record being applied completes, a batch still partly
 * received is dropped (it is streamed again next time), what was applied is synced and
 * acknowledged, and the thread is joined; it is never interrupted. The database is owned by the
 * caller: stop the replica before closing it. Nothing else may write to the database meanwhile.
 *
 * <p>Structure: this class is the lifecycle coordinator (start, stop, getters, status). The thread
 * runs {@link ReplicaLoop}, which dispatches to one class per job, each owned by that thread:
 * {@link ReplicaConnection} (the channel, the calls, the backoff), {@link ReplicaEpochs} (the epoch
 * check), {@link ApplyPipeline} (assembling and group-applying records) with {@link GapNacker}
 * (gaps and nacks), {@link Acknowledger} (sync, then acknowledge, the calls made by {@link
 * AckSender}) and {@link ReplicaBootstrap} (the snapshot bootstrap); what they count and report is
 * in {@link ReplicaCounters}.
 *
 * <p>Thread-safe: {@link #start()}, {@link #stop()} and the getters may be called from any thread.
 */
public final class Replica implements ReplicaNode {
  private static final Logger LOG = LoggerFactory.getLogger(Replica.class);

  private final String replicaId;
  private final ReplicaOptions options;
  private final ReplicaStateMachine machine;
  private final Compressor compressor;
  private final ReplicaCounters counters;
  private final ReplicaEpochs epochs;
  private final ReplicaLoop loop;
  private final List<LongConsumer> appliedListeners = new CopyOnWriteArrayList<>();

  private final Object lifecycle = new Object();
  private Thread thread; // guarded by lifecycle
  private volatile boolean stopped;

  /**
   * A replica of the primary {@code primary} leads to, into {@code db}. Reads (or creates) the
   * replica id; does not connect until {@link #start()}.
   *
   * @param primary called once per connection attempt for the channel to the primary's replication
   *     service; the caller owns the channel (it may return the same one every time)
   */
  public Replica(KevoDB db, Supplier<? extends Channel> primary, ReplicaOptions options) {
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(primary, "primary");
    this.options = Objects.requireNonNull(options, "options");
    this.replicaId =
        options.replicaId() != null
            ? options.replicaId()
            : ReplicaIdentity.loadOrCreate(db.directory());
    this.machine = new ReplicaStateMachine(replicaId, options.clock());
    this.compressor = new CodecCompressor(options.maxDecompressedBytes());
    this.counters = new ReplicaCounters(db.wal().nextSequence() - 1, db.wal().durableSequence());
    this.epochs = new ReplicaEpochs(db, options, replicaId);
    this.loop =
        new ReplicaLoop(
            db,
            new EngineApplier(db),
            compressor,
            options,
            replicaId,
            machine,
            counters,
            new ReplicaConnection(primary, options, counters),
            epochs,
            this::notifyApplied);
  }

  /**
   * The replica's epoch history: the terms of its entries (adopted from its primary, which it has
   * checked it does not diverge from, before each stream).
   */
  public EpochHistory epochs() {
    return epochs.history();
  }

  /** This replica's id (sent as {@code replica_id}). */
  public String replicaId() {
    return replicaId;
  }

  /** The state machine, to observe transitions. */
  public ReplicaStateMachine stateMachine() {
    return machine;
  }

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (loop.stopping()) {
        throw new IllegalStateException("replica " + replicaId + " was stopped; create a new one");
      }
      if (thread != null) {
        return;
      }
      thread = new Thread(loop::run, "kevo-replica-" + replicaId);
      thread.setDaemon(true);
      thread.start();
    }
  }

  @Override
  public void stop() {
    Thread t;
    synchronized (lifecycle) {
      t = thread;
      if (!loop.stopping()) {
        loop.requestStop();
      }
    }
    if (t != null && t != Thread.currentThread()) {
      boolean interrupted = false;
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          // Keep waiting: the thread may be in file I/O and finishes within the RPC deadlines.
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    stopped = true;
    compressor.close();
  }

  @Override
  public long getLastAppliedSequence() {
    return counters.lastApplied;
  }

  /**
   * Calls {@code listener} with the new last applied sequence each time a record has been applied
   * (and is visible to reads). It runs on the apply thread: it must be quick and never block; an
   * exception it throws is logged and ignored.
   */
  public void addAppliedListener(LongConsumer listener) {
    appliedListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private void notifyApplied(long sequence) {
    for (LongConsumer l : appliedListeners) {
      try {
        l.accept(sequence);
      } catch (RuntimeException e) {
        LOG.warn("replica {}: an applied-sequence listener failed", replicaId, e);
      }
    }
  }

  @Override
  public ReplicaState getCurrentState() {
    return machine.current();
  }

  /** The state's name, or {@code "STOPPED"} once {@link #stop()} returned. */
  @Override
  public String getStateString() {
    return stopped ? "STOPPED" : machine.current().name();
  }

  /** A consistent-enough snapshot of the replica's progress and health (fields read one by one). */
  public ReplicaStatus status() {
    Instant now = options.clock().instant();
    boolean running;
    synchronized (lifecycle) {
      running = thread != null && thread.isAlive() && !stopped;
    }
    return counters.status(replicaId, machine, running, now);
  }
}
