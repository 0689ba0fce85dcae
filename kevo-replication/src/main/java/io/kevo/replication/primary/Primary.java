package io.kevo.replication.primary;

import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kevo.engine.KevoDB;
import io.kevo.engine.RetentionHold;
import io.kevo.engine.WalAccess;
import io.kevo.proto.replication.Ack;
import io.kevo.proto.replication.AckResponse;
import io.kevo.proto.replication.Nack;
import io.kevo.proto.replication.NackResponse;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.AckResult;
import io.kevo.replication.Compressor;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.PrimaryNode;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.PrimaryStatus;
import io.kevo.replication.ReplicaIdentity;
import io.kevo.replication.SessionManager;
import io.kevo.replication.SnapshotTransferStatus;
import io.kevo.replication.StatusMapping;
import io.kevo.replication.snapshot.SnapshotTransfers;
import io.kevo.replication.wire.CodecCompressor;
import io.kevo.wire.AckLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary side of WAL replication over a {@link KevoDB} the caller owns (and closes after
 * this). Thread-safe.
 *
 * <p>Use: {@code Primary p = Primary.open(db, PrimaryOptions.DEFAULT)}; add {@link
 * #bindableService()} to the gRPC server; report {@link #status()} / {@link #replicas()}; {@link
 * #close()} before closing the database.
 *
 * <p>How it works: one {@link io.kevo.replication.WalObserver} (a {@link WalTail}, an inline
 * observer: fed on the engine's writer thread right after each append) keeps a bounded in-memory
 * tail of recent records and wakes every {@link PrimarySession} (a flag and a task handed to a
 * sender thread, nothing that blocks); each session sends from the tail while its replica keeps up
 * and reads the log files ({@link io.kevo.replication.WalProvider}) while it lags. {@link
 * Retention} holds the log for each replica from its acknowledged position, persisted under {@code
 * <database dir>/replication}. Threads: {@link PrimaryScheduler} ({@code senderThreads} sender
 * threads for the sends, heartbeats and maintenance, and the positions writer).
 *
 * <p>Structure: this class opens and closes the primary and answers its public API; one class per
 * role does the work: {@link SessionRouter} (admitting streams, routing acks and nacks, ending
 * sessions), {@link PrimarySession} (one stream's sending; it sees the primary only through its
 * {@link SessionContext}), {@link AckWaiters} (writes waiting for acknowledgements), {@link
 * ConfirmedReads} (the read ceiling), {@link PrimaryTerm} (the epoch history and the stale check),
 * {@link PrimaryReporter} (status) and {@link SnapshotTransfers} (bootstraps).
 *
 * <p>Reads: with {@link PrimaryOptions#ackLevel()} other than {@code async}, {@code open} installs
 * a {@link io.kevo.engine.ReadCeiling} on the database, so that its readers see only writes a
 * replica acknowledged ({@link #confirmedSequence()}); the server refuses client reads while {@link
 * #readRefusal()} says why (see {@link ConfirmedReads}).
 */
public final class Primary implements PrimaryNode {
  private static final Logger LOG = LoggerFactory.getLogger(Primary.class);
  private static final String OBSERVER_ID = "replication-primary";
  private static final long CLOSE_WAIT_MS = 5000;

  /**
   * How long close waits for the streams to send what the primary wrote before ending them. A
   * caught-up replica (a rolling restart) needs one round of sends; one far behind is not worth
   * holding the shutdown for: it resumes from its acknowledged position when this node is back.
   */
  private static final long FLUSH_WAIT_MS = 2000;

  private final KevoDB db;
  private final WalAccess wal;
  private final PrimaryOptions options;
  private final Compressor compressor = new CodecCompressor();
  private final PrimaryCounters counters = new PrimaryCounters();
  private final Sessions sessions = new Sessions();
  private final EngineWalProvider provider;
  private final WalTail tail;
  private final Retention retention;
  private final SnapshotTransfers snapshots;
  private final AckWaiters acks;
  private final PrimaryTerm term;
  private final SessionRouter router;
  private final PrimaryScheduler scheduler;
  private final PrimaryReporter reporter;
  private final ConfirmedReads reads; // null at ackLevel async: reads see every write
  private final ServerServiceDefinition service;

  private Primary(KevoDB db, PrimaryOptions options, EpochHistory epochs) {
    this.db = db;
    this.wal = db.wal();
    this.options = options;
    Clock clock = options.clock();
    this.term = new PrimaryTerm(epochs, wal, counters);
    this.provider = new EngineWalProvider(wal, clock);
    this.tail =
        new WalTail(options.tailBytes(), clock, () -> sessions.forEach(PrimarySession::logGrew));
    Path stateDir =
        options.stateDirectory() != null
            ? options.stateDirectory()
            : db.directory().resolve("replication");
    this.retention = new Retention(wal, options, stateDir, counters.holdsDropped);
    // Learners are not among the positions: they never count toward a level (see Retention).
    this.acks =
        new AckWaiters(
            () ->
                retention.mapCounted(
                    t -> new AckWaiters.Position(t, t.confirmed, t.session != null)));
    this.snapshots =
        new SnapshotTransfers(db, options, retention::bootstrapped, this::lastSequence, epochs);
    this.reads =
        options.ackLevel().waits()
            ? new ConfirmedReads(retention::confirmed, lastSequence())
            : null;
    this.scheduler =
        new PrimaryScheduler(options, sessions, retention, snapshots, provider, counters);
    this.router = new SessionRouter(wal, tail, retention, sessions, acks, term, counters);
    router.use(
        new SessionContext(
            scheduler.sender(),
            options,
            compressor,
            counters,
            tail,
            provider,
            this::lastSequence,
            acks::waitedRecently,
            router));
    this.reporter = new PrimaryReporter(wal, clock, counters, sessions, retention, tail);
    this.service =
        ServerInterceptors.intercept(
            new ReplicationService(this, term::getEpochs),
            new SessionIdInterceptor(() -> java.util.UUID.randomUUID().toString(), epochs.last()));
  }

  /**
   * Starts serving replication from {@code db}: loads persisted replica positions (re-creating
   * their WAL holds, then releasing the engine's opening hold if {@code db} was opened with {@link
   * io.kevo.engine.Options#holdWalAtOpen()}, which a primary's database should be), subscribes to
   * the log and starts heartbeats and maintenance.
   *
   * <p>Begins a new term ({@link EpochHistory#beginTerm}) in the epoch history kept under {@code
   * <database dir>/replication}: a restart of this node keeps its epoch, taking over from another
   * node's term increments it.
   *
   * @throws UncheckedIOException if the positions file exists but cannot be read
   */
  public static Primary open(KevoDB db, PrimaryOptions options) {
    EpochHistory h = beginTerm(db, false);
    LOG.info("{} begins on {}", h.last(), db.directory());
    return open(db, options, h);
  }

  /**
   * Begins a term of this node as primary of {@code db} and persists it in the epoch history (under
   * {@code <database dir>/replication}).
   *
   * @param promote a promotion: the epoch is the highest seen + 1 (else see {@link
   *     EpochHistory#beginTerm})
   * @return the history with the new term last
   */
  public static EpochHistory beginTerm(KevoDB db, boolean promote) {
    Path dir = db.directory().resolve(ReplicaIdentity.DIRECTORY);
    String nodeId = ReplicaIdentity.loadOrCreate(db.directory());
    EpochHistory h = EpochHistory.load(dir).beginTerm(nodeId, db.wal().nextSequence(), promote);
    h.store(dir);
    LOG.debug("{} begins on {}", h.last(), db.directory());
    return h;
  }

  /**
   * Begins a term of this node as primary of {@code db} with the epoch {@code epoch} (granted by
   * the coordinator) and persists it in the epoch history before anything is written in it.
   *
   * @throws IllegalArgumentException if the history has seen {@code epoch} or a later one
   */
  public static EpochHistory beginTermAt(KevoDB db, long epoch) {
    Path dir = db.directory().resolve(ReplicaIdentity.DIRECTORY);
    String nodeId = ReplicaIdentity.loadOrCreate(db.directory());
    EpochHistory h = EpochHistory.load(dir).beginTermAt(nodeId, db.wal().nextSequence(), epoch);
    h.store(dir);
    LOG.debug("{} begins on {}", h.last(), db.directory());
    return h;
  }

  /** The highest epoch in {@code db}'s epoch history, 0 if it has none. */
  public static long highestEpoch(KevoDB db) {
    long max = 0;
    for (EpochHistory.Term t :
        EpochHistory.load(db.directory().resolve(ReplicaIdentity.DIRECTORY)).terms()) {
      max = Math.max(max, t.epoch());
    }
    return max;
  }

  /**
   * Like {@link #open(KevoDB, PrimaryOptions)} with the given epoch history, whose last term is
   * this primary's (see {@link #beginTerm}).
   */
  public static Primary open(KevoDB db, PrimaryOptions options, EpochHistory epochs) {
    if (epochs.isEmpty()) {
      throw new IllegalArgumentException("a primary needs a term: the epoch history is empty");
    }
    Primary p = new Primary(db, options, epochs);
    try {
      p.retention.load();
    } catch (IOException e) {
      p.scheduler.abandon();
      p.acks.close();
      throw new UncheckedIOException("cannot read the replica positions", e);
    }
    // With Options.holdWalAtOpen the engine kept every segment since open; now that the replicas'
    // own holds exist again, the log may be trimmed down to them.
    RetentionHold opening = p.wal.takeOpeningHold();
    if (opening != null) {
      opening.close();
    }
    p.provider.registerObserver(OBSERVER_ID, p.tail);
    p.tail.startAt(p.wal.nextSequence());
    p.scheduler.start();
    if (p.reads != null) {
      // Last, once nothing can fail. Left installed at close: a closed primary's clients see no
      // more than it confirmed.
      db.readCeiling(p.reads);
    }
    LOG.info("replication primary open on {} ({})", db.directory(), options);
    return p;
  }

  /** The primary's epoch history; its last term is this primary's. */
  public EpochHistory epochs() {
    return term.epochs();
  }

  /**
   * The highest sequence some replica has acknowledged as durable through a session of this primary
   * (not before it opened): it holds every entry up to there. 0 before any acknowledgement. A
   * learner's acknowledgements ({@link io.kevo.replication.ReplicaOptions#learner()}) never move
   * it.
   */
  public long confirmedSequence() {
    return retention.confirmed();
  }

  /**
   * Whether client reads see only confirmed writes ({@link #confirmedSequence()}): with an {@link
   * PrimaryOptions#ackLevel()} other than {@code async}.
   */
  public boolean readsOnlyConfirmed() {
    return reads != null;
  }

  /**
   * Why client reads must be refused now, or null: with {@link #readsOnlyConfirmed()}, from open (a
   * restart, a promotion) until a replica has confirmed the last sequence the primary had then. It
   * cannot tell which of those entries were confirmed before it opened; a read of one no replica
   * has could be taken back by a failover.
   */
  public String readRefusal() {
    return reads == null ? null : reads.refusal();
  }

  /**
   * Why this primary must not take writes any more (a replica has seen a newer epoch: another node
   * was promoted), or null.
   */
  public String supersededBy() {
    return term.supersededBy();
  }

  /** The gRPC service ({@code kevo.replication.WALReplicationService}, session ids included). */
  public ServerServiceDefinition bindableService() {
    return service;
  }

  /** Every replica the primary knows (connected, or holding the log while away). */
  public List<PrimaryStatus.Replica> replicas() {
    return reporter.replicas();
  }

  /** Primary-wide counters and every replica's status. */
  public PrimaryStatus status() {
    return reporter.status();
  }

  /**
   * Completes when {@code level} is met for the write whose (last) sequence is {@code sequence}, or
   * after {@code timeout} with {@link AckResult#confirmed()} false; never exceptionally. Returns at
   * once and never blocks: the future is completed on the thread that recorded the deciding
   * acknowledgement, or on a timer thread, so callbacks must be quick.
   *
   * <p>{@link AckLevel#ASYNC} is met at once. {@code replica:N} counts the replicas the primary
   * knows (connected or not) that acknowledged a position at or past {@code sequence} through a
   * session of this primary (a position loaded from disk or declared at connection does not count):
   * a replica acknowledges only what it made durable. {@code all} means every replica whose stream
   * was open when this method was called (call it right after the write commits): it is met once
   * each of them has acknowledged {@code sequence} or has disconnected (a replica that went away is
   * not waited for until the timeout; it catches up from its own position when it comes back and
   * {@link AckResult#acknowledged()} says how many did confirm). With no replica connected, {@code
   * all} is met at once with 0 of 0.
   *
   * <p>Learners ({@link io.kevo.replication.ReplicaOptions#learner()}: nodes of another shard
   * copying this log for a split) count for neither level: they are never waited for and never meet
   * one, since this shard never elects them.
   *
   * @param timeout how long to wait at most (zero or negative: look once)
   */
  public CompletableFuture<AckResult> awaitAcknowledged(
      long sequence, AckLevel level, Duration timeout) {
    CompletableFuture<AckResult> f = acks.await(sequence, level, timeout.toNanos());
    if (!f.isDone()) {
      // Replicas acknowledge lazily unless asked: ask every stream to acknowledge soon.
      router.requestAcks();
    }
    return f;
  }

  /**
   * Replicas whose stream is open now, learners not included (they must not satisfy {@code
   * --min-replicas-to-write} either: a write only they hold is lost in this shard's failover).
   */
  public int connectedReplicas() {
    return reporter.connectedReplicas();
  }

  /**
   * Acknowledgement waits since the primary opened.
   *
   * @param waits calls of {@link #awaitAcknowledged}
   * @param confirmed waits that met their level
   * @param notConfirmed waits that timed out (or were ended by close)
   * @param pending waits in progress
   */
  public record AckWaitStats(long waits, long confirmed, long notConfirmed, int pending) {}

  /** Counters of {@link #awaitAcknowledged}. */
  public AckWaitStats ackWaitStats() {
    return new AckWaitStats(
        acks.waits.sum(), acks.confirmed.sum(), acks.timedOut.sum(), acks.pending());
  }

  /** Snapshot transfers (replica bootstraps): counters and the ones running. */
  public SnapshotTransferStatus snapshotTransfers() {
    return snapshots.status();
  }

  /**
   * {@inheritDoc}
   *
   * @throws io.kevo.replication.ReplicationException (without touching {@code responses}) {@code
   *     BOOTSTRAP_LIMIT}, {@code INVALID_REQUEST} or {@code CLOSED}; the gRPC service ends the call
   *     with the mapped status
   */
  @Override
  public void fetchSnapshot(
      io.kevo.proto.replication.SnapshotRequest request,
      StreamObserver<io.kevo.proto.replication.SnapshotChunk> responses) {
    snapshots.fetch(request, responses);
  }

  /** The live sessions. */
  public SessionManager<? extends SessionManager.Session> sessions() {
    return sessions;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A {@code start_sequence} of 0 means 1. A new stream of a replica id that has one open
   * supersedes it (the old one ends with {@code ABORTED}).
   *
   * @throws io.kevo.replication.ReplicationException (without touching {@code responses}) {@code
   *     POSITION_NOT_RETAINED}, {@code AHEAD_OF_PRIMARY}, {@code INVALID_REQUEST} or {@code CLOSED}
   *     when the stream is refused; the gRPC service ends the call with the mapped status
   */
  @Override
  public void streamWal(
      String sessionId, WALStreamRequest request, StreamObserver<WALStreamResponse> responses) {
    router.streamWal(sessionId, request, responses);
  }

  @Override
  public AckResponse acknowledge(String sessionId, Ack request) {
    return router.acknowledge(sessionId, request);
  }

  @Override
  public NackResponse negativeAcknowledge(String sessionId, Nack request) {
    return router.negativeAcknowledge(sessionId, request);
  }

  /**
   * Ends every stream ({@code UNAVAILABLE}, reason {@code CLOSED}: the replica should reconnect)
   * once it has been sent every record written so far (waiting at most {@value #FLUSH_WAIT_MS} ms
   * for that), stops the threads, persists replica positions and releases the WAL holds. Writes
   * still waiting for acknowledgements are answered as not confirmed. Idempotent; throws nothing.
   * Does not close the database.
   */
  @Override
  public void close() {
    if (!router.beginClose()) {
      return;
    }
    provider.unregisterObserver(OBSERVER_ID);
    acks.close(); // writes still waiting are answered as not confirmed
    StatusRuntimeException ending = StatusMapping.toStatus(SessionRouter.closing());
    router.endAll(lastSequence(), ending, FLUSH_WAIT_MS, CLOSE_WAIT_MS);
    scheduler.shutdown(CLOSE_WAIT_MS);
    snapshots.close();
    retention.close();
    provider.close();
    compressor.close();
    LOG.info("replication primary on {} closed", db.directory());
  }

  /** The last sequence written. */
  private long lastSequence() {
    return wal.nextSequence() - 1;
  }
}
