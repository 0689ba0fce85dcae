package io.kevo.coordination;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's bid for the cluster's leadership, through Curator's {@link LeaderLatch} on the
 * cluster's {@code leader} znode: at most one participant holds it at a time, and only while its
 * session lives (the latch's node is ephemeral). A node bids only once {@link CandidateChoice} has
 * named it, so the latch rarely has a second participant; it is what makes two winners impossible
 * if two nodes ever disagree.
 *
 * <p>The listener is told when this node gains and loses leadership, on Curator's event thread; it
 * must be quick. Leadership is lost when the session is (the coordinator's error policy treats only
 * a lost session as an error, so a suspended connection keeps it: the primary's write gate closes
 * on its own meanwhile). {@link #close()} gives it up; idempotent, throws nothing.
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  /** Told of leadership changes. */
  public interface Listener {
    /** This node now holds leadership. */
    void gained();

    /** This node no longer holds leadership. */
    void lost();
  }

  private final LeaderLatch latch;
  private final Coordinator coordinator;
  private final String id;
  private final AtomicBoolean closed = new AtomicBoolean();

  private LeaderElection(Coordinator coordinator, String id, Listener listener) {
    this.id = id;
    this.coordinator = coordinator;
    this.latch =
        new LeaderLatch(
            coordinator.client(), coordinator.path("leader"), id, LeaderLatch.CloseMode.SILENT);
    latch.addListener(
        new LeaderLatchListener() {
          @Override
          public void isLeader() {
            LOG.info("{} holds the leadership", id);
            listener.gained();
          }

          @Override
          public void notLeader() {
            LOG.warn("{} no longer holds the leadership", id);
            listener.lost();
          }
        });
  }

  /** Starts bidding for leadership as member {@code id}. */
  public static LeaderElection bid(Coordinator coordinator, String id, Listener listener) {
    Objects.requireNonNull(coordinator, "coordinator");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(listener, "listener");
    LeaderElection e = new LeaderElection(coordinator, id, listener);
    try {
      e.latch.start();
    } catch (Exception ex) {
      throw new CoordinationException("cannot bid for leadership as " + id, ex);
    }
    return e;
  }

  /** Whether this node holds leadership now, as far as its session knows. */
  public boolean hasLeadership() {
    return !closed.get() && latch.hasLeadership();
  }

  /**
   * Whether the ensemble still names this node the leader (its bid is the first): a read of the
   * ensemble, unlike {@link #hasLeadership()}, so it also sees a bid removed by another session.
   */
  public boolean holdsOnEnsemble() {
    return hasLeadership() && leader(coordinator).map(id::equals).orElse(false);
  }

  /** The member id this node bids as. */
  public String id() {
    return id;
  }

  /**
   * The member id holding the cluster's leadership now (the first participant of the latch), if
   * anyone bids.
   */
  public static Optional<String> leader(Coordinator coordinator) {
    String dir = coordinator.path("leader");
    try {
      List<String> children;
      try {
        children = coordinator.client().getChildren().forPath(dir);
      } catch (KeeperException.NoNodeException e) {
        return Optional.empty();
      }
      // Latch nodes end in a 10-digit sequence number; the smallest leads.
      List<String> ordered =
          children.stream()
              .sorted(Comparator.comparing(c -> c.substring(Math.max(0, c.length() - 10))))
              .toList();
      for (String child : ordered) {
        try {
          byte[] data = coordinator.client().getData().forPath(dir + "/" + child);
          return Optional.of(new String(data, StandardCharsets.UTF_8));
        } catch (KeeperException.NoNodeException e) {
          // That participant left between the listing and the read; the next one leads.
        }
      }
      return Optional.empty();
    } catch (Exception e) {
      throw new CoordinationException("cannot read the leader at " + dir, e);
    }
  }

  /**
   * Removes member {@code id}'s bids although another session owns them: for a leader known to be
   * gone whose session has not expired yet, so that the next one need not wait for it. A live
   * leader's latch does not notice its node go: such a leader learns it from {@link
   * #holdsOnEnsemble()}.
   *
   * @return how many bids were removed
   */
  public static int evict(Coordinator coordinator, String id) {
    String dir = coordinator.path("leader");
    int removed = 0;
    try {
      List<String> children;
      try {
        children = coordinator.client().getChildren().forPath(dir);
      } catch (KeeperException.NoNodeException e) {
        return 0;
      }
      for (String child : children) {
        try {
          byte[] data = coordinator.client().getData().forPath(dir + "/" + child);
          if (id.equals(new String(data, StandardCharsets.UTF_8))) {
            coordinator.client().delete().forPath(dir + "/" + child);
            removed++;
          }
        } catch (KeeperException.NoNodeException e) {
          // Gone meanwhile.
        }
      }
      return removed;
    } catch (Exception e) {
      throw new CoordinationException("cannot remove the bids of " + id + " at " + dir, e);
    }
  }

  /** Gives up leadership (or the bid); idempotent, throws nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        latch.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("giving up the leadership bid of {} failed", id, e);
      }
    }
  }
}
