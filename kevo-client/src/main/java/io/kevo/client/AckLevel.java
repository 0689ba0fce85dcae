package io.kevo.client;

import java.util.Locale;

/**
 * How many replicas must have made a write durable before the primary answers it (the {@code
 * kevo-ack} request metadata). Immutable.
 *
 * <ul>
 *   <li>{@link #ASYNC}: once the write is in the primary's log.
 *   <li>{@link #replica(int) replica(N)}: once at least N replicas acknowledged it as durable.
 *   <li>{@link #ALL}: once every replica connected when it was committed acknowledged it (a replica
 *       that disconnects meanwhile is not waited for).
 * </ul>
 *
 * <p>If the level is not met within the server's {@code --replication-ack-timeout} (cut to the
 * call's deadline), the call fails with a {@link ReplicationTimeoutException}: the write is
 * committed on the primary but not confirmed — never silently downgraded.
 *
 * @param kind the level
 * @param replicas N for {@link Kind#REPLICA}; 0 otherwise
 */
public record AckLevel(Kind kind, int replicas) {
  /** The three levels. */
  public enum Kind {
    ASYNC,
    REPLICA,
    ALL
  }

  public static final AckLevel ASYNC = new AckLevel(Kind.ASYNC, 0);
  public static final AckLevel ALL = new AckLevel(Kind.ALL, 0);

  public AckLevel {
    if (kind == null) {
      throw new IllegalArgumentException("kind must not be null");
    }
    if (kind == Kind.REPLICA ? replicas < 1 : replicas != 0) {
      throw new IllegalArgumentException(
          kind == Kind.REPLICA
              ? "replica:N needs N >= 1, got " + replicas
              : kind + " takes no replica count");
    }
  }

  /** At least {@code n >= 1} replicas. */
  public static AckLevel replica(int n) {
    return new AckLevel(Kind.REPLICA, n);
  }

  /**
   * Parses {@code async}, {@code replica:N} ({@code replica} is {@code replica:1}) or {@code all},
   * case-insensitive.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static AckLevel parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("async")) {
      return ASYNC;
    }
    if (t.equals("all")) {
      return ALL;
    }
    if (t.equals("replica")) {
      return replica(1);
    }
    if (t.startsWith("replica:")) {
      try {
        int n = Integer.parseInt(t.substring("replica:".length()));
        if (n >= 1) {
          return replica(n);
        }
      } catch (NumberFormatException e) {
        // below
      }
    }
    throw new IllegalArgumentException(
        "acknowledgement level must be async, replica:N (N >= 1) or all; got '" + text + "'");
  }

  /** The wire form: {@code async}, {@code replica:N} or {@code all}. */
  @Override
  public String toString() {
    return switch (kind) {
      case ASYNC -> "async";
      case REPLICA -> "replica:" + replicas;
      case ALL -> "all";
    };
  }
}
