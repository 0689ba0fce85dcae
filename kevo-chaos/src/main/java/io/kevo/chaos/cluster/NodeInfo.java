package io.kevo.chaos.cluster;

import io.grpc.StatusRuntimeException;
import io.kevo.chaos.workload.NodeChannels;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import java.util.concurrent.TimeUnit;

/**
 * What {@code GetNodeInfo} says of a node: its role, last sequence and whether it takes writes.
 *
 * @param role {@code PRIMARY}, {@code REPLICA} or {@code STANDALONE}
 */
public record NodeInfo(String role, long lastSequence, boolean readOnly, String epoch) {
  /** Asks the node at {@code address}; null if it does not answer within 2 s. */
  public static NodeInfo read(NodeChannels channels, String address) {
    try {
      GetNodeInfoResponse r =
          channels
              .stub(address)
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
      return new NodeInfo(
          r.getNodeRole().name(),
          r.getLastSequence(),
          r.getReadOnly(),
          r.getReplicationMap().getOrDefault("epoch", ""));
    } catch (StatusRuntimeException e) {
      channels.reconnectSoon(address);
      return null;
    }
  }
}
