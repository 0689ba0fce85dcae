package io.kevo.replication;

import io.kevo.proto.replication.WALStreamResponse;
import java.util.Optional;

/**
 * The primary's live replica sessions (the seed's {@code SessionManager}). Thread-safe.
 *
 * @param <S> the session type
 */
public interface SessionManager<S extends SessionManager.Session> {
  /** One replica's stream as the session manager sees it. */
  interface Session {
    /** The id sent to the replica as {@code session-id}. */
    String id();

    /**
     * Queues {@code response} (e.g. a heartbeat) for the stream; returns false if the session
     * cannot take it now (closed, or its stream is not ready).
     */
    boolean offer(WALStreamResponse response);
  }

  void registerSession(String sessionId, S session);

  void unregisterSession(String sessionId);

  Optional<S> getSession(String sessionId);

  /** Offers {@code batch} to every session; returns how many took it. */
  int broadcastBatch(WALStreamResponse batch);

  int countSessions();
}
