package io.kevo.coordination;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long this node may still act as the holder of an ephemeral role, by its own monotonic clock:
 * the ensemble cannot have expired its session yet.
 *
 * <p>Every {@code interval} a heartbeat (a read of the cluster's root) goes to the ensemble. When
 * one is answered, the lease runs until the time it was <em>sent</em> plus half the session
 * timeout: the ensemble heard from the session after that send, and expires a session no sooner
 * than one session timeout after it last heard from it, so the lease ends well before anyone else
 * can be elected. A process paused (SIGSTOP, a long GC pause) past its lease finds it expired when
 * it resumes, before any heartbeat of its own is answered, because the monotonic clock ran on.
 *
 * <p>The session timeout used is the smaller of the one asked for and the one the ensemble granted.
 * Thread-safe; {@link #close()} is idempotent and throws nothing.
 */
public final class Lease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Lease.class);

  private final Coordinator coordinator;
  private final LongSupplier nanoTime;
  private final ScheduledExecutorService heartbeats;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long validUntilNanos;
  private volatile long lastAnsweredNanos;
  private volatile boolean answeredOnce;

  private Lease(Coordinator coordinator, LongSupplier nanoTime) {
    this.coordinator = coordinator;
    this.nanoTime = nanoTime;
    long now = nanoTime.getAsLong();
    this.validUntilNanos = now;
    this.lastAnsweredNanos = now;
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kevo-lease");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts heartbeats every {@code interval}; the lease is expired until the first answer. */
  public static Lease start(Coordinator coordinator, Duration interval) {
    Objects.requireNonNull(coordinator, "coordinator");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("heartbeat interval must be positive, got " + interval);
    }
    Lease lease = new Lease(coordinator, System::nanoTime);
    lease.heartbeats.scheduleWithFixedDelay(
        lease::heartbeat, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    return lease;
  }

  /** A heartbeat interval suited to {@code options}: an eighth of the session timeout. */
  public static Duration defaultInterval(CoordinatorOptions options) {
    return options.sessionTimeout().dividedBy(8);
  }

  /** Whether the lease holds now. */
  public boolean valid() {
    return !closed.get() && nanoTime.getAsLong() - validUntilNanos < 0;
  }

  /** Why the lease does not hold now, or null if it does. */
  public String refusal() {
    if (closed.get()) {
      return "the coordinator session is closed";
    }
    long now = nanoTime.getAsLong();
    if (now - validUntilNanos < 0) {
      return null;
    }
    if (!answeredOnce) {
      return "the coordinator has not answered yet";
    }
    return "the coordinator last answered "
        + TimeUnit.NANOSECONDS.toMillis(now - lastAnsweredNanos)
        + " ms ago (the lease lasts half the session timeout from a heartbeat)";
  }

  /** Sends one heartbeat now and waits for it; for takeovers that must not wait for the next. */
  public boolean renewNow() {
    return heartbeat();
  }

  private boolean heartbeat() {
    if (closed.get()) {
      return false;
    }
    long sent = nanoTime.getAsLong();
    try {
      coordinator.client().checkExists().forPath("/");
    } catch (Exception e) {
      LOG.debug("heartbeat to the coordinator failed: {}", e.toString());
      return false;
    }
    if (coordinator.state() != SessionState.LIVE) {
      return false;
    }
    long half = sessionTimeoutNanos() / 2;
    long until = sent + half;
    long answered = nanoTime.getAsLong();
    synchronized (this) {
      if (until - validUntilNanos > 0) {
        validUntilNanos = until;
      }
      lastAnsweredNanos = answered;
      answeredOnce = true;
    }
    return true;
  }

  private long sessionTimeoutNanos() {
    long asked = coordinator.options().sessionTimeout().toNanos();
    try {
      int granted = coordinator.client().getZookeeperClient().getZooKeeper().getSessionTimeout();
      if (granted > 0) {
        return Math.min(asked, TimeUnit.MILLISECONDS.toNanos(granted));
      }
    } catch (Exception e) {
      LOG.debug("cannot read the granted session timeout: {}", e.toString());
    }
    return asked;
  }

  /** Ends the lease and its heartbeats. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      heartbeats.shutdownNow();
    }
  }
}
