package io.kevo.replication.replica;

import static io.kevo.replication.ReplicaState.ACKNOWLEDGING;
import static io.kevo.replication.ReplicaState.APPLYING_ENTRIES;
import static io.kevo.replication.ReplicaState.BOOTSTRAPPING;
import static io.kevo.replication.ReplicaState.CONNECTING;
import static io.kevo.replication.ReplicaState.ERROR;
import static io.kevo.replication.ReplicaState.FSYNC_PENDING;
import static io.kevo.replication.ReplicaState.STREAMING_ENTRIES;
import static io.kevo.replication.ReplicaState.WAITING_FOR_DATA;

import io.kevo.replication.ReplicaState;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's replication state machine: the current {@link ReplicaState}, checked against a
 * table of legal transitions on every change.
 *
 * <p>The table (from → legal next states):
 *
 * <pre>
 *   CONNECTING        → STREAMING_ENTRIES (the stream answered), ERROR,
 *                       BOOTSTRAPPING (a learner whose database does not keep the range it learns)
 *   STREAMING_ENTRIES → APPLYING_ENTRIES (a message carries entries),
 *                       WAITING_FOR_DATA (nothing more queued), FSYNC_PENDING (an ack is due), ERROR
 *   APPLYING_ENTRIES  → STREAMING_ENTRIES (more messages queued), WAITING_FOR_DATA (caught up),
 *                       FSYNC_PENDING (an ack is due), ERROR
 *   FSYNC_PENDING     → ACKNOWLEDGING (durable), ERROR
 *   ACKNOWLEDGING     → STREAMING_ENTRIES, WAITING_FOR_DATA, ERROR
 *   WAITING_FOR_DATA  → STREAMING_ENTRIES (a message arrived), FSYNC_PENDING (an ack is due), ERROR
 *   ERROR             → CONNECTING (after the backoff, or once the local database takes writes
 *                       again after its disk was full),
 *                       BOOTSTRAPPING (the primary refused the position as no longer retained)
 *   BOOTSTRAPPING     → CONNECTING (installed: stream from the snapshot's sequence + 1), ERROR
 * </pre>
 *
 * Staying in the same state is not a transition (and is refused). Every transition is logged as one
 * line {@code from → to (reason)}: at INFO when connecting or failing, at DEBUG for the
 * steady-state cycle (stream, apply, fsync, ack, wait), which repeats for every message. An illegal
 * transition is a bug and throws {@link IllegalStateException}.
 *
 * <p>Thread-safe: one thread (the replica's apply thread) drives it; any thread may read the
 * current state, the time it was entered and the transition count, and listeners are called on the
 * driving thread, after the change, in order.
 */
public final class ReplicaStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaStateMachine.class);

  private static final Map<ReplicaState, Set<ReplicaState>> LEGAL = table();

  /** Told of every transition, after it happened. Must be quick and must not throw. */
  @FunctionalInterface
  public interface Listener {
    void onTransition(ReplicaState from, ReplicaState to, String reason);
  }

  private final String name;
  private final Clock clock;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile ReplicaState state = CONNECTING;
  private volatile Instant enteredAt;
  private volatile long transitions;

  /**
   * A machine in {@link ReplicaState#CONNECTING}.
   *
   * @param name what log lines name (e.g. the replica id)
   */
  public ReplicaStateMachine(String name, Clock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.enteredAt = clock.instant();
  }

  private static Map<ReplicaState, Set<ReplicaState>> table() {
    Map<ReplicaState, Set<ReplicaState>> t = new EnumMap<>(ReplicaState.class);
    t.put(CONNECTING, EnumSet.of(STREAMING_ENTRIES, ERROR, BOOTSTRAPPING));
    t.put(STREAMING_ENTRIES, EnumSet.of(APPLYING_ENTRIES, WAITING_FOR_DATA, FSYNC_PENDING, ERROR));
    t.put(APPLYING_ENTRIES, EnumSet.of(STREAMING_ENTRIES, WAITING_FOR_DATA, FSYNC_PENDING, ERROR));
    t.put(FSYNC_PENDING, EnumSet.of(ACKNOWLEDGING, ERROR));
    t.put(ACKNOWLEDGING, EnumSet.of(STREAMING_ENTRIES, WAITING_FOR_DATA, ERROR));
    t.put(WAITING_FOR_DATA, EnumSet.of(STREAMING_ENTRIES, FSYNC_PENDING, ERROR));
    t.put(ERROR, EnumSet.of(CONNECTING, BOOTSTRAPPING));
    t.put(BOOTSTRAPPING, EnumSet.of(CONNECTING, ERROR));
    for (ReplicaState s : ReplicaState.values()) {
      t.put(s, Collections.unmodifiableSet(t.getOrDefault(s, EnumSet.noneOf(ReplicaState.class))));
    }
    return Collections.unmodifiableMap(t);
  }

  /** Whether {@code from → to} is in the table. */
  public static boolean isLegal(ReplicaState from, ReplicaState to) {
    return LEGAL.get(from).contains(to);
  }

  /** The states {@code from} may move to (unmodifiable). */
  public static Set<ReplicaState> legalNext(ReplicaState from) {
    return LEGAL.get(from);
  }

  /**
   * Moves to {@code to}, logging {@code reason}.
   *
   * @throws IllegalStateException if the table does not allow it (a bug in the caller)
   */
  public synchronized void transition(ReplicaState to, String reason) {
    ReplicaState from = state;
    if (!isLegal(from, to)) {
      throw new IllegalStateException(
          "replica " + name + ": illegal transition " + from + " → " + to + " (" + reason + ")");
    }
    state = to;
    enteredAt = clock.instant();
    transitions++;
    if (from == CONNECTING || to == CONNECTING || to == ERROR || to == BOOTSTRAPPING) {
      LOG.info("replica {}: {} → {} ({})", name, from, to, reason);
    } else {
      LOG.debug("replica {}: {} → {} ({})", name, from, to, reason);
    }
    for (Listener l : listeners) {
      l.onTransition(from, to, reason);
    }
  }

  /** Moves to {@code to} unless already there; see {@link #transition}. */
  public synchronized void transitionIfNot(ReplicaState to, String reason) {
    if (state != to) {
      transition(to, reason);
    }
  }

  public ReplicaState current() {
    return state;
  }

  /** When the current state was entered (the clock's instant). */
  public Instant enteredAt() {
    return enteredAt;
  }

  /** How many transitions were made so far. */
  public long transitionCount() {
    return transitions;
  }

  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }
}
