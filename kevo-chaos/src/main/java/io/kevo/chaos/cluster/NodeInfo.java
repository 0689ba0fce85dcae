package io.kevo.chaos.cluster;

import io.grpc.StatusRuntimeException;
import io.kevo.chaos.workload.NodeChannels;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.wire.PrimarySide;
import io.kevo.wire.ReplicationStatus;
import java.util.Optional;
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
      ReplicationStatus status = ReplicationStatus.of(r);
      Optional<PrimarySide> primary = status.primary();
      long readSequence =
          primary.flatMap(PrimarySide::readsRefused).orElse(false)
              ? -1
              : primary
                  .map(p -> p.readSequence().orElse(r.getLastSequence()))
                  .orElse(r.getLastSequence());
      return new NodeInfo(
          r.getNodeRole().name(),
          r.getLastSequence(),
          r.getReadOnly(),
          status.epoch().map(e -> Long.toString(e.number())).orElse(""),
          readSequence);
    } catch (StatusRuntimeException e) {
      channels.reconnectSoon(address);
      return null;
    }
  }
}
