package io.kevo.replication;

import io.kevo.proto.replication.WALStreamResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
    sessions.remove(sessionId);
  }

  /** Removes {@code session} only if it is still the one registered under its id. */
  void unregister(PrimarySession session) {
    sessions.remove(session.id(), session);
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
}
