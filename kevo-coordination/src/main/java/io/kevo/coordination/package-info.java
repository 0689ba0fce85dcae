/**
 * The coordinator for automatic failover (issue 17): Kevo's nodes meet in a ZooKeeper ensemble,
 * reached through Apache Curator, under {@code /kevo/clusters/NAME/}.
 *
 * <ul>
 *   <li>{@link io.kevo.coordination.Coordinator}: one Curator session, its state as {@link
 *       io.kevo.coordination.SessionState} (LIVE, SUSPENDED, LOST) to listeners.
 *   <li>{@link io.kevo.coordination.MemberRegistry}: this node's ephemeral {@code members/ID} znode
 *       ({@link io.kevo.coordination.MemberInfo}, JSON by {@link
 *       io.kevo.coordination.MemberCodec}), coalesced updates, every member read back.
 *   <li>{@link io.kevo.coordination.EpochLedger}: the fencing token, the {@code epoch} znode
 *       advanced by conditional writes only.
 *   <li>{@link io.kevo.coordination.EmbeddedZooKeeper}: ZooKeeper's own single server, for
 *       development and tests ({@code kevo coordinator}).
 * </ul>
 *
 * <p>Threading: Curator calls listeners on its own event thread; every class here is thread-safe
 * unless its javadoc says otherwise. Depends on no other Kevo module; errors surface as the one
 * unchecked {@link io.kevo.coordination.CoordinationException}.
 */
package io.kevo.coordination;
