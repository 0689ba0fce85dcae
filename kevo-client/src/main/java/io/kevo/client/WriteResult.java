package io.kevo.client;

/**
 * What a committed write reports: its commit sequence on the primary (the last of a batch or
 * transaction) and the primary's epoch.
 *
 * <p>The epoch is always 0 until the server has epochs; then it is the epoch of the primary that
 * committed the write, and positions compare as (epoch, sequence).
 *
 * @param sequence the commit sequence ({@code kevo-sequence}); -1 if the server did not say (an
 *     older server)
 * @param epoch the primary's epoch ({@code kevo-epoch})
 */
public record WriteResult(long sequence, long epoch) {}
