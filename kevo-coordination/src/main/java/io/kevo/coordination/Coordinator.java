package io.kevo.coordination;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's session with the coordinator: a started Curator client on the ensemble, its state as a
 * {@link SessionState} (starting SUSPENDED until the first connection), listeners told of every
 * change, and the cluster's znode paths.
 *
 * <p>Thread-safe. Listeners run on Curator's event thread, in the order of the changes; they must
 * be quick (a primary flips a flag on SUSPENDED, it does not do I/O there). {@link #close()} is
 * idempotent, throws nothing, and ends the session (so this node's ephemeral znodes vanish at once
 * rather than after the session timeout).
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

  private final CoordinatorOptions options;
  private final CuratorFramework client;
  private final List<Consumer<SessionState>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object stateChanged = new Object();
  private volatile SessionState state = SessionState.SUSPENDED;
  private boolean connectedOnce; // Curator's event thread only
  private final Coordinator owner; // a view of another group on owner's session; else null

  private Coordinator(CoordinatorOptions options) {
    this.options = options;
    this.client =
        CuratorFrameworkFactory.builder()
            .connectString(options.connectString())
            .sessionTimeoutMs(Math.toIntExact(options.sessionTimeout().toMillis()))
            .connectionTimeoutMs(Math.toIntExact(options.connectionTimeout().toMillis()))
            // Retries of one operation stay within a session timeout: a caller on a dead
            // ensemble learns so in seconds, not minutes.
            .retryPolicy(new ExponentialBackoffRetry(100, 3, 1_000))
            // Only a lost session ends leadership (LeaderElection): a suspended connection may
            // come back within the session, and the primary's write gate closes meanwhile.
            .connectionStateErrorPolicy(new SessionConnectionStateErrorPolicy())
            .build();
    client.getConnectionStateListenable().addListener((c, s) -> changed(s));
    this.owner = null;
  }

  private Coordinator(Coordinator owner, CoordinatorOptions options) {
    this.options = options;
    this.client = owner.client;
    this.owner = owner;
  }

  /**
   * A view of shard {@code shardId}'s replication group on this session, for reading another
   * group's records (a split's new shard follows the primary of the shard it splits from). Its
   * state is this session's; closing it does nothing; it takes no listeners.
   */
  public Coordinator group(String shardId) {
    return new Coordinator(owner != null ? owner : this, options.forShard(shardId));
  }

  /**
   * Starts a session on the ensemble. Returns at once; the state is SUSPENDED until the first
   * connection (see {@link #awaitLive(Duration)}).
   */
  public static Coordinator start(CoordinatorOptions options) {
    Coordinator coordinator = new Coordinator(Objects.requireNonNull(options, "options"));
    coordinator.client.start();
    return coordinator;
  }

  /** Waits for a live session, up to {@code timeout}; false on timeout or when interrupted. */
  public boolean awaitLive(Duration timeout) {
    if (owner != null) {
      return owner.awaitLive(timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (stateChanged) {
      // Waits on this class's own state, not Curator's, so that a caller who sees true also sees
      // state() == LIVE (the listener runs on Curator's event thread after Curator connects).
      while (state != SessionState.LIVE && !closed.get()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(stateChanged, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return !closed.get();
    }
  }

  /** The session's state now. */
  public SessionState state() {
    return owner != null ? owner.state() : state;
  }

  /** Adds a listener told of each later state change (not the current state). */
  public void addListener(Consumer<SessionState> listener) {
    if (owner != null) {
      throw new IllegalStateException("a group view takes no listeners");
    }
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener; harmless if absent. */
  public void removeListener(Consumer<SessionState> listener) {
    listeners.remove(listener);
  }

  /** The options this session was started with. */
  public CoordinatorOptions options() {
    return options;
  }

  /**
   * The path of {@code relative} under the root of this session's replication group ({@link
   * CoordinatorOptions#groupPath()}), e.g. {@code members/n1}.
   */
  public String path(String relative) {
    return ZKPaths.makePath(options.groupPath(), relative);
  }

  /** The path of {@code relative} under the cluster's root, e.g. {@code shard-map}. */
  public String clusterPath(String relative) {
    return ZKPaths.makePath(options.clusterPath(), relative);
  }

  /** The Curator client, for this package's recipes. */
  CuratorFramework client() {
    return client;
  }

  private void changed(ConnectionState curatorState) {
    SessionState next = SessionState.of(curatorState);
    SessionState previous;
    synchronized (stateChanged) {
      previous = state;
      state = next;
      stateChanged.notifyAll();
    }
    // Until the first connection (a one-shot command makes one) and when nothing changed, the
    // line is routine; every later change is news.
    boolean routine = !connectedOnce || previous == next;
    connectedOnce |= curatorState == ConnectionState.CONNECTED;
    if (routine) {
      LOG.debug(
          "coordinator {} cluster {}: session {} -> {} ({})",
          options.connectString(),
          options.cluster(),
          previous,
          next,
          curatorState);
    } else {
      LOG.info(
          "coordinator {} cluster {}: session {} -> {} ({})",
          options.connectString(),
          options.cluster(),
          previous,
          next,
          curatorState);
    }
    for (Consumer<SessionState> listener : listeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        LOG.warn("session listener failed on {}", next, e);
      }
    }
  }

  /** Ends the session; idempotent, throws nothing. */
  @Override
  public void close() {
    if (owner == null && closed.compareAndSet(false, true)) {
      synchronized (stateChanged) {
        stateChanged.notifyAll();
      }
      try {
        client.close();
      } catch (RuntimeException e) {
        LOG.warn("closing the coordinator session failed", e);
      }
    }
  }
}
