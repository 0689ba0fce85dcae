package io.kevo.server;

import io.kevo.coordination.CandidateChoice;
import io.kevo.coordination.ClusterRecords;
import io.kevo.coordination.ClusterView;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.EpochConflictException;
import io.kevo.coordination.EpochLedger;
import io.kevo.coordination.FailoverRecord;
import io.kevo.coordination.LeaderElection;
import io.kevo.coordination.Lease;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.MemberRegistry;
import io.kevo.coordination.PrimaryRecord;
import io.kevo.coordination.SessionState;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardMapWatch;
import io.kevo.coordination.SwitchoverRequest;
import io.kevo.engine.KevoDB;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.ReplicaIdentity;
import io.kevo.replication.primary.Primary;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's part in automatic failover: its coordinator session, its member entry, its lease, and
 * the election loop that makes it follow the elected primary or become it.
 *
 * <p>Every {@link #TICK} (and at once on a session or leadership change) the loop, on its one
 * thread, publishes this node's figures, then reads the cluster: if another member is primary, it
 * follows it (a replica is pointed at it; a primary that lost its leadership steps down and rejoins
 * as its replica). If none is, for longer than the grace, and the last failover is older than the
 * minimum interval, every node computes the same {@link CandidateChoice}; only the winner bids for
 * the leadership. The node that gains it checks the choice again, claims the next epoch from the
 * {@link EpochLedger} (a conditional write, so no two terms share an epoch), writes the term into
 * its epoch history, and only then takes writes; it records the term ({@link PrimaryRecord}) and
 * the failover ({@link FailoverRecord}).
 *
 * <p>{@link #writeRefusal()} is the primary's write gate ({@link PrimaryAdmission}), checked before
 * anything else of a write. Thread-safe: the loop's state is confined to its thread; what the gate
 * reads is volatile.
 */
final class CoordinatedNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatedNode.class);

  /** How often the loop looks at the cluster. */
  static final Duration TICK = Duration.ofMillis(200);

  private final NodeReplication node;
  private final ReplicationGate gate;
  private final KevoDB db;
  private final ServerOptions options;
  private final FailoverOptions failover;
  private final String memberId;
  private final Coordinator coordinator;
  private volatile ShardMapWatch shardWatch; // set once at start
  private volatile SplitRole splits; // set once at start
  private final Lease lease;
  private final PrimaryAdmission admission;
  private final EpochLedger ledger;
  private final ClusterRecords records;
  private final SwitchoverHandoff handoff;
  private final MemberRegistry registry;
  private final MemberFigures figures;
  private final TermRecorder term;
  private final DeadPrimaryDetector deadPrimary;
  private final ScheduledExecutorService loop;
  private final long graceNanos;
  private final long bidTimeoutNanos;

  private volatile LeaderElection election;
  private volatile boolean leading;
  private volatile boolean closed;
  private volatile String state = "connecting to the coordinator";
  private volatile boolean clusterHasPrimary;
  private volatile String switchingTo; // a switchover's target while writes are paused for it
  private volatile boolean forced; // kevo promote --force asked this node to take over
  private volatile CompletableFuture<Void> forcedTakeOver; // completed when this node leads
  // Confined to the loop thread.
  private long bidAtNanos;
  private long noPrimarySinceNanos = -1;
  private boolean splitJustLanded; // this node's shard received its keys: elect without the grace
  private String loggedState;

  private CoordinatedNode(
      NodeReplication node,
      ReplicationGate gate,
      KevoDB db,
      ServerOptions options,
      String selfAddress,
      Coordinator coordinator) {
    this.node = node;
    this.gate = gate;
    this.db = db;
    this.options = options;
    this.failover = options.failover();
    this.coordinator = coordinator;
    this.memberId =
        failover.nodeId() != null
            ? failover.nodeId()
            : ReplicaIdentity.loadOrCreate(db.directory());
    this.figures = new MemberFigures(node, db, memberId, selfAddress, failover.noPromote());
    this.lease = Lease.start(coordinator, Lease.defaultInterval(failover.coordinator()));
    this.admission = new PrimaryAdmission(node, lease, coordinator, new Leadership());
    this.ledger = new EpochLedger(coordinator);
    this.records = new ClusterRecords(coordinator);
    this.handoff = new SwitchoverHandoff(coordinator, records, gate, db);
    this.term = new TermRecorder(records, memberId, selfAddress);
    this.deadPrimary = new DeadPrimaryDetector(coordinator);
    this.registry = MemberRegistry.register(coordinator, self());
    this.graceNanos = failover.grace().toNanos();
    this.bidTimeoutNanos = failover.coordinator().sessionTimeout().toNanos();
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kevo-failover");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Connects to the coordinator of {@code options.failover()} and starts the election loop for the
   * node serving at {@code selfAddress}. Returns at once; the node takes no write until elected.
   */
  static CoordinatedNode start(
      NodeReplication node,
      ReplicationGate gate,
      ShardGate shards,
      ToIntFunction<String> rollBackTransactions,
      KevoDB db,
      ServerOptions options,
      String selfAddress) {
    Coordinator coordinator = Coordinator.start(options.failover().coordinator());
    CoordinatedNode c;
    try {
      c = new CoordinatedNode(node, gate, db, options, selfAddress, coordinator);
    } catch (RuntimeException e) {
      coordinator.close();
      throw e;
    }
    c.splits = new SplitRole(coordinator, shards, node, db, rollBackTransactions);
    c.shardWatch =
        ShardMapWatch.start(
            coordinator,
            new ShardMapWatch.Listener() {
              @Override
              public void changed(ShardMap map) {
                shards.mapChanged(map);
              }

              @Override
              public void absent() {
                shards.mapAbsent();
              }
            });
    coordinator.addListener(s -> c.wake());
    c.loop.scheduleWithFixedDelay(c::tick, 0, TICK.toNanos(), TimeUnit.NANOSECONDS);
    LOG.info(
        "member {} of cluster {} on coordinator {}",
        c.memberId,
        options.failover().coordinator().cluster(),
        options.failover().coordinator().connectString());
    return c;
  }

  /** This node's member id. */
  String memberId() {
    return memberId;
  }

  /**
   * Whether the cluster had a primary at the loop's last look (another member, or this node): a
   * replica of a primary that is gone answers writes with "no primary", not with its address.
   */
  boolean clusterHasPrimary() {
    return clusterHasPrimary || leading;
  }

  /** What the node is doing in the cluster, in words (following, leading, why no primary). */
  String state() {
    return state;
  }

  /** See {@link PrimaryAdmission#writeRefusal()}. */
  String writeRefusal() {
    return admission.writeRefusal();
  }

  /** See {@link PrimaryAdmission#acknowledgementRefusal()}. */
  String acknowledgementRefusal() {
    return admission.acknowledgementRefusal();
  }

  private void wake() {
    if (!closed) {
      try {
        loop.execute(this::tick);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  private void tick() {
    if (closed) {
      return;
    }
    try {
      step();
    } catch (RuntimeException e) {
      setState("the last failover step failed: " + e.getMessage());
      LOG.debug("failover step failed", e);
    }
  }

  private void step() {
    if (coordinator.state() != SessionState.LIVE) {
      noPrimarySinceNanos = -1;
      clusterHasPrimary = false;
      setState("coordinator session " + coordinator.state());
      return;
    }
    publish();
    SplitRole.Next split = splits.step(leading, term.epoch());
    if (split == SplitRole.Next.WAIT) {
      clusterHasPrimary = false;
      setState(splits.state());
      return;
    }
    splitJustLanded |= split == SplitRole.Next.ELECT_NOW;
    LeaderElection e = election;
    if (leading) {
      if (e == null || !e.holdsOnEnsemble() || ledger.current() != term.epoch()) {
        // The latch, the ensemble or the ledger says another node leads or claimed a newer term.
        lostLeadership();
      } else {
        Optional<SwitchoverRequest> asked = records.switchover();
        if (asked.isPresent()
            && !asked.get().to().equals(memberId)
            && asked.get().state().equals(SwitchoverRequest.STATE_REQUESTED)) {
          handoff.handOff(asked.get(), new HandingOff());
        }
        if (leading) {
          term.progress(confirmedNow());
          return;
        }
      }
    }
    ClusterView view = ClusterView.read(coordinator);
    long now = System.nanoTime();
    Optional<MemberInfo> other = view.primaryMember().filter(m -> !m.id().equals(memberId));
    Optional<SwitchoverRequest> switchover = records.switchover().filter(r -> !r.isRefused());
    if (switchover
        .map(r -> r.to().equals(memberId) && r.pausedAtMillis() > 0 && !r.isHandedOff())
        .orElse(false)) {
      handoff.publishWhilePaused(() -> registry.updateNow(self()), () -> closed);
      wake();
      return;
    }
    boolean handedToMe =
        switchover.map(r -> r.isHandedOff() && r.to().equals(memberId)).orElse(false);
    clusterHasPrimary = other.isPresent();
    if (other.isPresent()) {
      noPrimarySinceNanos = -1;
      splitJustLanded = false;
      giveUpBid("another member leads");
      MemberInfo p = other.get();
      io.kevo.replication.replica.Replica r = node.replica();
      if (deadPrimary.isGone(p, r == null ? null : r.getCurrentState())) {
        wake(); // elect at once
        return;
      }
      if (node.role() == NodeRole.PRIMARY
          || node.replica() == null
          || !p.clientAddress().equals(node.primaryAddress())) {
        node.becomeReplicaOf(p.clientAddress());
      }
      setState("following " + p.id() + " at " + p.clientAddress() + " (epoch " + p.epoch() + ")");
      return;
    }
    if (e != null) {
      if (e.hasLeadership()) {
        takeOver(view);
      } else if (now - bidAtNanos > bidTimeoutNanos) {
        giveUpBid("the bid was not granted in time");
      }
      return;
    }
    Optional<String> leader = view.leader();
    if (leader.isPresent() && !leader.get().equals(memberId)) {
      setState("no primary yet: " + leader.get() + " holds the leadership and is taking over");
      return;
    }
    if (noPrimarySinceNanos < 0) {
      noPrimarySinceNanos = now;
    }
    if (now - noPrimarySinceNanos < graceNanos && !handedToMe && !forced && !splitJustLanded) {
      return;
    }
    Optional<FailoverRecord> last = view.lastFailover();
    long sinceLast =
        last.map(f -> System.currentTimeMillis() - f.atMillis()).orElse(Long.MAX_VALUE);
    if (sinceLast < failover.minInterval().toMillis() && !handedToMe && !forced) {
      setState(
          "no primary: the last failover was at "
              + java.time.Instant.ofEpochMilli(last.get().atMillis())
              + "; the next may begin "
              + failover.minInterval().toMillis()
              + " ms after it (--failover-min-interval)");
      return;
    }
    CandidateChoice.Choice choice =
        CandidateChoice.choose(
            view.members(), view.primary(), maxLag(), switchover.map(SwitchoverRequest::to));
    if (choice.winner().isEmpty() && !forced) {
      setState("no primary: " + choice.reason());
      return;
    }
    if (!forced && !choice.winner().get().id().equals(memberId)) {
      setState("no primary yet: " + choice.reason() + "; it should take over");
      return;
    }
    setState(
        "bidding for the leadership: "
            + (forced ? "kevo promote --force (" + choice.reason() + ")" : choice.reason()));
    bidAtNanos = now;
    election =
        LeaderElection.bid(
            coordinator,
            memberId,
            new LeaderElection.Listener() {
              @Override
              public void gained() {
                wake();
              }

              @Override
              public void lost() {
                wake();
              }
            });
  }

  /** Whether this node leads the cluster now. */
  boolean leading() {
    return leading;
  }

  /** The member that leads the cluster, as the coordinator says now, if it is not this node. */
  Optional<MemberInfo> otherPrimary() {
    return ClusterView.read(coordinator).primaryMember().filter(m -> !m.id().equals(memberId));
  }

  /**
   * Asks the loop to take the primary role regardless of the candidate choice ({@code kevo promote
   * --force}); the future completes once this node leads. {@link #abandonTakeOverByHand()} if it
   * does not come in time.
   */
  CompletableFuture<Void> takeOverByHand() {
    CompletableFuture<Void> tookOver = new CompletableFuture<>();
    forcedTakeOver = tookOver;
    forced = true;
    if (leading) {
      tookOver.complete(null);
    }
    wake();
    return tookOver;
  }

  /** Withdraws {@link #takeOverByHand()}. */
  void abandonTakeOverByHand() {
    forced = false;
  }

  /** How long a takeover by hand may take: two session timeouts. */
  Duration takeOverTimeout() {
    return failover.coordinator().sessionTimeout().multipliedBy(2);
  }

  /** Holding the leadership: checks the choice again, claims an epoch, becomes the primary. */
  private void takeOver(ClusterView view) {
    Optional<SwitchoverRequest> switchover = records.switchover().filter(r -> !r.isRefused());
    CandidateChoice.Choice choice =
        CandidateChoice.choose(
            view.members(), view.primary(), maxLag(), switchover.map(SwitchoverRequest::to));
    boolean byHand = forced;
    if (!byHand && choice.winner().map(w -> !w.id().equals(memberId)).orElse(true)) {
      giveUpBid("no longer the best candidate: " + choice.reason());
      return;
    }
    long seen = ledger.current();
    long epoch;
    try {
      epoch = ledger.claimAtLeast(seen, Primary.highestEpoch(db) + 1);
    } catch (EpochConflictException ex) {
      giveUpBid(ex.getMessage());
      return;
    }
    splits.fenceBeforeLeading();
    if (!lease.renewNow()) {
      giveUpBid("the coordinator did not answer the takeover's heartbeat");
      return;
    }
    Optional<PrimaryRecord> previous = view.primary();
    EpochHistory.Term begun = node.becomePrimary(epoch);
    leading = true;
    term.begin(epoch, begun.startSequence());
    term.record(confirmedNow());
    CompletableFuture<Void> waiting = forcedTakeOver;
    if (waiting != null) {
      waiting.complete(null);
    }
    String from = previous.map(PrimaryRecord::id).orElse("");
    boolean planned = switchover.map(r -> r.isHandedOff() && r.to().equals(memberId)).orElse(false);
    forced = false;
    String why =
        TakeOverReason.of(byHand, planned, splitJustLanded, previous, memberId, choice.reason());
    splitJustLanded = false;
    if (previous.isPresent()) {
      records.writeFailover(
          new FailoverRecord(System.currentTimeMillis(), from, memberId, epoch, why));
    }
    if (planned) {
      records.clearSwitchover();
    }
    setState("primary of epoch " + epoch + " (" + why + ")");
    registry.updateNow(self());
  }

  /** What {@link PrimaryAdmission} reads of the loop's state. */
  private final class Leadership implements PrimaryAdmission.Leadership {
    @Override
    public boolean holds() {
      LeaderElection e = election;
      return leading && e != null && e.hasLeadership();
    }

    @Override
    public String switchingTo() {
      return switchingTo;
    }

    @Override
    public String state() {
      return state;
    }
  }

  /** The primary's side of a switchover, its state changes here. */
  private final class HandingOff implements SwitchoverHandoff.Primary {
    @Override
    public void pauseWrites(String target) {
      switchingTo = target;
    }

    @Override
    public void resumeWrites() {
      switchingTo = null;
    }

    @Override
    public void waiting(String target) {
      setState("primary; a switchover to " + target + " waits for it to catch up");
    }

    @Override
    public void stepDown(String target, long lastSequence) {
      leading = false;
      term.record(lastSequence);
      giveUpBid("switchover to " + target);
      switchingTo = null;
      registry.updateNow(self());
      setState("handed the primary role to " + target + " at sequence " + lastSequence);
    }

    @Override
    public void refused(SwitchoverRequest asked, String why) {
      LOG.warn("switchover to {} refused: {}", asked.to(), why);
      setState(
          "primary of epoch " + term.epoch() + " (a switchover to " + asked.to() + " was refused)");
    }
  }

  private void lostLeadership() {
    leading = false;
    giveUpBid("leadership lost");
    setState("lost the leadership; refusing writes until the cluster has a primary");
  }

  private void giveUpBid(String why) {
    LeaderElection e = election;
    if (e != null) {
      election = null;
      LOG.info("{} gives up its leadership bid: {}", memberId, why);
      e.close();
    }
  }

  /**
   * Up to where this primary's writes are confirmed: at an acknowledgement level that waits, what a
   * replica confirmed (never less than the term's start); at {@code async}, everything it wrote.
   */
  private long confirmedNow() {
    Primary p = node.primary();
    if (p == null) {
      return term.termStart() - 1;
    }
    return options.replicationAck().waits()
        ? Math.max(term.termStart() - 1, p.confirmedSequence())
        : db.wal().nextSequence() - 1;
  }

  /** Publishes this node's figures (the registry writes them at most every 200 ms). */
  private void publish() {
    MemberInfo info = self();
    if (!info.equals(registry.latest())) {
      registry.update(info);
    }
  }

  private MemberInfo self() {
    return figures.now(leading, state);
  }

  private long maxLag() {
    return failover.maxLag(options.replicationAck());
  }

  private void setState(String s) {
    state = s;
    if (!s.equals(loggedState)) {
      loggedState = s;
      // A cluster stuck without a primary is a warning; an election under way is news.
      if (s.startsWith("no primary:")) {
        LOG.warn("cluster {}: {}", failover.coordinator().cluster(), s);
      } else {
        LOG.info("cluster {}: {}", failover.coordinator().cluster(), s);
      }
    }
  }

  /** Gives up leadership and the session (members see this node leave at once). Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    leading = false;
    LeaderElection e = election;
    if (e != null) {
      e.close();
    }
    ShardMapWatch w = shardWatch;
    if (w != null) {
      w.close();
    }
    registry.close();
    lease.close();
    coordinator.close();
  }
}
