package io.kevo.client;

import io.kevo.wire.AckLevel;

/**
 * How one write is made durable: whether the primary syncs its log before answering, and the
 * acknowledgement level (null: {@link ClientOptions#ackLevel()}, and if that is null too, the
 * server's {@code --replication-ack}). Immutable.
 *
 * @param sync whether the server syncs its log before answering
 * @param ack the acknowledgement level for this write, or null for the default
 */
public record WriteSpec(boolean sync, AckLevel ack) {
  /** No sync, the default acknowledgement level. */
  public static final WriteSpec DEFAULT = new WriteSpec(false, null);

  /** The default acknowledgement level with {@code sync}. */
  public static WriteSpec sync(boolean sync) {
    return new WriteSpec(sync, null);
  }

  /** No sync, acknowledgement level {@code ack}. */
  public static WriteSpec ack(AckLevel ack) {
    return new WriteSpec(false, ack);
  }

  /** This spec with another acknowledgement level. */
  public WriteSpec withAck(AckLevel level) {
    return new WriteSpec(sync, level);
  }

  /** This spec with another sync choice. */
  public WriteSpec withSync(boolean s) {
    return new WriteSpec(s, ack);
  }
}
