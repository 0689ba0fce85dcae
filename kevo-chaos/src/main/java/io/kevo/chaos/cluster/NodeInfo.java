package io.kevo.chaos.cluster;

import io.grpc.StatusRuntimeException;
import io.kevo.chaos.workload.NodeChannels;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code GetNodeInfo} says of a node: its role, last sequence, whether it takes writes, and up
 * to where its reads see.
 *
 * @param role {@code PRIMARY}, {@code REPLICA} or {@code STANDALONE}
 * @param readSequence where reads without a token read now: below {@code lastSequence} on a primary
 *     that shows only writes a replica confirmed until the acknowledgements come; -1 while such a
 *     primary refuses reads (it has not learnt yet what its replicas hold)
 */
public record NodeInfo(
    String role, long lastSequence, boolean readOnly, String epoch, long readSequence) {
  /** Asks the node at {@code address}; null if it does not answer within 2 s. */
  public static NodeInfo read(NodeChannels channels, String address) {
    try {
      GetNodeInfoResponse r =
          channels
              .stub(address)
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
      Map<String, String> m = r.getReplicationMap();
      long readSequence =
          "true".equals(m.get("reads_refused"))
              ? -1
              : Long.parseLong(m.getOrDefault("read_sequence", Long.toString(r.getLastSequence())));
      return new NodeInfo(
          r.getNodeRole().name(),
          r.getLastSequence(),
          r.getReadOnly(),
          m.getOrDefault("epoch", ""),
          readSequence);
    } catch (StatusRuntimeException e) {
      channels.reconnectSoon(address);
      return null;
    }
  }
}
