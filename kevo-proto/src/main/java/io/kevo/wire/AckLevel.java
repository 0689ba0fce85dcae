package io.kevo.wire;

import java.util.Locale;

/**
 * How many replicas must have made a write durable before the primary answers it: the server's
 * {@code --replication-ack}, the primary's wait, and what a client asks for per write. Immutable.
 *
 * <p>Text form (the {@code --replication-ack} flag and the {@code kevo-ack} request metadata):
 * {@code async}, {@code replica:N} (N at least 1; {@code replica} alone means {@code replica:1}) or
 * {@code all}; case-insensitive.
 *
 * <ul>
 *   <li>{@link Kind#ASYNC}: answer once the write is in the primary's log (replicas follow later).
 *   <li>{@link Kind#REPLICA}: answer once at least {@link #replicas()} replicas acknowledged a
 *       position at or past the write's sequence (a replica acknowledges what it made durable).
 *   <li>{@link Kind#ALL}: answer once every replica that was connected when the write was committed
 *       has acknowledged it, or has disconnected since (see the replication module's {@code
 *       Primary.awaitAcknowledged}); and at least one replica has, whoever is connected: {@code
 *       all} is never weaker than {@code replica:1}.
 * </ul>
 *
 * <p>If the level is not met within the server's {@code --replication-ack-timeout} (cut to the
 * call's deadline), the write fails with {@code DEADLINE_EXCEEDED}: it is committed on the primary
 * but not confirmed, never silently downgraded (the Java client raises a {@code
 * ReplicationTimeoutException}).
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

  /** Return after the local WAL. */
  public static final AckLevel ASYNC = new AckLevel(Kind.ASYNC, 0);

  /** Every connected replica. */
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

  /** At least {@code n} replicas ({@code n >= 1}). */
  public static AckLevel replica(int n) {
    return new AckLevel(Kind.REPLICA, n);
  }

  /**
   * Parses the text form (see the class comment).
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static AckLevel parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException(usage("null"));
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "async":
        return ASYNC;
      case "all":
        return ALL;
      case "replica":
        return replica(1);
      default:
        break;
    }
    if (t.startsWith("replica:")) {
      try {
        int n = Integer.parseInt(t.substring("replica:".length()));
        if (n >= 1) {
          return replica(n);
        }
      } catch (NumberFormatException e) {
        // fall through to the usage message
      }
    }
    throw new IllegalArgumentException(usage(text));
  }

  private static String usage(String got) {
    return "acknowledgement level must be async, replica:N (N >= 1) or all; got '" + got + "'";
  }

  /** Whether the write waits for replicas at all. */
  public boolean waits() {
    return kind != Kind.ASYNC;
  }

  /** The text form: {@code async}, {@code replica:N} or {@code all}. */
  @Override
  public String toString() {
    return switch (kind) {
      case ASYNC -> "async";
      case REPLICA -> "replica:" + replicas;
      case ALL -> "all";
    };
  }
}
