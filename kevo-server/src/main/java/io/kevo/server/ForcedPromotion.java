package io.kevo.server;

import io.kevo.coordination.MemberInfo;
import io.kevo.proto.replication.PromoteResponse;
import io.kevo.replication.EpochHistory;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kevo promote} on a node with automatic failover: only with {@code --force} (a person
 * decides that availability beats the writes this node may lack), and never while another member
 * leads. Stateless.
 */
final class ForcedPromotion {
  private static final Logger LOG = LoggerFactory.getLogger(ForcedPromotion.class);

  private ForcedPromotion() {}

  /**
   * Makes {@code node}'s server the primary although no replica qualifies; waits (on the caller's
   * thread) until it leads.
   *
   * @throws ServerException BAD_REQUEST without {@code force} or while another member leads;
   *     NO_PRIMARY if it could not take over in time
   */
  static PromoteResponse promote(CoordinatedNode node, NodeReplication replication, boolean force) {
    if (!force) {
      throw new ServerException(
          ServerException.Reason.BAD_REQUEST,
          "this node takes part in automatic failover: its cluster elects the primary. To move"
              + " the role, use kevo switchover; to make this node primary although no replica"
              + " qualifies (writes it lacks are lost), use kevo promote --force");
    }
    if (node.leading()) {
      EpochHistory.Term t = replication.primary().epochs().last();
      return PromoteResponse.newBuilder()
          .setEpoch(t.toProto())
          .setAlreadyPrimary(true)
          .setMessage("this node is already the primary (" + t + ")")
          .build();
    }
    Optional<MemberInfo> other = node.otherPrimary();
    if (other.isPresent()) {
      throw new ServerException(
          ServerException.Reason.BAD_REQUEST,
          other.get().id()
              + " at "
              + other.get().clientAddress()
              + " is the primary; to move the role here, use kevo switchover --to "
              + node.memberId());
    }
    LOG.warn("kevo promote --force: taking the primary role regardless of the candidate choice");
    try {
      node.takeOverByHand().get(node.takeOverTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // not leading: said below
    }
    if (!node.leading()) {
      node.abandonTakeOverByHand();
      throw new ServerException(
          ServerException.Reason.NO_PRIMARY, "could not take over in time: " + node.state());
    }
    EpochHistory.Term t = replication.primary().epochs().last();
    return PromoteResponse.newBuilder()
        .setEpoch(t.toProto())
        .setMessage("promoted to primary by hand: " + t)
        .build();
  }
}
