package io.kevo.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.ReplicaInfo;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReplicationStatusTest {

  private static OptionalLong n(long v) {
    return OptionalLong.of(v);
  }

  private static PrimarySide primary() {
    return new PrimarySide(
        n(2),
        n(10),
        n(99),
        n(4096),
        n(1024),
        OptionalDouble.of(0.25),
        n(100),
        n(7),
        n(3),
        n(1),
        n(0),
        n(0),
        n(0),
        Optional.of(AckLevel.replica(1)),
        n(5000),
        n(1),
        n(2),
        Optional.of(false),
        n(40),
        n(39),
        n(1),
        n(0),
        Optional.of(true),
        n(98),
        n(98),
        Optional.of(false),
        Optional.empty(),
        n(0),
        n(1),
        n(0),
        n(0),
        n(2048));
  }

  private static ReplicaSide replica(Optional<ReplicaSide.Bootstrap> bootstrap) {
    return new ReplicaSide(
        Optional.of("r-1"),
        Optional.of("STREAMING"),
        n(1200),
        n(99),
        n(98),
        n(98),
        n(100),
        n(1),
        n(-1),
        n(1024),
        n(4096),
        n(99),
        n(12),
        n(0),
        n(0),
        n(3),
        Optional.of(false),
        n(0),
        Optional.of("connection reset"),
        Optional.of("STALE_EPOCH"),
        n(2000),
        n(5),
        n(1),
        n(0),
        bootstrap);
  }

  @Test
  void primaryStatusSurvivesTheMapRoundTrip() {
    ReplicationStatus s =
        new ReplicationStatus(
            Optional.of(new ReplicationStatus.Epoch(3, Optional.of("t-3"), n(57))),
            Optional.empty(),
            Optional.of("a newer primary at epoch 4"),
            Optional.of(primary()),
            Optional.empty());

    Map<String, String> m = s.toMap();

    assertThat(m)
        .containsEntry("epoch", "3")
        .containsEntry("epoch_term", "t-3")
        .containsEntry("epoch_start_sequence", "57")
        .containsEntry("superseded", "a newer primary at epoch 4")
        .containsEntry("sessions", "2")
        .containsEntry("compression_ratio", "0.250")
        .containsEntry("ack_level", "replica:1")
        .containsEntry("writes_refused", "false")
        .containsEntry("bootstrap_bytes_sent", "2048")
        .doesNotContainKey("read_refusal")
        .doesNotContainKey("replica_id");
    assertThat(ReplicationStatus.fromMap(m)).isEqualTo(s);
  }

  @Test
  void replicaStatusWithABootstrapSurvivesTheMapRoundTrip() {
    ReplicaSide.Bootstrap b =
        new ReplicaSide.Bootstrap(
            Optional.of("snap-1"), n(-1), n(10), n(100), n(1), n(4), n(250), n(40), n(-1));
    ReplicationStatus s =
        new ReplicationStatus(
            Optional.empty(),
            Optional.of(
                new ReplicationStatus.WriteRefusal(
                    "disk full", Optional.of("NO_SPACE"), Optional.of("2026-12-06T12:00:00Z"))),
            Optional.empty(),
            Optional.empty(),
            Optional.of(replica(Optional.of(b))));

    Map<String, String> m = s.toMap();

    assertThat(m)
        .containsEntry("write_refusal", "disk full")
        .containsEntry("write_refusal_code", "NO_SPACE")
        .containsEntry("lag_ms", "-1")
        .containsEntry("refusal", "STALE_EPOCH")
        .containsEntry("bootstrap_snapshot", "snap-1")
        .containsEntry("bootstrap_eta_ms", "-1")
        .doesNotContainKey("sessions");
    assertThat(ReplicationStatus.fromMap(m)).isEqualTo(s);
    assertThat(ReplicationStatus.fromMap(m).primary()).isEmpty();
  }

  @Test
  void replicaWithoutABootstrapWritesNoBootstrapKeys() {
    Map<String, String> m =
        new ReplicationStatus(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(replica(Optional.empty())))
            .toMap();

    assertThat(m.keySet()).noneMatch(k -> k.startsWith("bootstrap_"));
    assertThat(ReplicationStatus.fromMap(m).replica().orElseThrow().bootstrap()).isEmpty();
  }

  @Test
  void emptyMapDecodesToNothingKnown() {
    assertThat(ReplicationStatus.fromMap(Map.of())).isEqualTo(ReplicationStatus.EMPTY);
    assertThat(ReplicationStatus.EMPTY.toMap()).isEmpty();
    assertThat(ReplicationStatus.of(GetNodeInfoResponse.getDefaultInstance()))
        .isEqualTo(ReplicationStatus.EMPTY);
  }

  @Test
  void olderPrimaryWithoutAckAndBootstrapKeysDecodesThemAsAbsent() {
    ReplicationStatus s =
        ReplicationStatus.fromMap(
            Map.of("sessions", "1", "durable_sequence", "12", "compression_ratio", "1.000"));

    PrimarySide p = s.primary().orElseThrow();
    assertThat(p.sessions()).hasValue(1);
    assertThat(p.durableSequence()).hasValue(12);
    assertThat(p.compressionRatio()).hasValue(1.0);
    assertThat(p.ackLevel()).isEmpty();
    assertThat(p.writesRefused()).isEmpty();
    assertThat(p.readSequence()).isEmpty();
    assertThat(p.bootstrapsActive()).isEmpty();
    assertThat(s.replica()).isEmpty();
    assertThat(s.epoch()).isEmpty();
  }

  @Test
  void sharedKeysAloneDoNotMakeARole() {
    ReplicationStatus s =
        ReplicationStatus.fromMap(Map.of("durable_sequence", "5", "bootstraps_completed", "1"));

    assertThat(s.primary()).isEmpty();
    assertThat(s.replica()).isEmpty();
  }

  @Test
  void epochWithoutItsTermDecodesTheTermAsAbsent() {
    ReplicationStatus s = ReplicationStatus.fromMap(Map.of("epoch", "2"));

    assertThat(s.epoch()).hasValueSatisfying(e -> assertThat(e.number()).isEqualTo(2));
    assertThat(s.epoch().orElseThrow().termId()).isEmpty();
    assertThat(s.epoch().orElseThrow().startSequence()).isEmpty();
  }

  @Test
  void malformedValuesDecodeAsAbsentInsteadOfFailing() {
    ReplicationStatus s =
        ReplicationStatus.fromMap(
            Map.of(
                "epoch", "two",
                "state", "STREAMING",
                "applied_sequence", "12x",
                "needs_bootstrap", "maybe",
                "lag_ms", ""));

    assertThat(s.epoch()).isEmpty();
    ReplicaSide r = s.replica().orElseThrow();
    assertThat(r.state()).hasValue("STREAMING");
    assertThat(r.appliedSequence()).isEmpty();
    assertThat(r.needsBootstrap()).isEmpty();
    assertThat(r.lagMillis()).isEmpty();
  }

  @Test
  void unknownAckLevelDecodesAsAbsent() {
    PrimarySide p =
        ReplicationStatus.fromMap(Map.of("ack_level", "quorum")).primary().orElseThrow();

    assertThat(p.ackLevel()).isEmpty();
  }

  @Test
  void writeRefusalCodeAndSinceMayBeMissing() {
    ReplicationStatus s = ReplicationStatus.fromMap(Map.of("write_refusal", "disk full"));

    ReplicationStatus.WriteRefusal r = s.writeRefusal().orElseThrow();
    assertThat(r.reason()).isEqualTo("disk full");
    assertThat(r.code()).isEmpty();
    assertThat(r.since()).isEmpty();
  }

  @Test
  void replicaLinkSurvivesTheMetaRoundTrip() {
    ReplicaLink l =
        new ReplicaLink(
            Optional.of("r-2"),
            n(0),
            n(3),
            n(200),
            n(100),
            OptionalDouble.of(0.5),
            n(20),
            n(1),
            n(2),
            n(-1),
            Optional.of(false));
    ReplicaInfo info = ReplicaInfo.newBuilder().putAllMeta(l.toMap()).build();

    assertThat(info.getMetaMap())
        .containsEntry("compression_ratio", "0.500")
        .containsEntry("held_from", "-1")
        .containsEntry("hold_dropped", "false")
        .hasSize(11);
    assertThat(ReplicaLink.of(info)).isEqualTo(l);
  }

  @Test
  void replicaLinkOfAnOlderPrimaryDecodesMissingKeysAsAbsent() {
    ReplicaLink l = ReplicaLink.fromMap(Map.of("lag_entries", "4"));

    assertThat(l.lagEntries()).hasValue(4);
    assertThat(l.replicaId()).isEmpty();
    assertThat(l.compressionRatio()).isEmpty();
    assertThat(l.holdDropped()).isEmpty();
    assertThat(ReplicaLink.fromMap(Map.of()).toMap()).isEmpty();
  }
}
