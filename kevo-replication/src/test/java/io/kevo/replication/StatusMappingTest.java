package io.kevo.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.wire.WireMetadata;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class StatusMappingTest {
  @Test
  void engineFailuresOnTheReplicationServicesGetTheClientServicesStatusesNotInternal() {
    assertThat(code(new KevoException(ErrorCode.NO_SPACE, "no space left")))
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(code(new KevoException(ErrorCode.CORRUPTION, "bad block")))
        .isEqualTo(Status.Code.DATA_LOSS);
    assertThat(code(new KevoException(ErrorCode.SEQUENCE_MISMATCH, "out of order")))
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(code(new KevoException(ErrorCode.INVALID_ARGUMENT, "empty key")))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void theEngineMessageAndAHiddenCauseReachTheDescription() {
    StatusRuntimeException s =
        StatusMapping.toStatus(
            new KevoException(
                ErrorCode.IO_ERROR, "reading a table failed", new IOException("disk went away")));
    assertThat(s.getStatus().getDescription())
        .contains("reading a table failed")
        .contains("disk went away");
  }

  @Test
  void replicationRefusalsKeepTheirTrailersAndBugsAreInternal() {
    StatusRuntimeException s =
        StatusMapping.toStatus(
            (Throwable)
                new ReplicationException(
                    ReplicationException.Reason.AHEAD_OF_PRIMARY, "from the future", 42, null));
    assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
    assertThat(s.getTrailers().get(WireMetadata.REPL_ERROR)).isEqualTo("AHEAD_OF_PRIMARY");
    assertThat(s.getTrailers().get(WireMetadata.NEXT_SEQUENCE)).isEqualTo("42");

    assertThat(code(new IllegalStateException("a bug"))).isEqualTo(Status.Code.INTERNAL);
  }

  @Test
  void aNodeThatIsNotAPrimaryNamesItsPrimaryWhenItKnowsIt() {
    StatusRuntimeException known = StatusMapping.notPrimary("127.0.0.1:7001");
    assertThat(known.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(known.getTrailers().get(WireMetadata.REPL_ERROR)).isEqualTo("NOT_PRIMARY");
    assertThat(known.getTrailers().get(WireMetadata.PRIMARY)).isEqualTo("127.0.0.1:7001");
    assertThat(known.getStatus().getDescription()).contains("its primary is 127.0.0.1:7001");

    StatusRuntimeException unknown = StatusMapping.notPrimary(null);
    assertThat(unknown.getTrailers().get(WireMetadata.PRIMARY)).isNull();
  }

  @Test
  void aPrimaryClosingASessionSaysWhyInItsTrailer() {
    StatusRuntimeException superseded =
        StatusMapping.toStatus(
            new ReplicationException(ReplicationException.Reason.SUPERSEDED, "replaced"));
    assertThat(superseded.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(superseded.getTrailers().get(WireMetadata.REPL_ERROR)).isEqualTo("SUPERSEDED");
    // A stalled snapshot transfer's status: see snapshot.SnapshotSenderTest.
  }

  private static Status.Code code(Throwable t) {
    return StatusMapping.toStatus(t).getStatus().getCode();
  }
}
