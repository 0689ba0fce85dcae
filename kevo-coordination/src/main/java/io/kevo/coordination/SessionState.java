package io.kevo.coordination;

import org.apache.curator.framework.state.ConnectionState;

/**
 * What a node may do with its coordinator session, reduced from Curator's {@link ConnectionState}.
 *
 * <ul>
 *   <li>{@link #LIVE}: connected; a primary may acknowledge writes.
 *   <li>{@link #SUSPENDED}: the connection dropped and the session may or may not still exist; a
 *       primary must stop acknowledging writes at once, since another node may be elected as soon
 *       as the session expires on the ensemble.
 *   <li>{@link #LOST}: the session is gone (expired, or suspended past the session timeout); every
 *       ephemeral node and leadership it held is gone; a primary steps down.
 * </ul>
 *
 * <p>Legal moves: LIVE → SUSPENDED → (LIVE | LOST), LOST → LIVE (a new session). Curator reports
 * them in that order.
 */
public enum SessionState {
  LIVE,
  SUSPENDED,
  LOST;

  /**
   * The state a Curator connection state means. READ_ONLY counts as SUSPENDED: a read-only server
   * cannot take the writes that keep a term, so a primary must not rely on it.
   */
  public static SessionState of(ConnectionState state) {
    return switch (state) {
      case CONNECTED, RECONNECTED -> LIVE;
      case SUSPENDED, READ_ONLY -> SUSPENDED;
      case LOST -> LOST;
    };
  }
}
