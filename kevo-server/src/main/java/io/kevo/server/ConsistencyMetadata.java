package io.kevo.server;

import io.grpc.Metadata;

/**
 * The gRPC metadata of acknowledgement levels and read-your-writes on {@code kevo.KevoService}. All
 * values are ASCII decimal numbers, except {@link #ACK}.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>where</th><th>meaning</th></tr>
 *   <tr><td>{@code kevo-ack}</td><td>request (Put, Delete, BatchWrite, CommitTransaction)</td>
 *       <td>{@code async}, {@code replica:N} or {@code all}: overrides the server's
 *       {@code --replication-ack} for this write</td></tr>
 *   <tr><td>{@code kevo-min-sequence}</td><td>request (Get, Scan, read-only BeginTransaction)</td>
 *       <td>the read must see at least this sequence; a replica waits for it (Get, BeginTransaction)
 *       or refuses at once (Scan) with {@code UNAVAILABLE}; a primary reads at once up to it, even
 *       above the writes its replicas confirmed</td></tr>
 *   <tr><td>{@code kevo-sequence}</td><td>response trailer</td><td>of a write: its commit
 *       sequence (the last of a batch or transaction), also on an acknowledgement timeout; of a
 *       read that carried {@code kevo-min-sequence}: the sequence it read at, taken just after the
 *       read (at least what it saw; on a primary that serves confirmed writes only, never beyond
 *       the confirmed sequence or the request's own token)</td></tr>
 *   <tr><td>{@code kevo-epoch}</td><td>response trailer, with {@code kevo-sequence}</td><td>the
 *       primary's epoch; always 0 until epochs exist</td></tr>
 *   <tr><td>{@code kevo-ack-replicas}</td><td>response trailer of a write that waited</td><td>how
 *       many replicas had acknowledged it when the wait ended</td></tr>
 *   <tr><td>{@code kevo-applied-sequence}</td><td>trailer of a replica's {@code UNAVAILABLE}</td>
 *       <td>the replica's applied sequence, below the requested minimum</td></tr>
 * </table>
 */
public final class ConsistencyMetadata {
  private ConsistencyMetadata() {}

  public static final Metadata.Key<String> ACK =
      Metadata.Key.of("kevo-ack", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> MIN_SEQUENCE =
      Metadata.Key.of("kevo-min-sequence", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> SEQUENCE =
      Metadata.Key.of("kevo-sequence", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> EPOCH =
      Metadata.Key.of("kevo-epoch", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> ACK_REPLICAS =
      Metadata.Key.of("kevo-ack-replicas", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> APPLIED_SEQUENCE =
      Metadata.Key.of("kevo-applied-sequence", Metadata.ASCII_STRING_MARSHALLER);
}
