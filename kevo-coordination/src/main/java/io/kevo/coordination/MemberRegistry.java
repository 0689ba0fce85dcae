package io.kevo.coordination;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's entry in the cluster's {@code members/} directory, and a reader of everyone's.
 *
 * <p>The entry is an ephemeral znode {@code members/ID} holding {@link MemberInfo} as JSON (see
 * {@link MemberCodec}), kept by Curator's {@link PersistentNode} recipe: it is created again, with
 * the latest figures, after a session is lost and a new one established. It vanishes when the
 * session ends, so a member listed is a member whose session is live.
 *
 * <p>{@link #update(MemberInfo)} is coalesced: a node's durable sequence moves with every write, so
 * at most one znode write per {@code minInterval} (default {@link #DEFAULT_MIN_INTERVAL}), the last
 * one carrying the latest figures. Thread-safe: updates from any thread; the writes run on the
 * registry's one scheduler thread. {@link #close()} is idempotent and removes the entry.
 */
public final class MemberRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemberRegistry.class);

  /** The least time between two writes of this node's entry. */
  public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMillis(200);

  private final Coordinator coordinator;
  private final PersistentNode node;
  private final long minIntervalNanos;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong writes = new AtomicLong();
  private final Object lock = new Object();
  // Guarded by lock.
  private MemberInfo latest;
  private MemberInfo pending;
  private boolean flushScheduled;
  private long lastWriteNanos;
  private boolean closed;

  private MemberRegistry(Coordinator coordinator, MemberInfo self, Duration minInterval) {
    this.coordinator = coordinator;
    this.minIntervalNanos = minInterval.toNanos();
    this.latest = self;
    this.lastWriteNanos = System.nanoTime() - minIntervalNanos;
    this.node =
        new PersistentNode(
            coordinator.client(),
            CreateMode.EPHEMERAL,
            false,
            coordinator.path("members/" + self.id()),
            MemberCodec.encode(self));
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kevo-member-" + self.id());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Registers {@code self} with the default coalescing interval; the entry appears as soon as the
   * session is live (see {@link #awaitRegistered(Duration)}).
   */
  public static MemberRegistry register(Coordinator coordinator, MemberInfo self) {
    return register(coordinator, self, DEFAULT_MIN_INTERVAL);
  }

  /** Registers {@code self}, writing updates at most once per {@code minInterval}. */
  public static MemberRegistry register(
      Coordinator coordinator, MemberInfo self, Duration minInterval) {
    Objects.requireNonNull(coordinator, "coordinator");
    Objects.requireNonNull(self, "self");
    if (minInterval.isNegative()) {
      throw new IllegalArgumentException("minInterval must not be negative");
    }
    MemberRegistry registry = new MemberRegistry(coordinator, self, minInterval);
    registry.node.start();
    return registry;
  }

  /** Waits until the entry exists on the ensemble; false on timeout or interrupt. */
  public boolean awaitRegistered(Duration timeout) {
    try {
      return node.waitForInitialCreate(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Publishes new figures for this node (same id). Returns at once; the write happens within the
   * coalescing interval, and later calls before it replace earlier ones.
   */
  public void update(MemberInfo self) {
    Objects.requireNonNull(self, "self");
    if (!self.id().equals(latest().id())) {
      throw new IllegalArgumentException(
          "member id is fixed at " + latest().id() + ", got " + self.id());
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      latest = self;
      pending = self;
      if (flushScheduled) {
        return;
      }
      flushScheduled = true;
      long wait = Math.max(0, lastWriteNanos + minIntervalNanos - System.nanoTime());
      scheduler.schedule(this::flush, wait, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Publishes new figures for this node now, without waiting for the coalescing interval (a
   * switchover's target, whose progress the primary is waiting for). The write is sent now; the
   * recipe completes it in the background.
   */
  public void updateNow(MemberInfo self) {
    Objects.requireNonNull(self, "self");
    synchronized (lock) {
      if (closed) {
        return;
      }
      latest = self;
      pending = self;
    }
    flush();
  }

  /** The figures this node last published or queued. */
  public MemberInfo latest() {
    synchronized (lock) {
      return latest;
    }
  }

  /** Every member registered now, by id. */
  public List<MemberInfo> members() {
    return readMembers(coordinator);
  }

  /** The member {@code id} if it is registered now. */
  public static java.util.Optional<MemberInfo> readMember(Coordinator coordinator, String id) {
    String path = coordinator.path("members/" + id);
    try {
      return java.util.Optional.of(
          MemberCodec.decode(coordinator.client().getData().forPath(path)));
    } catch (KeeperException.NoNodeException e) {
      return java.util.Optional.empty();
    } catch (CoordinationException e) {
      throw e;
    } catch (Exception e) {
      throw new CoordinationException("cannot read " + path, e);
    }
  }

  /**
   * Removes member {@code id}'s entry although another session owns it: for a member known to be
   * gone (its process refuses connections) whose session has not expired yet. A live member's
   * registry creates its entry again. Harmless if absent.
   */
  public static void evict(Coordinator coordinator, String id) {
    String path = coordinator.path("members/" + id);
    try {
      coordinator.client().delete().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      // Already gone.
    } catch (Exception e) {
      throw new CoordinationException("cannot remove " + path, e);
    }
  }

  /** Every member registered now in the coordinator's cluster, by id; no registration needed. */
  public static List<MemberInfo> readMembers(Coordinator coordinator) {
    String dir = coordinator.path("members");
    List<MemberInfo> members = new ArrayList<>();
    try {
      List<String> children;
      try {
        children = coordinator.client().getChildren().forPath(dir);
      } catch (KeeperException.NoNodeException e) {
        return List.of();
      }
      for (String child : children) {
        try {
          members.add(
              MemberCodec.decode(coordinator.client().getData().forPath(dir + "/" + child)));
        } catch (KeeperException.NoNodeException e) {
          // Its session ended between the listing and the read: no longer a member.
        }
      }
    } catch (CoordinationException e) {
      throw e;
    } catch (Exception e) {
      throw new CoordinationException("cannot read the members of " + dir, e);
    }
    members.sort(Comparator.comparing(MemberInfo::id));
    return members;
  }

  /** How many times the entry was rewritten after the first create (for tests and status). */
  long writeCount() {
    return writes.get();
  }

  private void flush() {
    MemberInfo toWrite;
    synchronized (lock) {
      toWrite = pending;
      pending = null;
      flushScheduled = false;
      lastWriteNanos = System.nanoTime();
      if (toWrite == null || closed) {
        return;
      }
    }
    try {
      // PersistentNode keeps these bytes and writes them again on a re-created node.
      node.setData(MemberCodec.encode(toWrite));
      writes.incrementAndGet();
    } catch (Exception e) {
      // The recipe still holds the bytes and writes them when the node is (re)created.
      LOG.warn("member {}: update not written now ({})", toWrite.id(), e.toString());
    }
  }

  /** Removes this node's entry and stops updates; idempotent, throws nothing. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    scheduler.shutdownNow();
    try {
      node.close();
    } catch (Exception e) {
      LOG.warn("closing the member entry failed", e);
    }
  }
}
