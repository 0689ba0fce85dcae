package io.kevo.replication;

import static io.kevo.replication.ReplicaState.ACKNOWLEDGING;
import static io.kevo.replication.ReplicaState.APPLYING_ENTRIES;
import static io.kevo.replication.ReplicaState.BOOTSTRAPPING;
import static io.kevo.replication.ReplicaState.CONNECTING;
import static io.kevo.replication.ReplicaState.ERROR;
import static io.kevo.replication.ReplicaState.FSYNC_PENDING;
import static io.kevo.replication.ReplicaState.STREAMING_ENTRIES;
import static io.kevo.replication.ReplicaState.WAITING_FOR_DATA;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoException;
import io.kevo.engine.WalRecord;
import io.kevo.proto.replication.Ack;
import io.kevo.proto.replication.AckResponse;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.proto.replication.Nack;
import io.kevo.proto.replication.NackResponse;
import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.proto.replication.WALReplicationServiceGrpc.WALReplicationServiceBlockingStub;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.RecordAssembler.Assembled;
import io.kevo.replication.RecordAssembler.Rejection;
import io.kevo.replication.ReplicaStream.Closed;
import io.kevo.replication.ReplicaStream.Event;
import io.kevo.replication.ReplicaStream.Headers;
import io.kevo.replication.ReplicaStream.Message;
import io.kevo.replication.ReplicationException.Reason;
import io.kevo.wire.WireMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * keeps small ({@link ReplicaStream}), assembles records ({@link RecordAssembler}), applies each
 * record (an atomic batch as one unit, visible all at once), ignores what it already has, nacks a
 * gap or a damaged entry once (from the first sequence it lacks) and discards what follows until
 * the primary resends it, syncs and acknowledges at most every {@link ReplicaOptions#ackInterval()}
 * (coalesced; the Acknowledge call is asynchronous, at most one in flight, its answer coming back
 * as an event, so that applying never waits for a network round trip), and on any stream failure,
 * refusal or {@link ReplicaOptions#idleTimeout() idle timeout} moves to {@link ReplicaState#ERROR},
 * waits a jittered exponential backoff and connects again. Every state change goes through {@link
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
 * <p>Thread-safe: {@link #start()}, {@link #stop()} and the getters may be called from any thread.
 */
public final class Replica implements ReplicaNode {
  private static final Logger LOG = LoggerFactory.getLogger(Replica.class);

  /** Wakes the apply thread to notice {@link #stopping}. */
  private static final Object WAKE = new Object();

  /** The answer to an Acknowledge call of {@code stream}: a response, or an error. */
  private record AckDone(ReplicaStream stream, long upTo, AckResponse response, Throwable error) {}

  /** A background sync started during {@code stream} ended: durable up to, or an error. */
  private record SyncDone(ReplicaStream stream, long durable, RuntimeException error) {}

  private final KevoDB db;
  private final EngineApplier applier;
  private final Supplier<? extends Channel> primary;
  private final ReplicaOptions options;
  private final String replicaId;
  private final ReplicaStateMachine machine;
  private final Compressor compressor;
  private final RecordAssembler assembler;
  private final ReplicaBackoff backoff;
  private final LocalRefusal localRefusal;
  private final ReplicaLag lag = new ReplicaLag();
  private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final java.util.concurrent.ExecutorService syncer;
  private final long ackNanos; // options.ackInterval()
  private final long lazyAckNanos; // options.lazyAckInterval(), at least ackNanos

  private final Object lifecycle = new Object();
  private Thread thread; // guarded by lifecycle
  private volatile boolean stopping;
  private volatile boolean stopped;

  // Counters: written by the apply thread only, read by status().
  private final AtomicLong wireBytes = new AtomicLong();
  private final AtomicLong uncompressedBytes = new AtomicLong();
  private final AtomicLong entriesApplied = new AtomicLong();
  private final AtomicLong batchesApplied = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong nacksSent = new AtomicLong();
  private final AtomicLong acksSent = new AtomicLong();
  private final AtomicLong checksumFailures = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong bootstrapsCompleted = new AtomicLong();
  private volatile BootstrapProgress bootstrap;
  private volatile long lastApplied;
  private final List<LongConsumer> appliedListeners = new CopyOnWriteArrayList<>();
  private volatile long durable;
  private volatile long acked;
  private volatile String lastError;
  private volatile Reason refusal;
  private volatile String sessionId;
  private volatile Instant connectedSince;
  private volatile EpochHistory epochs;
  private final java.nio.file.Path stateDir;

  // Apply-thread state.
  private ReplicaStream stream;
  private Channel channel; // of the current connection attempt
  private long streamCount;
  private EpochHistory.Term primaryTerm; // the term GetEpochs described for the current stream
  private long divergedAt = -1; // the first local sequence not in the primary's history
  private long reportedDivergence = -1;

  /** Records applied in one engine write at most (bounds the group's memory and latency). */
  private static final int MAX_READY_OPS = 4096;

  private long expected; // the next sequence to apply
  // Records of the current message ready to apply, in order from `expected`; applied together.
  private final List<WalRecord> ready = new ArrayList<>();
  private long readyNext; // the sequence after the last ready record
  private int readyOps;
  private long ackDueNanos = -1; // when applied records must be synced and acked; -1: none
  private java.util.concurrent.Future<?> syncTask; // the background sync running, or null
  private boolean syncWanted; // an ack fell due while a sync ran: sync again when it ends
  private long ackAskedUpTo; // the primary asked for acks up to (its position when it asked)
  private boolean ackInFlight; // an Acknowledge call of the current stream has not answered yet
  // Acknowledged on the current stream: a new primary (restarted, promoted) knows nothing of what
  // this replica acknowledged to another, and waits for it to confirm what it holds.
  private long streamAcked;
  private long ackWanted = -1; // durable position to acknowledge once it has; -1: none
  private long nackedSequence = -1; // the gap last nacked, until progress
  private long nackedAtNanos;
  private long lastHeardNanos;
  private int failures; // consecutive connections that delivered nothing

  /**
   * A replica of the primary {@code primary} leads to, into {@code db}. Reads (or creates) the
   * replica id; does not connect until {@link #start()}.
   *
   * @param primary called once per connection attempt for the channel to the primary's replication
   *     service; the caller owns the channel (it may return the same one every time)
   */
  public Replica(KevoDB db, Supplier<? extends Channel> primary, ReplicaOptions options) {
    this.db = Objects.requireNonNull(db, "db");
    this.primary = Objects.requireNonNull(primary, "primary");
    this.options = Objects.requireNonNull(options, "options");
    this.applier = new EngineApplier(db);
    this.replicaId =
        options.replicaId() != null
            ? options.replicaId()
            : ReplicaIdentity.loadOrCreate(db.directory());
    this.machine = new ReplicaStateMachine(replicaId, options.clock());
    this.compressor = new CodecCompressor(options.maxDecompressedBytes());
    this.assembler = new RecordAssembler(compressor, options.maxRecordBytes());
    this.backoff =
        new ReplicaBackoff(options.initialBackoff(), options.maxBackoff(), options.random().get());
    this.localRefusal = new LocalRefusal(db, replicaId, options);
    this.lastApplied = db.wal().nextSequence() - 1;
    this.durable = db.wal().durableSequence();
    lag.onApplied(lastApplied);
    this.ackNanos = options.ackInterval().toNanos();
    this.lazyAckNanos = Math.max(ackNanos, options.lazyAckInterval().toNanos());
    this.stateDir = db.directory().resolve(ReplicaIdentity.DIRECTORY);
    this.epochs = EpochHistory.load(stateDir);
    this.syncer =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "kevo-replica-sync-" + replicaId);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The replica's epoch history: the terms of its entries (adopted from its primary, which it has
   * checked it does not diverge from, before each stream).
   */
  public EpochHistory epochs() {
    return epochs;
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
      if (stopping) {
        throw new IllegalStateException("replica " + replicaId + " was stopped; create a new one");
      }
      if (thread != null) {
        return;
      }
      thread = new Thread(this::run, "kevo-replica-" + replicaId);
      thread.setDaemon(true);
      thread.start();
    }
  }

  @Override
  public void stop() {
    Thread t;
    synchronized (lifecycle) {
      if (stopping) {
        t = thread;
      } else {
        stopping = true;
        t = thread;
        events.add(WAKE);
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
    return lastApplied;
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
    return new ReplicaStatus(
        replicaId,
        machine.current(),
        running,
        Duration.between(machine.enteredAt(), now),
        machine.transitionCount(),
        lastApplied,
        durable,
        acked,
        lag.primaryLastSequence(),
        lag.lagEntries(),
        lag.lagMillis(now.toEpochMilli()),
        wireBytes.get(),
        uncompressedBytes.get(),
        entriesApplied.get(),
        batchesApplied.get(),
        duplicates.get(),
        nacksSent.get(),
        acksSent.get(),
        checksumFailures.get(),
        malformed.get(),
        reconnects.get(),
        lastError,
        refusal,
        sessionId,
        connectedSince,
        bootstrap,
        bootstrapsCompleted.get());
  }

  // ---------------------------------------------------------------- the apply thread

  private void run() {
    try {
      boolean first = true;
      while (!stopping) {
        if (!first) {
          reconnects.incrementAndGet();
        }
        if (machine.current() != CONNECTING) {
          machine.transition(CONNECTING, "reconnecting after " + failures + " failure(s) in a row");
        }
        first = false;
        try {
          streamOnce();
          return; // stopping
        } catch (ReplicaStreamEnded e) {
          if (!onStreamEnded(e)) {
            return; // the local database needs a reopen
          }
        }
      }
    } catch (VirtualMachineError e) {
      // Not ours to survive: the thread's uncaught-exception handler decides (a server halts).
      lastError = "replication stopped: the JVM failed";
      throw e;
    } catch (RuntimeException | Error e) {
      // A bug or an engine failure we cannot stream past; status shows it.
      lastError = "replication stopped: " + e;
      LOG.error("replica {}: replication thread failed", replicaId, e);
    } finally {
      closeStream("replica stopping");
      syncer.shutdown();
    }
  }

  /** Opens a stream and consumes it until it ends (throws) or the replica stops (returns). */
  private void streamOnce() {
    expected = applier.nextSequence();
    ready.clear();
    readyOps = 0;
    assembler.reset();
    nackedSequence = -1;
    ackInFlight = false;
    ackWanted = -1;
    ackAskedUpTo = 0;
    streamAcked = 0;
    try {
      channel = Objects.requireNonNull(primary.get(), "the primary channel supplier gave null");
    } catch (RuntimeException e) {
      throw new ReplicaStreamEnded("cannot get a channel to the primary: " + e, null, false, e);
    }
    checkEpochs();
    releaseOpeningHold();
    EpochHistory.Term mine = epochs.last();
    WALStreamRequest request =
        WALStreamRequest.newBuilder()
            .setStartSequence(expected)
            .setProtocolVersion(ReplicaOptions.PROTOCOL_VERSION)
            .setCompressionSupported(options.preferredCodec() != CompressionCodec.NONE)
            .setPreferredCodec(options.preferredCodec())
            .setListenerAddress(options.listenerAddress())
            .setReplicaId(replicaId)
            .setAcceptPacked(options.acceptPacked())
            .setLastEpoch(mine == null ? 0 : mine.epoch())
            .setLastTermId(mine == null ? "" : mine.termId())
            .build();
    stream = new ReplicaStream(++streamCount, events, options.queueCapacity());
    LOG.info(
        "replica {}: streaming from the primary at sequence {} (stream {})",
        replicaId,
        expected,
        stream.id());
    lastHeardNanos = nanos();
    stream.start(channel, request);
    while (!stopping) {
      long now = nanos();
      if (ackDueNanos >= 0 && now >= ackDueNanos) {
        syncAndAck("coalescing interval elapsed");
        settle();
        continue;
      }
      long idleDeadline = lastHeardNanos + options.idleTimeout().toNanos();
      long wait = idleDeadline - now;
      if (ackDueNanos >= 0) {
        wait = Math.min(wait, ackDueNanos - now);
      }
      // Poll before judging idleness: after a long apply, queued messages still count.
      Object o = poll(wait);
      if (o == null && nanos() >= idleDeadline) {
        throw new ReplicaStreamEnded(
            "no message from the primary for "
                + options.idleTimeout().toMillis()
                + " ms (idle timeout): the stream is deemed dead",
            null,
            false,
            null);
      }
      if (o instanceof AckDone a && a.stream() == stream) {
        onAckDone(a);
      } else if (o instanceof SyncDone d) {
        onSyncDone(d);
      } else if (o instanceof Event ev && ev.stream() == stream) {
        try {
          handle(ev);
        } catch (KevoException e) {
          throw localRefusal.ended("apply", e);
        }
      }
    }
    finishOnStop();
  }

  /**
   * Before a stream: asks the primary for its epoch history; refuses a stale primary; detects that
   * this replica's entries diverge from the primary's history (then they must be discarded); else
   * adopts the primary's history.
   */
  /**
   * Lets the engine trim the log it kept since open ({@link
   * io.kevo.engine.Options#holdWalAtOpen()}, which a replica's database should be opened with): the
   * entries of the last run are kept until the replica has checked its history against its
   * primary's, because if they diverge they are discarded and {@link DiscardReport} reads them from
   * the log. A no-op once released, and for a database opened without the hold.
   */
  private void releaseOpeningHold() {
    io.kevo.engine.RetentionHold h = db.wal().takeOpeningHold();
    if (h != null) {
      h.close();
    }
  }

  private void checkEpochs() {
    EpochHistory.Term mine = epochs.last();
    io.kevo.proto.replication.EpochsRequest.Builder rq =
        io.kevo.proto.replication.EpochsRequest.newBuilder()
            .setReplicaId(replicaId)
            .setListenerAddress(options.listenerAddress());
    if (mine != null) {
      rq.setLastEpoch(mine.epoch()).setLastTermId(mine.termId());
    }
    io.kevo.proto.replication.EpochHistory answer;
    try {
      answer =
          WALReplicationServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(options.rpcTimeout().toNanos(), TimeUnit.NANOSECONDS)
              .getEpochs(rq.build());
    } catch (RuntimeException e) {
      throw ReplicaStreamEnded.fromClose(e, expected, options.maxBackoff());
    }
    EpochHistory theirs;
    try {
      theirs = EpochHistory.fromProto(answer.getRecordsList());
    } catch (ReplicationException e) {
      throw new ReplicaStreamEnded(e.getMessage(), null, false, e);
    }
    String refusal = epochs.refusalOf(theirs);
    if (refusal != null) {
      throw new ReplicaStreamEnded(
          "refusing the primary: "
              + refusal
              + "; retrying every "
              + options.maxBackoff().toMillis()
              + " ms (repoint this replica at the current primary)",
          Reason.STALE_EPOCH,
          true,
          null);
    }
    long last = expected - 1;
    long d = epochs.divergenceFrom(theirs, last);
    if (d > 0) {
      divergedAt = d;
      EpochHistory.Term localTerm = epochs.termAt(d);
      throw new ReplicaStreamEnded(
          "this replica's entries "
              + d
              + ".."
              + last
              + " ("
              + (localTerm == null ? "of no known term" : "written in " + localTerm)
              + ") are not in the primary's history (it has "
              + theirs.termAt(d)
              + " there): they must be discarded",
          Reason.DIVERGED,
          false,
          null);
    }
    if (!theirs.equals(epochs)) {
      try {
        theirs.store(stateDir);
      } catch (java.io.UncheckedIOException e) {
        // This node's disk (full, say), not the primary: nothing was streamed yet; retry later.
        throw new ReplicaStreamEnded(e.getMessage() + ": " + e.getCause(), null, false, e);
      }
      epochs = theirs;
      LOG.info("replica {}: adopted the primary's epoch history {}", replicaId, theirs);
    }
    primaryTerm = theirs.last();
  }

  private void handle(Event ev) {
    if (ev instanceof Headers h) {
      if (primaryTerm != null
          && h.epochTerm() != null
          && !primaryTerm.termId().equals(h.epochTerm())) {
        throw new ReplicaStreamEnded(
            "the primary's term changed between GetEpochs ("
                + primaryTerm
                + ") and the stream (term "
                + h.epochTerm()
                + ")",
            null,
            false,
            null);
      }
      lastHeardNanos = nanos();
      sessionId = h.sessionId();
      connectedSince = options.clock().instant();
      if (machine.current() == CONNECTING) {
        machine.transition(STREAMING_ENTRIES, "stream open, session " + h.sessionId());
      }
    } else if (ev instanceof Message m) {
      stream.taken();
      lastHeardNanos = nanos();
      onMessage(m.response());
    } else if (ev instanceof Closed c) {
      throw ReplicaStreamEnded.fromClose(c.error(), expected, options.maxBackoff());
    }
  }

  private void onMessage(WALStreamResponse response) {
    boolean heartbeat = response.getEntriesCount() == 0 && response.getPackedEntries().isEmpty();
    if (machine.current() == CONNECTING) {
      machine.transition(STREAMING_ENTRIES, "first message, session " + sessionId);
    } else if (machine.current() == WAITING_FOR_DATA && !heartbeat) {
      machine.transition(STREAMING_ENTRIES, "entries received");
    }
    failures = 0;
    refusal = null;
    wireBytes.addAndGet(response.getSerializedSize());
    if (response.getAckRequested()) {
      onAckRequested(response.getPrimaryLastSequence());
    }
    lag.onMessage(
        response.getPrimaryLastSequence(),
        response.getPrimaryTimeMicros(),
        options.clock().millis());
    List<WALEntry> entries;
    try {
      entries = assembler.unpack(response);
    } catch (ReplicationException e) {
      malformed.incrementAndGet();
      LOG.warn("replica {}: discarding a message: {}", replicaId, e.getMessage());
      lastError = e.getMessage();
      assembler.discardUntilRecordStart();
      nackGap("undecodable message: " + e.getMessage());
      settle();
      return;
    }
    if (!entries.isEmpty()) {
      machine.transition(APPLYING_ENTRIES, entries.size() + " entries received");
      for (WALEntry entry : entries) {
        uncompressedBytes.addAndGet(entry.getPayload().size());
        RecordAssembler.Result r = assembler.accept(entry);
        if (r instanceof Assembled a) {
          applyRecord(a.record());
        } else if (r instanceof Rejection rej) {
          applyReady();
          onRejection(rej);
        }
      }
      applyReady();
    }
    renackIfStuck();
    if (!heartbeat || machine.current() != WAITING_FOR_DATA) {
      settle();
    }
  }

  /** The sequence the next record must start at, counting the records ready to apply. */
  private long nextExpected() {
    return ready.isEmpty() ? expected : readyNext;
  }

  private void applyRecord(WalRecord record) {
    long next = nextExpected();
    if (record.lastSequence() < next) {
      duplicates.addAndGet(record.operations().size());
      return;
    }
    if (record.firstSequence() < next) {
      // Batches are applied whole, so a resend never starts inside one: the primary is confused.
      applyReady();
      throw new ReplicaStreamEnded(
          "the primary sent record "
              + record.firstSequence()
              + ".."
              + record.lastSequence()
              + " overlapping the applied position "
              + (next - 1),
          null,
          false,
          null);
    }
    if (record.firstSequence() > next) {
      applyReady();
      nackGap("gap: received " + record.firstSequence() + " while expecting " + expected);
      return;
    }
    ready.add(record);
    readyNext = record.lastSequence() + 1;
    readyOps += record.operations().size();
    if (readyOps >= MAX_READY_OPS) {
      applyReady();
    }
  }

  /**
   * Applies the ready records in one engine group commit (one WAL write for many records: what
   * makes catching up fast), then advances the applied position.
   */
  private void applyReady() {
    if (ready.isEmpty()) {
      return;
    }
    try {
      applier.applyAll(ready);
    } catch (ReplicationException e) {
      ready.clear();
      readyOps = 0;
      // Someone else wrote to the database; restart from its real position.
      throw new ReplicaStreamEnded(e.getMessage(), null, false, e);
    }
    long batches = 0;
    for (WalRecord record : ready) {
      if (record.batch()) {
        batches++;
      }
    }
    WalRecord last = ready.get(ready.size() - 1);
    entriesApplied.addAndGet(readyOps);
    batchesApplied.addAndGet(batches);
    ready.clear();
    readyOps = 0;
    expected = last.lastSequence() + 1;
    lastApplied = last.lastSequence();
    lag.onApplied(lastApplied);
    notifyApplied(lastApplied);
    nackedSequence = -1;
    long due = nanos() + ackDelayNanos();
    if (ackDueNanos < 0 || due < ackDueNanos) {
      ackDueNanos = due;
    }
  }

  /**
   * How long applied records may wait for their sync and ack: {@link ReplicaOptions#ackInterval()}
   * while the primary asked for acknowledgements not yet sent, else the lazy interval.
   */
  private long ackDelayNanos() {
    return ackAskedUpTo > Math.max(streamAcked, ackWanted) ? ackNanos : lazyAckNanos;
  }

  /**
   * The primary asks for acknowledgements (a write waits for this replica, or the stream is new):
   * ack soon what it has not acknowledged on this stream, even if nothing new was applied.
   */
  private void onAckRequested(long primaryLast) {
    ackAskedUpTo = Math.max(ackAskedUpTo, primaryLast);
    if (lastApplied > Math.max(streamAcked, ackWanted)) {
      long due = nanos() + ackNanos;
      if (ackDueNanos < 0 || due < ackDueNanos) {
        ackDueNanos = due;
      }
    }
  }

  private void onRejection(Rejection rej) {
    switch (rej.kind()) {
      case CHECKSUM -> checksumFailures.incrementAndGet();
      case MALFORMED, TOO_LARGE -> malformed.incrementAndGet();
    }
    lastError = rej.message();
    if (rej.sequence() < expected) {
      // A damaged copy of something already applied: nothing is missing.
      LOG.warn("replica {}: ignoring a damaged duplicate: {}", replicaId, rej.message());
      return;
    }
    if (rej.kind() == Rejection.Kind.TOO_LARGE) {
      // Resending will not make it fit: fail visibly (and retry, in case the limit is raised).
      throw new ReplicaStreamEnded(rej.message(), null, false, null);
    }
    LOG.warn("replica {}: {}", replicaId, rej.message());
    nackGap(rej.message());
  }

  /**
   * Asks the primary to resend from {@link #expected}, once per gap: again only after progress or
   * after {@link ReplicaOptions#nackRetryInterval()}.
   */
  private void nackGap(String why) {
    long now = nanos();
    if (nackedSequence == expected && now - nackedAtNanos < options.nackRetryInterval().toNanos()) {
      return;
    }
    nackedSequence = expected;
    nackedAtNanos = now;
    nacksSent.incrementAndGet();
    LOG.info("replica {}: nack from {} ({})", replicaId, expected, why);
    try {
      NackResponse r =
          rpcStub().negativeAcknowledge(Nack.newBuilder().setMissingFromSequence(expected).build());
      if (!r.getSuccess()) {
        LOG.warn("replica {}: the primary refused the nack: {}", replicaId, r.getMessage());
      }
    } catch (RuntimeException e) {
      lastError = "nack from " + expected + " failed: " + Status.fromThrowable(e);
      LOG.warn("replica {}: {}", replicaId, lastError);
    }
  }

  private void renackIfStuck() {
    if (nackedSequence >= 0
        && nackedSequence == expected
        && nanos() - nackedAtNanos >= options.nackRetryInterval().toNanos()) {
      nackGap("the gap at " + expected + " is still open");
    }
  }

  /** After a message: the next state depends on whether more is queued. */
  private void settle() {
    if (ackDueNanos >= 0 && nanos() >= ackDueNanos) {
      syncAndAck("coalescing interval elapsed");
    }
    ReplicaState next = hasQueuedMessage() ? STREAMING_ENTRIES : WAITING_FOR_DATA;
    machine.transitionIfNot(next, next == STREAMING_ENTRIES ? "more queued" : "caught up");
  }

  private boolean hasQueuedMessage() {
    for (Object o : events) {
      if (o instanceof Message m && m.stream() == stream) {
        return true;
      }
    }
    return false;
  }

  /**
   * Acknowledgements are due: starts a sync on the {@code kevo-replica-sync} thread, so that the
   * apply thread goes on applying (the engine's fsync does not hold up its writes either); its end
   * comes back as an event ({@link #onSyncDone}), which acknowledges. While one runs, another is
   * started when it ends.
   */
  private void syncAndAck(String why) {
    ackDueNanos = -1;
    if (syncTask != null) {
      syncWanted = true;
      return;
    }
    startSync();
  }

  private void startSync() {
    syncWanted = false;
    ReplicaStream s = stream;
    syncTask =
        syncer.submit(
            () -> {
              try {
                events.add(new SyncDone(s, applier.sync(), null));
              } catch (RuntimeException e) {
                events.add(new SyncDone(s, -1, e));
              }
            });
  }

  /**
   * On the apply thread: a background sync ended. The state machine records it then (FSYNC_PENDING:
   * the sync's result, ACKNOWLEDGING: the ack sent), so its transitions stay on one thread.
   */
  private void onSyncDone(SyncDone d) {
    syncTask = null;
    if (d.error() != null) {
      syncWanted = false;
      if (d.error() instanceof KevoException k) {
        throw localRefusal.ended("sync", k);
      }
      throw new ReplicaStreamEnded(
          "the local database failed to sync: " + d.error().getMessage(), null, false, d.error());
    }
    durable = Math.max(durable, d.durable());
    if (d.stream() == stream && stream != null) {
      machine.transition(FSYNC_PENDING, "synced in the background");
      machine.transition(ACKNOWLEDGING, "durable up to " + durable);
      sendAck(durable);
      ReplicaState next = hasQueuedMessage() ? STREAMING_ENTRIES : WAITING_FOR_DATA;
      machine.transitionIfNot(next, next == STREAMING_ENTRIES ? "more queued" : "caught up");
    }
    if (syncWanted) {
      startSync();
    }
  }

  /** Waits until the background sync (if any) has ended; its event is then stale. */
  private void awaitSyncIdle() {
    java.util.concurrent.Future<?> t = syncTask;
    syncTask = null;
    syncWanted = false;
    if (t == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        t.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the sync is file I/O: wait for it regardless
      } catch (java.util.concurrent.ExecutionException
          | java.util.concurrent.CancellationException e) {
        break; // reported through its event
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts an Acknowledge call up to {@code upTo}, or, while one is in flight, remembers {@code
   * upTo} for when it answers (acks are cumulative, so one call in flight is enough).
   */
  private void sendAck(long upTo) {
    if (ackInFlight) {
      ackWanted = Math.max(ackWanted, upTo);
      return;
    }
    ackInFlight = true;
    acksSent.incrementAndGet();
    ReplicaStream s = stream;
    StreamObserver<AckResponse> answer =
        new StreamObserver<>() {
          private AckResponse response;

          @Override
          public void onNext(AckResponse r) {
            response = r;
          }

          @Override
          public void onError(Throwable t) {
            events.add(new AckDone(s, upTo, null, t));
          }

          @Override
          public void onCompleted() {
            events.add(new AckDone(s, upTo, response, null));
          }
        };
    try {
      rpcAsyncStub().acknowledge(Ack.newBuilder().setAcknowledgedUpTo(upTo).build(), answer);
    } catch (RuntimeException e) {
      answer.onError(e);
    }
  }

  /** On the apply thread: an Acknowledge call of the current stream answered. */
  private void onAckDone(AckDone a) {
    ackInFlight = false;
    if (a.error() == null) {
      if (a.response() != null && a.response().getSuccess()) {
        acked = Math.max(acked, a.upTo());
        streamAcked = Math.max(streamAcked, a.upTo());
      } else {
        LOG.warn(
            "replica {}: the primary refused ack {}: {}",
            replicaId,
            a.upTo(),
            a.response() == null ? "no answer" : a.response().getMessage());
      }
    } else {
      // Acks are cumulative: the next one covers this one.
      Status status = Status.fromThrowable(a.error());
      lastError = "ack " + a.upTo() + " failed: " + status;
      LOG.warn("replica {}: {}", replicaId, lastError);
      if (!stopping
          && (status.getCode() == Status.Code.DEADLINE_EXCEEDED
              || status.getCode() == Status.Code.UNAVAILABLE)) {
        // The primary cannot be reached on this path. Keeping the stream would hide it: while
        // messages buffered before a black hole remain, each one resets the idle timeout, so the
        // stream could look alive for many ack deadlines. Replace it (the next start_sequence
        // tells the primary our position).
        throw new ReplicaStreamEnded(
            lastError + " (the primary is unreachable)", null, false, a.error());
      }
    }
    if (ackWanted > streamAcked) {
      long next = ackWanted;
      ackWanted = -1;
      sendAck(next);
    } else {
      ackWanted = -1;
    }
  }

  /** On stop: waits (at most one RPC deadline) until the acks of the current stream answered. */
  private void awaitAcks() {
    long deadline = nanos() + options.rpcTimeout().toNanos();
    while ((ackInFlight || ackWanted >= 0) && nanos() < deadline) {
      Object o;
      try {
        o = events.poll(Math.max(0, deadline - nanos()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (o instanceof AckDone a && a.stream() == stream) {
        onAckDone(a);
      }
    }
  }

  private WALReplicationServiceBlockingStub rpcStub() {
    return WALReplicationServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sessionHeaders()))
        .withDeadlineAfter(options.rpcTimeout().toNanos(), TimeUnit.NANOSECONDS);
  }

  private WALReplicationServiceGrpc.WALReplicationServiceStub rpcAsyncStub() {
    return WALReplicationServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sessionHeaders()))
        .withDeadlineAfter(options.rpcTimeout().toNanos(), TimeUnit.NANOSECONDS);
  }

  private Metadata sessionHeaders() {
    Metadata md = new Metadata();
    if (sessionId != null) {
      md.put(WireMetadata.SESSION_ID, sessionId);
    }
    return md;
  }

  /** On stop: make what was applied durable and acknowledge it while the session lives. */
  private void finishOnStop() {
    boolean pending = ackDueNanos >= 0 || syncTask != null;
    awaitSyncIdle();
    ackDueNanos = -1;
    ReplicaState s = machine.current();
    if (pending && ReplicaStateMachine.isLegal(s, FSYNC_PENDING)) {
      machine.transition(FSYNC_PENDING, "replica stopping");
      durable = applier.sync();
      machine.transition(ACKNOWLEDGING, "durable up to " + durable);
      sendAck(durable);
    } else {
      durable = applier.sync();
    }
    awaitAcks();
    LOG.info("replica {}: stopped at sequence {} (durable {})", replicaId, lastApplied, durable);
  }

  /** After a stream ended: waits, bootstraps or reconnects; false if replication must stop. */
  private boolean onStreamEnded(ReplicaStreamEnded e) {
    closeStream(e.getMessage());
    boolean syncing = syncTask != null;
    awaitSyncIdle(); // nothing may sync the database while it is replaced by a bootstrap
    if (ackDueNanos >= 0 || syncing) {
      // The session is gone, so no ack; the next stream's start_sequence tells the primary.
      ackDueNanos = -1;
      try {
        durable = applier.sync();
      } catch (KevoException se) {
        LOG.warn("replica {}: sync failed: {}", replicaId, se.getMessage());
      }
    }
    failures++;
    lastError = e.getMessage();
    refusal = e.refusal;
    machine.transition(ERROR, e.getMessage());
    e = localRefusal.afterEnd(e, () -> stopping, this::poll);
    if (e == null) {
      return true; // the local database takes writes again: reconnect now
    } else if (e.local == ReplicaStreamEnded.Local.STOP) {
      lastError = e.getMessage();
      return false;
    }
    boolean diverged = e.refusal == Reason.DIVERGED;
    if ((e.refusal == Reason.POSITION_NOT_RETAINED || diverged)
        && options.bootstrap()
        && !stopping) {
      if (diverged && divergedAt != reportedDivergence) {
        reportedDivergence = divergedAt; // once, not at every retry of the bootstrap
        DiscardReport.log(db, replicaId, divergedAt, lastApplied);
      }
      e = bootstrap(e);
      if (e == null) {
        return true; // installed; CONNECTING
      }
    }
    long delay = e.maxBackoff ? options.maxBackoff().toMillis() : backoff.delayMillis(failures);
    if (e.refusal != null) {
      LOG.warn("replica {}: {}; reconnecting in {} ms", replicaId, e.getMessage(), delay);
    } else {
      LOG.info(
          "replica {}: {}; reconnecting in {} ms ({} failure(s) in a row)",
          replicaId,
          e.getMessage(),
          delay,
          failures);
    }
    long deadline = nanos() + TimeUnit.MILLISECONDS.toNanos(delay);
    for (long left = delay * 1_000_000; !stopping && left > 0; left = deadline - nanos()) {
      poll(left); // stale events of the old stream are dropped
    }
    return true;
  }

  /**
   * BOOTSTRAPPING: fetches and installs a snapshot of the primary. Returns null once installed (the
   * machine is then in CONNECTING), else why it failed (the machine is in ERROR).
   */
  private ReplicaStreamEnded bootstrap(ReplicaStreamEnded cause) {
    machine.transition(BOOTSTRAPPING, "fetching a snapshot of the primary");
    try {
      Channel ch = Objects.requireNonNull(primary.get(), "the primary channel supplier gave null");
      SnapshotFetch fetch =
          new SnapshotFetch(
              db,
              options,
              replicaId,
              () -> stopping,
              p -> bootstrap = p,
              checksumFailures::incrementAndGet);
      long s = fetch.run(ch);
      if (s < 0) {
        machine.transition(ERROR, "replica stopping during the bootstrap");
        return cause;
      }
      epochs = fetch.epochs();
      divergedAt = -1;
      bootstrapsCompleted.incrementAndGet();
      lastApplied = s;
      durable = db.wal().durableSequence();
      lag.onApplied(s);
      failures = 0;
      refusal = null;
      lastError = null;
      machine.transition(
          CONNECTING, "bootstrapped at sequence " + s + "; streaming from " + (s + 1));
      return null;
    } catch (ReplicaStreamEnded e) {
      failures++;
      lastError = e.getMessage();
      refusal = e.refusal;
      LOG.warn("replica {}: {}", replicaId, e.getMessage());
      machine.transition(ERROR, e.getMessage());
      return e;
    } catch (RuntimeException e) {
      ReplicaStreamEnded ended =
          new ReplicaStreamEnded("bootstrap failed: " + e, Reason.POSITION_NOT_RETAINED, false, e);
      failures++;
      lastError = ended.getMessage();
      LOG.warn("replica {}: {}", replicaId, ended.getMessage(), e);
      machine.transition(ERROR, ended.getMessage());
      return ended;
    } finally {
      bootstrap = null;
    }
  }

  private void closeStream(String why) {
    if (stream != null) {
      stream.cancel(why);
      stream = null;
    }
    assembler.reset();
    sessionId = null;
    connectedSince = null;
  }

  private Object poll(long nanos) {
    try {
      return events.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      // Nobody should interrupt this thread; treat it as a request to stop.
      Thread.currentThread().interrupt();
      stopping = true;
      return WAKE;
    }
  }

  private long nanos() {
    return options.nanoTime().nanoTime();
  }
}
