package io.kevo.replication;

import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kevo.engine.KevoDB;
import io.kevo.engine.RetentionHold;
import io.kevo.engine.WalAccess;
import io.kevo.proto.replication.Ack;
import io.kevo.proto.replication.AckResponse;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.proto.replication.Nack;
import io.kevo.proto.replication.NackResponse;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.wire.AckLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>How it works: one {@link WalObserver} (a {@link WalTail}, an inline observer: fed on the
 * engine's writer thread right after each append) keeps a bounded in-memory tail of recent records
 * and wakes every {@link PrimarySession} (a flag and a task handed to a sender thread, nothing that
 * blocks); each session sends from the tail while its replica keeps up and reads the log files
 * ({@link WalProvider}) while it lags. {@link Retention} holds the log for each replica from its
 * acknowledged position, persisted under {@code <database dir>/replication}. Threads: {@code
 * senderThreads} sender threads run the sessions' sends, heartbeats and a maintenance tick
 * (timeouts, retention limits); one more thread writes the coalesced positions file, whose fsync
 * (tens of milliseconds on a busy disk, seconds at worst) must not hold up the sends of a sender
 * thread. They are stopped by shutdown and never interrupted (they read and write files).
 *
 * <p>Reads: with {@link PrimaryOptions#ackLevel()} other than {@code async}, {@code open} installs
 * a {@link io.kevo.engine.ReadCeiling} on the database, so that its readers see only writes a
 * replica acknowledged ({@link #confirmedSequence()}); the server refuses client reads while {@link
 * #readRefusal()} says why (see {@link ConfirmedReads}).
 */
public final class Primary implements PrimaryNode {
  private static final Logger LOG = LoggerFactory.getLogger(Primary.class);
  private static final String OBSERVER_ID = "replication-primary";
  private static final long LIMITS_EVERY_MS = 1000;
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
  private final Clock clock;
  private final Compressor compressor = new CodecCompressor();
  private final PrimaryCounters counters = new PrimaryCounters();
  private final Sessions sessions = new Sessions();
  private final ScheduledThreadPoolExecutor executor;
  private final ScheduledThreadPoolExecutor positionsWriter;
  private final EngineWalProvider provider;
  private final WalTail tail;
  private final Retention retention;
  private final SnapshotTransfers snapshots;
  private final ServerServiceDefinition service;
  private final AckWaiters acks;
  private final EpochHistory epochs;
  private final ConfirmedReads reads; // null at ackLevel async: reads see every write
  private volatile String supersededBy; // why client writes are refused; null: not superseded
  private final Object lifecycle = new Object();
  private boolean closed; // guarded by lifecycle
  private long lastLimitsCheck;

  private Primary(KevoDB db, PrimaryOptions options, EpochHistory epochs) {
    this.db = db;
    this.epochs = epochs;
    this.wal = db.wal();
    this.options = options;
    this.clock = options.clock();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf =
        r -> {
          Thread t = new Thread(r, "kevo-repl-primary-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.executor = new SurfacingScheduledExecutor(options.senderThreads(), tf);
    this.executor.setRemoveOnCancelPolicy(true);
    this.positionsWriter =
        new SurfacingScheduledExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "kevo-repl-positions");
              t.setDaemon(true);
              return t;
            });
    this.provider = new EngineWalProvider(wal, clock);
    this.tail = new WalTail(options.tailBytes(), clock, this::wakeSessions);
    Path stateDir =
        options.stateDirectory() != null
            ? options.stateDirectory()
            : db.directory().resolve("replication");
    this.retention = new Retention(wal, options, stateDir, counters.holdsDropped);
    this.acks =
        new AckWaiters(
            () -> retention.map(t -> new AckWaiters.Position(t, t.confirmed, t.session != null)));
    this.snapshots = new SnapshotTransfers(db, options, retention, this::lastSequence, epochs);
    this.reads =
        options.ackLevel().waits()
            ? new ConfirmedReads(retention::confirmed, lastSequence())
            : null;
    this.service =
        ServerInterceptors.intercept(
            new ReplicationService(this),
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
      p.executor.shutdown();
      p.acks.close();
      p.positionsWriter.shutdown();
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
    long hb = options.heartbeatInterval().toMillis();
    p.executor.scheduleAtFixedRate(p::heartbeat, hb, hb, TimeUnit.MILLISECONDS);
    long tick =
        Math.max(
            10,
            Math.min(
                options.positionsFlushInterval().toMillis(),
                options.sessionTimeout().toMillis() / 5));
    p.executor.scheduleAtFixedRate(p::maintain, tick, tick, TimeUnit.MILLISECONDS);
    p.positionsWriter.scheduleAtFixedRate(p::writePositions, tick, tick, TimeUnit.MILLISECONDS);
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
    return epochs;
  }

  /**
   * The epoch history and the next sequence ({@code GetEpochs}).
   *
   * @throws ReplicationException STALE_EPOCH if the caller has seen a newer term
   */
  io.kevo.proto.replication.EpochHistory getEpochs(
      io.kevo.proto.replication.EpochsRequest request) {
    checkNotStale(
        request.getLastEpoch(),
        request.getLastTermId(),
        request.getReplicaId(),
        request.getListenerAddress());
    return io.kevo.proto.replication.EpochHistory.newBuilder()
        .addAllRecords(epochs.toProto())
        .setNextSequence(wal.nextSequence())
        .build();
  }

  /**
   * The highest sequence some replica has acknowledged as durable through a session of this primary
   * (not before it opened): it holds every entry up to there. 0 before any acknowledgement.
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
    return supersededBy;
  }

  /** The gRPC service ({@code kevo.replication.WALReplicationService}, session ids included). */
  public ServerServiceDefinition bindableService() {
    return service;
  }

  /** Every replica the primary knows (connected, or holding the log while away). */
  public List<PrimaryStatus.Replica> replicas() {
    long last = lastSequence();
    long now = clock.millis();
    return retention.map(
        t -> {
          PrimarySession s = t.session;
          long lagEntries = Math.max(0, last - t.lastAcked);
          long lagMillis = 0;
          if (lagEntries > 0) {
            long at = tail.writtenAtMillis(t.lastAcked + 1);
            lagMillis = at < 0 ? 0 : Math.max(0, now - at);
          }
          return new PrimaryStatus.Replica(
              t.anonymous ? "" : t.key,
              t.address == null ? "" : t.address,
              s != null,
              s != null ? s.id() : "",
              t.lastAcked,
              lagEntries,
              lagMillis,
              t.bytesRaw.get(),
              t.bytesWire.get(),
              t.entriesSent.get(),
              t.resends.get(),
              t.connectCount,
              t.hold != null ? t.hold.fromSequence() : -1,
              t.holdDropped,
              t.lastSeenMillis);
        });
  }

  /** Primary-wide counters and every replica's status. */
  public PrimaryStatus status() {
    return new PrimaryStatus(
        lastSequence(),
        wal.firstRetainedSequence(),
        wal.durableSequence(),
        sessions.countSessions(),
        counters.sessionsOpened.sum(),
        counters.sessionsTimedOut.sum(),
        counters.streamsRefused.sum(),
        counters.bytesRaw.sum(),
        counters.bytesWire.sum(),
        counters.entries.sum(),
        counters.responses.sum(),
        counters.heartbeats.sum(),
        counters.resends.sum(),
        counters.recordsReadFromLog.sum(),
        tail.bytes(),
        counters.holdsDropped.sum(),
        replicas());
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
   * @param timeout how long to wait at most (zero or negative: look once)
   */
  public CompletableFuture<AckResult> awaitAcknowledged(
      long sequence, AckLevel level, Duration timeout) {
    CompletableFuture<AckResult> f = acks.await(sequence, level, timeout.toNanos());
    if (!f.isDone()) {
      // Replicas acknowledge lazily unless asked: ask every stream to acknowledge soon.
      for (PrimarySession s : sessions.all()) {
        s.requestAck();
      }
    }
    return f;
  }

  /** Replicas whose stream is open now. */
  public int connectedReplicas() {
    int n = 0;
    for (boolean c : retention.map(t -> t.session != null)) {
      n += c ? 1 : 0;
    }
    return n;
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
   * @throws ReplicationException (without touching {@code responses}) {@code BOOTSTRAP_LIMIT},
   *     {@code INVALID_REQUEST} or {@code CLOSED}; the gRPC service ends the call with the mapped
   *     status
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
   * @throws ReplicationException (without touching {@code responses}) {@code
   *     POSITION_NOT_RETAINED}, {@code AHEAD_OF_PRIMARY}, {@code INVALID_REQUEST} or {@code CLOSED}
   *     when the stream is refused; the gRPC service ends the call with the mapped status
   */
  @Override
  public void streamWal(
      String sessionId, WALStreamRequest request, StreamObserver<WALStreamResponse> responses) {
    String replicaId = request.getReplicaId();
    String address = request.getListenerAddress();
    if (replicaId.length() > 256 || address.length() > 1024) {
      counters.streamsRefused.increment();
      throw new ReplicationException(
          ReplicationException.Reason.INVALID_REQUEST,
          "replica_id (at most 256 characters) or listener_address (1024) too long");
    }
    checkNotStale(
        request.getLastEpoch(),
        request.getLastTermId(),
        request.getReplicaId(),
        request.getListenerAddress());
    long start = Math.max(1, request.getStartSequence());
    CompressionCodec codec = negotiate(request);
    PrimarySession session =
        new PrimarySession(sessionId, this, responses, codec, request.getAcceptPacked(), start);
    PrimarySession[] previous = new PrimarySession[1];
    Retention.Tracked t;
    synchronized (lifecycle) {
      if (closed) {
        throw closing();
      }
      // The hold comes first, then the check: the log cannot be trimmed past `start` in between.
      t = retention.attach(replicaId, address, start, session, previous);
      session.install(t);
      try {
        checkPosition(start);
      } catch (ReplicationException e) {
        retention.refused(t, session);
        counters.streamsRefused.increment();
        supersede(previous[0], sessionId);
        LOG.info(
            "refused stream of replica '{}' from sequence {}: {}",
            replicaId,
            start,
            e.getMessage());
        throw e;
      }
      sessions.registerSession(sessionId, session);
    }
    counters.sessionsOpened.increment();
    supersede(previous[0], sessionId);
    LOG.info(
        "session {}: replica '{}' ({}) streams from sequence {}, codec {}{}",
        sessionId,
        replicaId,
        address,
        start,
        codec,
        request.getAcceptPacked() && codec != CompressionCodec.NONE ? " packed" : "");
    session.schedule();
  }

  /**
   * Refuses a replica that has seen a newer term than this primary's: this primary has been
   * superseded, and from now on refuses client writes ({@link #supersededBy()}).
   */
  private void checkNotStale(long theirs, String theirTerm, String replicaId, String address) {
    if (theirs == 0) {
      return;
    }
    EpochHistory.Term mine = epochs.last();
    if (epochs.contains(theirs, theirTerm)) {
      return;
    }
    if (theirs < mine.epoch()) {
      return; // an older term we do not have: the replica sees its divergence from GetEpochs
    }
    String why =
        "this primary is stale: replica '"
            + replicaId
            + "' ("
            + address
            + ") has seen epoch "
            + theirs
            + " (term "
            + theirTerm
            + "), not in this primary's history, whose "
            + mine
            + (theirs > mine.epoch()
                ? " is older: another node was promoted"
                : ": two nodes were made primary of epoch " + theirs);
    counters.streamsRefused.increment();
    if (supersededBy == null) {
      supersededBy = why;
      LOG.error("this primary is superseded and refuses client writes from now on: {}", why);
    }
    throw new ReplicationException(ReplicationException.Reason.STALE_EPOCH, why);
  }

  @Override
  public AckResponse acknowledge(String sessionId, Ack request) {
    PrimarySession s = session(sessionId);
    long upTo = request.getAcknowledgedUpTo();
    // What the replica can hold: what it had when the stream began (start_sequence - 1, which
    // covers what earlier streams sent it) plus what this stream has sent since. Beyond that it
    // claims records it cannot have (a confused replica, or a bug): crediting it, even capped,
    // would answer success to a false claim, so it is refused and nothing moves.
    long sent = s.sentUpTo();
    if (upTo > sent) {
      LOG.warn(
          "session {}: refused an ack of {}, beyond what it was sent ({})", sessionId, upTo, sent);
      throw new ReplicationException(
          ReplicationException.Reason.INVALID_REQUEST,
          "acknowledged_up_to "
              + upTo
              + " is beyond the last sequence sent on this session ("
              + sent
              + "); nothing acknowledged");
    }
    s.acknowledge(upTo);
    retention.acknowledged(s.replica(), upTo);
    acks.acknowledged();
    return AckResponse.newBuilder().setSuccess(true).build();
  }

  @Override
  public NackResponse negativeAcknowledge(String sessionId, Nack request) {
    PrimarySession s = session(sessionId);
    long from = Math.max(1, request.getMissingFromSequence());
    checkPosition(from);
    s.rewind(from);
    return NackResponse.newBuilder().setSuccess(true).setMessage("resending from " + from).build();
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
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
    }
    provider.unregisterObserver(OBSERVER_ID);
    acks.close(); // writes still waiting are answered as not confirmed
    StatusRuntimeException ending = StatusMapping.toStatus(closing());
    long last = lastSequence();
    for (PrimarySession s : sessions.all()) {
      s.closeAfterSending(last, ending);
    }
    try {
      if (!sessions.awaitEmpty(TimeUnit.MILLISECONDS.toNanos(FLUSH_WAIT_MS))) {
        LOG.info(
            "{} replica stream(s) not sent up to sequence {} within {} ms; ending them anyway",
            sessions.countSessions(),
            last,
            FLUSH_WAIT_MS);
        for (PrimarySession s : sessions.all()) {
          s.close(ending);
        }
        sessions.awaitEmpty(TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // shutdown, not shutdownNow: a sender may be reading a WAL segment, the positions writer
    // writing its file.
    executor.shutdown();
    positionsWriter.shutdown();
    try {
      if (!executor.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
        LOG.warn("replication sender threads did not stop within {} ms", CLOSE_WAIT_MS);
      }
      if (!positionsWriter.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
        LOG.warn("the replica positions writer did not stop within {} ms", CLOSE_WAIT_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    snapshots.close();
    retention.close();
    provider.close();
    compressor.close();
    LOG.info("replication primary on {} closed", db.directory());
  }

  // ---- for sessions ----

  Executor executor() {
    return executor;
  }

  java.util.concurrent.ScheduledExecutorService scheduler() {
    return executor;
  }

  PrimaryOptions options() {
    return options;
  }

  Compressor compressor() {
    return compressor;
  }

  WalTail tail() {
    return tail;
  }

  EngineWalProvider provider() {
    return provider;
  }

  PrimaryCounters counters() {
    return counters;
  }

  Clock clock() {
    return clock;
  }

  long lastSequence() {
    return wal.nextSequence() - 1;
  }

  long nowMicros() {
    Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  /** Called by a session once its stream has ended. */
  void sessionEnded(PrimarySession s, io.grpc.StatusRuntimeException status) {
    sessions.unregister(s);
    retention.detach(s.replica(), s);
    acks.disconnected();
    LOG.info(
        "session {}: stream ended ({} {})",
        s.id(),
        status.getStatus().getCode(),
        status.getStatus().getDescription());
  }

  // ---- internals ----

  private static CompressionCodec negotiate(WALStreamRequest r) {
    if (!r.getCompressionSupported()) {
      return CompressionCodec.NONE;
    }
    return switch (r.getPreferredCodec()) {
      case ZSTD -> CompressionCodec.ZSTD;
      case SNAPPY -> CompressionCodec.SNAPPY;
      default -> CompressionCodec.NONE;
    };
  }

  /** Whether the primary can send from {@code sequence} (the log or the tail holds it). */
  private void checkPosition(long sequence) {
    long next = wal.nextSequence();
    if (sequence > next) {
      throw EngineWalProvider.aheadOfPrimary(sequence, next);
    }
    long first = wal.firstRetainedSequence();
    if (sequence < first && tail.from(sequence, 1) == null) {
      throw EngineWalProvider.notRetained(sequence, first, null);
    }
  }

  private PrimarySession session(String sessionId) {
    return sessions
        .getSession(sessionId)
        .orElseThrow(
            () ->
                new ReplicationException(
                    ReplicationException.Reason.UNKNOWN_SESSION,
                    "no live replication session " + sessionId));
  }

  private static ReplicationException closing() {
    return new ReplicationException(
        ReplicationException.Reason.CLOSED, "the replication primary is closing");
  }

  private static void supersede(PrimarySession old, String by) {
    if (old != null) {
      old.close(
          StatusMapping.toStatus(
              new ReplicationException(
                  ReplicationException.Reason.SUPERSEDED,
                  "superseded by session " + by + " of the same replica")));
    }
  }

  /** Run by the writer after each record the tail appended (the tail is an inline observer). */
  private void wakeSessions() {
    sessions.forEach(PrimarySession::logGrew);
  }

  private void heartbeat() {
    try {
      sessions.broadcastBatch(WALStreamResponse.getDefaultInstance());
    } catch (RuntimeException e) {
      LOG.error("heartbeat failed", e);
    }
  }

  private void maintain() {
    try {
      long now = clock.millis();
      long timeout = options.sessionTimeout().toMillis();
      for (PrimarySession s : sessions.all()) {
        if (s.stalled(now, timeout)) {
          counters.sessionsTimedOut.increment();
          LOG.warn(
              "session {}: replica '{}' neither read nor acknowledged for {} ms; closing it",
              s.id(),
              s.replica().key,
              timeout);
          s.close(
              StatusMapping.toStatus(
                  new ReplicationException(
                      ReplicationException.Reason.STALLED,
                      "the replica neither read the stream nor acknowledged for "
                          + timeout
                          + " ms")));
        } else {
          s.schedule(); // a safety net: no wake-up can be lost for longer than a tick
        }
      }
      snapshots.expireStalled(timeout);
      if (now - lastLimitsCheck >= LIMITS_EVERY_MS) {
        lastLimitsCheck = now;
        retention.enforceLimits();
        provider.expireParked();
      }
    } catch (RuntimeException e) {
      LOG.error("replication maintenance failed", e);
    }
  }

  /** On the positions writer: the coalesced write of acknowledged positions, when due. */
  private void writePositions() {
    try {
      retention.flushIfDue();
    } catch (RuntimeException e) {
      LOG.error("writing replica positions failed", e);
    }
  }
}
