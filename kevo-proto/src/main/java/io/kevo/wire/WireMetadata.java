package io.kevo.wire;

import io.grpc.Metadata;

/**
 * Every gRPC metadata key of Kevo's protocols, for clients, servers and replicas alike. Values are
 * ASCII; numbers are decimal.
 *
 * <table>
 *   <caption>Client service ({@code kevo.KevoService}): acknowledgement levels and
 *   read-your-writes</caption>
 *   <tr><th>key</th><th>where</th><th>meaning</th></tr>
 *   <tr><td>{@code kevo-force}</td><td>request (ReplicationAdmin.Promote)</td><td>{@code true}: on
 *       a node with automatic failover, take the primary role although no replica qualifies ({@code
 *       kevo promote --force}: a person decides)</td></tr>
 *   <tr><td>{@code kevo-ack}</td><td>request (Put, Delete, BatchWrite, CommitTransaction)</td>
 *       <td>an {@link AckLevel} ({@code async}, {@code replica:N} or {@code all}): overrides the
 *       server's {@code --replication-ack} for this write</td></tr>
 *   <tr><td>{@code kevo-min-sequence}</td><td>request (Get, Scan, read-only BeginTransaction)</td>
 *       <td>the read must see at least this sequence; a replica waits for it (Get, BeginTransaction)
 *       or refuses at once (Scan) with {@code UNAVAILABLE}; a primary reads at once up to it, even
 *       above the writes its replicas confirmed</td></tr>
 *   <tr><td>{@code kevo-sequence}</td><td>response trailer</td><td>of a write: its commit
 *       sequence (the last of a batch or transaction), also on an acknowledgement timeout; of a
 *       read that carried {@code kevo-min-sequence}: the one sequence it read at (on a primary that
 *       serves confirmed writes only, never beyond the confirmed sequence or the request's own
 *       token)</td></tr>
 *   <tr><td>{@code kevo-epoch}</td><td>response trailer, with {@code kevo-sequence}; response
 *       header of StreamWAL</td><td>the primary's epoch number</td></tr>
 *   <tr><td>{@code kevo-ack-replicas}</td><td>response trailer of a write that waited</td><td>how
 *       many replicas had acknowledged it when the wait ended</td></tr>
 *   <tr><td>{@code kevo-applied-sequence}</td><td>trailer of a replica's {@code UNAVAILABLE}</td>
 *       <td>the replica's applied sequence, below the requested minimum</td></tr>
 *   <tr><td>{@code kevo-primary}</td><td>trailer of a replica's refusal of a write; sent by
 *       replicas with replication refusals</td><td>the primary's client address (HOST:PORT)</td></tr>
 *   <tr><td>{@code kevo-tx-mode}</td><td>request (read-write BeginTransaction)</td><td>{@code
 *       optimistic} or {@code pessimistic}: overrides the server's {@code --transactions} default
 *       for this transaction (ignored for a read-only one)</td></tr>
 *   <tr><td>{@code kevo-tx-abort}</td><td>trailer of an {@code ABORTED} transaction call</td>
 *       <td>why it was aborted: {@code conflict} (another writer committed first), {@code
 *       lock-timeout} (a pessimistic transaction waited too long for a key's lock) or {@code
 *       deadlock} (it would have closed a cycle of waiting transactions)</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Replication ({@code replication.proto})</caption>
 *   <tr><th>key</th><th>where</th><th>meaning</th></tr>
 *   <tr><td>{@code session-id}</td><td>response header of StreamWAL; request of Acknowledge and
 *       NegativeAcknowledge</td><td>the stream's session</td></tr>
 *   <tr><td>{@code kevo-repl-error}</td><td>trailer of a refused StreamWAL</td><td>the refusal's
 *       reason, by name</td></tr>
 *   <tr><td>{@code kevo-first-retained}</td><td>trailer (position not retained)</td><td>the
 *       primary's first retained sequence</td></tr>
 *   <tr><td>{@code kevo-next-sequence}</td><td>trailer (replica ahead of the primary)</td><td>the
 *       primary's next sequence</td></tr>
 *   <tr><td>{@code kevo-epoch-term}</td><td>response header of StreamWAL</td><td>the primary's
 *       current term id</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Every call</caption>
 *   <tr><th>key</th><th>where</th><th>meaning</th></tr>
 *   <tr><td>{@code authorization}</td><td>request</td><td>{@code Bearer TOKEN}: the caller's
 *       identity on a node with an auth file (without it, a client certificate is)</td></tr>
 * </table>
 */
public final class WireMetadata {
  private WireMetadata() {}

  public static final Metadata.Key<String> ACK = key("kevo-ack");
  public static final Metadata.Key<String> FORCE = key("kevo-force");
  public static final Metadata.Key<String> AUTHORIZATION = key("authorization");
  public static final Metadata.Key<String> MIN_SEQUENCE = key("kevo-min-sequence");
  public static final Metadata.Key<String> SEQUENCE = key("kevo-sequence");
  public static final Metadata.Key<String> EPOCH = key("kevo-epoch");
  public static final Metadata.Key<String> ACK_REPLICAS = key("kevo-ack-replicas");
  public static final Metadata.Key<String> APPLIED_SEQUENCE = key("kevo-applied-sequence");
  public static final Metadata.Key<String> PRIMARY = key("kevo-primary");
  public static final Metadata.Key<String> TX_MODE = key("kevo-tx-mode");
  public static final Metadata.Key<String> TX_ABORT = key("kevo-tx-abort");
  public static final Metadata.Key<String> SHARD = key("kevo-shard");
  public static final Metadata.Key<String> SHARD_MAP_VERSION = key("kevo-shard-map-version");

  public static final Metadata.Key<String> SESSION_ID = key("session-id");
  public static final Metadata.Key<String> REPL_ERROR = key("kevo-repl-error");
  public static final Metadata.Key<String> FIRST_RETAINED = key("kevo-first-retained");
  public static final Metadata.Key<String> NEXT_SEQUENCE = key("kevo-next-sequence");
  public static final Metadata.Key<String> EPOCH_TERM = key("kevo-epoch-term");

  private static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }
}
