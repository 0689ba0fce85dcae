package io.kevo.replication.primary;

import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.SessionManager;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The primary's live sessions by id: acks and nacks look sessions up here, heartbeats are broadcast
 * through {@link #broadcastBatch}, status and timeouts iterate them. Thread-safe.
 */
final class Sessions implements SessionManager<PrimarySession> {
  private final ConcurrentHashMap<String, PrimarySession> sessions = new ConcurrentHashMap<>();

  @Override
  public void registerSession(String sessionId, PrimarySession session) {
    if (sessions.putIfAbsent(sessionId, session) != null) {
      throw new IllegalStateException("session " + sessionId + " is already registered");
    }
  }

  @Override
  public void unregisterSession(String sessionId) {
    if (sessions.remove(sessionId) != null) {
      removed();
    }
  }

  /** Removes {@code session} only if it is still the one registered under its id. */
  void unregister(PrimarySession session) {
    if (sessions.remove(session.id(), session)) {
      removed();
    }
  }

  private synchronized void removed() {
    notifyAll();
  }

  /**
   * Waits until no session is registered, at most {@code timeoutNanos}; returns whether none is.
   */
  synchronized boolean awaitEmpty(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (!sessions.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  @Override
  public Optional<PrimarySession> getSession(String sessionId) {
    return Optional.ofNullable(sessions.get(sessionId));
  }

  @Override
  public int broadcastBatch(WALStreamResponse batch) {
    int took = 0;
    for (PrimarySession s : sessions.values()) {
      if (s.offer(batch)) {
        took++;
      }
    }
    return took;
  }

  @Override
  public int countSessions() {
    return sessions.size();
  }

  List<PrimarySession> all() {
    return List.copyOf(sessions.values());
  }

  /** Runs {@code action} on each live session, without copying them first. */
  void forEach(Consumer<PrimarySession> action) {
    sessions.values().forEach(action);
  }
}
