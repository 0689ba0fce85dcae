package io.kevo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.ReplicaInfo;
import org.junit.jupiter.api.Test;

/**
 * {@code kevo status} of a bootstrapping replica, of a primary sending snapshots, of a node whose
 * disk is full, and of an older primary that reports fewer figures.
 */
class StatusCommandTest {
  @Test
  void aBootstrappingReplicaShowsProgressRateAndEtaEvenWithoutStatistics() {
    GetNodeInfoResponse info =
        GetNodeInfoResponse.newBuilder()
            .setNodeRole(GetNodeInfoResponse.NodeRole.REPLICA)
            .setPrimaryAddress("127.0.0.1:50051")
            .putReplication("state", "BOOTSTRAPPING")
            .putReplication("state_ms", "1200")
            .putReplication("needs_bootstrap", "true")
            .putReplication("bootstrap_snapshot", "snap-1-abc")
            .putReplication("bootstrap_sequence", "1000000")
            .putReplication("bootstrap_bytes_done", Long.toString(50L << 20))
            .putReplication("bootstrap_bytes_total", Long.toString(200L << 20))
            .putReplication("bootstrap_files_done", "3")
            .putReplication("bootstrap_files_total", "12")
            .putReplication("bootstrap_rate_bytes_per_s", Long.toString(100L << 20))
            .putReplication("bootstrap_eta_ms", "1500")
            .putReplication("bootstraps_completed", "0")
            .build();
    String out = StatusCommand.render("127.0.0.1:50052", info, null);
    assertThat(out)
        .contains("BOOTSTRAPPING for 1200 ms")
        .contains(
            "snap-1-abc at sequence 1000000: 50.0 MiB of 200.0 MiB (25%), files 3/12,"
                + " 100.0 MiB/s, ETA 2 s")
        .contains("unavailable (the node serves no reads now)");
  }

  @Test
  void aPrimaryShowsItsSnapshotTransfers() {
    GetNodeInfoResponse info =
        GetNodeInfoResponse.newBuilder()
            .setNodeRole(GetNodeInfoResponse.NodeRole.PRIMARY)
            .putReplication("sessions", "1")
            .putReplication("bootstraps_active", "1")
            .putReplication("bootstraps_completed", "4")
            .putReplication("bootstraps_failed", "2")
            .putReplication("bootstraps_refused", "3")
            .putReplication("bootstrap_bytes_sent", Long.toString(3L << 30))
            .build();
    String out = StatusCommand.render("127.0.0.1:50051", info, null);
    assertThat(out).contains("1 running, 4 completed, 2 failed, 3 refused (limit); 3.0 GiB sent");
  }

  @Test
  void aNodeRefusingWritesShowsWhyAndSinceWhen() {
    GetNodeInfoResponse info =
        GetNodeInfoResponse.newBuilder()
            .setNodeRole(GetNodeInfoResponse.NodeRole.STANDALONE)
            .setReadOnly(true)
            .putReplication("write_refusal", "no space left on device while appending")
            .putReplication("write_refusal_code", "NO_SPACE")
            .putReplication("write_refusal_since", "2025-01-02T03:04:05Z")
            .build();
    String out = StatusCommand.render("127.0.0.1:50051", info, null);
    assertThat(out)
        .contains("NO_SPACE since 2025-01-02T03:04:05Z: no space left on device while appending");
  }

  @Test
  void anOlderPrimaryMissingFiguresShowsThemAsAbsentInsteadOfFailing() {
    GetNodeInfoResponse info =
        GetNodeInfoResponse.newBuilder()
            .setNodeRole(GetNodeInfoResponse.NodeRole.PRIMARY)
            .putReplication("epoch", "3")
            .putReplication("sessions", "2")
            .putReplication("compression_ratio", "0.500")
            .addReplicas(
                ReplicaInfo.newBuilder()
                    .setAddress("127.0.0.1:50052")
                    .setLastSequence(7)
                    .setAvailable(false))
            .build();
    String out = StatusCommand.render("127.0.0.1:50051", info, null);
    assertThat(out)
        .contains("3 (term ?, from sequence ?)")
        .containsPattern("streams open +2")
        .containsPattern("durable sequence +-")
        .contains("0 B on the wire, ratio 0.50")
        .containsPattern("127\\.0\\.0\\.1:50052 +disconnected +7 +- +-")
        .doesNotContain("write acknowledgement")
        .doesNotContain("bootstraps (snapshots)");
  }
}
