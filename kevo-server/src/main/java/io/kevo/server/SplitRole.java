package io.kevo.server;

import io.kevo.coordination.ClusterView;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardRange;
import io.kevo.coordination.SplitRecord;
import io.kevo.coordination.SplitStore;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KeyRange;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's part in the splits of a sharded cluster (issue 20), one step per tick of the failover
 * loop ({@link CoordinatedNode}), before the loop looks at its own group:
 *
 * <ul>
 *   <li><b>On the shard that splits</b>, every node fences the moving keys in its {@link ShardGate}
 *       while the split record asks for it (fencing, fenced, or flipped but the node's map not yet
 *       past it), so that a replica elected meanwhile never takes them. The primary carries the
 *       fence out: it rolls back open transactions, waits for the writes its gate admitted before
 *       (the gate's {@link WriteDrain}), and records its term and last sequence in the record. A
 *       primary elected later in the shard does it again for its own term.
 *   <li><b>On the new shard</b>, which is not in the map yet, a node takes no part in its group's
 *       election (its group owns nothing): while a split into it is under way it copies the source
 *       shard's log as a learner of the source's primary; otherwise it waits. Once the map gives
 *       its shard the keys, the loop elects at once, without the grace ({@link Next#ELECT_NOW}). A
 *       learner keeps only the moving keys: it bootstraps from a snapshot of them.
 *   <li><b>On the source of a split that is done</b>, every node's database keeps only the shard's
 *       keys from then on ({@link RangeKeeper}): the moved keys leave its disk.
 * </ul>
 *
 * <p>Confined to the failover loop's thread.
 */
final class SplitRole {
  private static final Logger LOG = LoggerFactory.getLogger(SplitRole.class);

  /** How long a fence waits for the writes admitted before it. */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  /** What the loop does after this step. */
  enum Next {
    /** Go on as in an unsharded cluster. */
    ELECT,
    /** This node's shard owns nothing yet: no election; {@link #state()} says why. */
    WAIT,
    /** This node's shard has just received its keys from a split: elect without the grace. */
    ELECT_NOW
  }

  private final Coordinator coordinator;
  private final SplitStore store;
  private final ShardGate gate;
  private final NodeReplication node;
  private final KevoDB db;
  private final ToIntFunction<String> rollBackTransactions;
  private final RangeKeeper keeper;
  private boolean learning;
  private String state = "";

  SplitRole(
      Coordinator coordinator,
      ShardGate gate,
      NodeReplication node,
      KevoDB db,
      ToIntFunction<String> rollBackTransactions) {
    this.coordinator = coordinator;
    this.store = new SplitStore(coordinator);
    this.gate = gate;
    this.node = node;
    this.db = db;
    this.rollBackTransactions = rollBackTransactions;
    this.keeper = new RangeKeeper(db);
  }

  /** What the node does about splits, in words, after a {@link Next#WAIT}. */
  String state() {
    return state;
  }

  /**
   * One step.
   *
   * @param leading whether this node leads its shard's group now
   * @param epoch its term's epoch when leading
   */
  Next step(boolean leading, long epoch) {
    String shard = gate.shard();
    ShardMap map = gate.map();
    if (shard == null || map == null) {
      return Next.ELECT; // not sharded, or the map is not read yet (the gate refuses keys)
    }
    // A node of a shard in the map reads its own shard's record only (one read a tick); a node of
    // a shard not in the map yet looks for the split into it among all.
    boolean inMap = map.shard(shard).isPresent();
    List<SplitStore.Held> splits = inMap ? store.read(shard).stream().toList() : store.all();
    source(splits, shard, map, leading, epoch);
    if (inMap) {
      // Keys leave a node's disk only once a split of its own shard is done: a data directory
      // with keys outside its shard for any other reason (an unsharded cluster's) keeps them.
      boolean gaveKeysAway =
          splits.stream()
              .anyMatch(
                  h ->
                      h.record().from().equals(shard)
                          && h.record().state() == SplitRecord.State.DONE);
      if (gaveKeysAway) {
        keeper.keep(shard, RangeKeeper.keys(map.shard(shard).orElseThrow()));
      }
      if (learning) {
        learning = false;
        LOG.info(
            "shard {} owns {} from now on: electing its primary",
            shard,
            map.shard(shard).orElseThrow().describe());
        return Next.ELECT_NOW;
      }
      return Next.ELECT;
    }
    Optional<SplitStore.Held> into =
        splits.stream()
            .filter(h -> h.record().to().equals(shard) && !h.record().state().ended())
            .findFirst();
    if (into.isEmpty()) {
      if (learning) {
        learning = false;
        node.stopLearning();
      }
      state =
          "shard "
              + shard
              + " is not in the shard map (version "
              + map.version()
              + "): waiting for a split into it (kevo cluster split)";
      return Next.WAIT;
    }
    learn(into.get().record(), map);
    return Next.WAIT;
  }

  /**
   * Reads this shard's split again and fences the gate if it asks for it: a node about to lead
   * calls this after claiming its epoch, so that a fence recorded after its last step (and a split
   * that flipped meanwhile) is in force before it takes a write.
   */
  void fenceBeforeLeading() {
    String shard = gate.shard();
    ShardMap map = gate.map();
    if (shard != null && map != null) {
      source(store.read(shard).stream().toList(), shard, map, false, 0);
    }
  }

  /** The fence of this node's own shard's split, if one asks for it. */
  private void source(
      List<SplitStore.Held> splits, String shard, ShardMap map, boolean leading, long epoch) {
    Optional<SplitStore.Held> own =
        splits.stream().filter(h -> h.record().from().equals(shard)).findFirst();
    if (own.isEmpty()) {
      gate.unfence();
      return;
    }
    SplitRecord r = own.get().record();
    boolean stillMine = map.shard(shard).map(range -> range.contains(r.at())).orElse(false);
    if (!r.fencesSource() || !stillMine) {
      gate.unfence();
      return;
    }
    gate.fence(r);
    boolean fenceAsked =
        r.state() == SplitRecord.State.FENCING
            || (r.state() == SplitRecord.State.FENCED && r.fenceEpoch() != epoch);
    if (leading && fenceAsked && node.role() == NodeRole.PRIMARY) {
      fence(own.get(), epoch);
    }
  }

  /**
   * Records the fence: every write of the moving keys this primary took is in its log at or before
   * the sequence it records.
   */
  private void fence(SplitStore.Held held, long epoch) {
    SplitRecord r = held.record();
    int rolledBack =
        rollBackTransactions.applyAsInt(
            "rolled back: shard "
                + r.from()
                + " is handing the keys from "
                + ShardRange.keyText(r.at())
                + " on to shard "
                + r.to()
                + " (a split); begin it again");
    if (!gate.writes().drain(DRAIN_TIMEOUT)) {
      LOG.warn(
          "split {}: writes admitted before the fence did not end within {} ms; trying again",
          r.describe(),
          DRAIN_TIMEOUT.toMillis());
      return;
    }
    long last = db.wal().nextSequence() - 1;
    SplitRecord fenced = r.fenced(epoch, last);
    if (store.replace(held, fenced).isPresent()) {
      LOG.info(
          "split {}: fenced at sequence {} of epoch {} ({} open transactions rolled back)",
          fenced.describe(),
          last,
          epoch,
          rolledBack);
    }
  }

  /** Follows the source shard's primary as a learner of the moving keys. */
  private void learn(SplitRecord r, ShardMap map) {
    Optional<ShardRange> source = map.shard(r.from());
    if (source.isEmpty()) {
      state =
          "waiting for the split " + r.describe() + ": shard " + r.from() + " is not in the map";
      return;
    }
    KeyRange moving = new KeyRange(r.at(), source.get().end());
    Optional<MemberInfo> primary = ClusterView.read(coordinator.group(r.from())).primaryMember();
    if (primary.isEmpty()) {
      state = "learning for the split " + r.describe() + ": shard " + r.from() + " has no primary";
      return;
    }
    String address = primary.get().clientAddress();
    if (!learning || !node.learnsFrom(address, moving)) {
      node.becomeLearnerOf(address, moving);
    }
    learning = true;
    state =
        "learning shard "
            + r.from()
            + "'s log from "
            + primary.get().id()
            + " at "
            + address
            + " for the split "
            + r.describe()
            + " (keeping the keys "
            + new ShardRange(r.to(), r.at(), source.get().end()).text()
            + ")";
  }
}
