package io.kevo.replication.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.wire.WireMetadata;
import org.junit.jupiter.api.Test;

class SnapshotSenderTest {
  @Test
  void aTransferWhoseReplicaStoppedReadingEndsStalledWithItsTrailer() {
    StatusRuntimeException stalled = SnapshotSender.stalled(1500);
    assertThat(stalled.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(stalled.getTrailers().get(WireMetadata.REPL_ERROR)).isEqualTo("STALLED");
  }
}
