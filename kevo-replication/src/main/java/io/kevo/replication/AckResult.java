package io.kevo.replication;

/**
 * How a wait for replica acknowledgements ended ({@link
 * io.kevo.replication.primary.Primary#awaitAcknowledged}).
 *
 * @param sequence the write's (last) sequence that was waited for
 * @param confirmed whether the level was met in time
 * @param acknowledged replicas that had acknowledged {@code sequence} when the wait ended
 * @param required replicas the level needed: N for {@code replica:N}; for {@code all}, the replicas
 *     connected when the wait began that were still connected when it ended
 */
public record AckResult(long sequence, boolean confirmed, int acknowledged, int required) {}
