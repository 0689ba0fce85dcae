package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.wire.WireMetadata;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatusMapperTest {
  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyEngineErrorHasAPreciseStatusWithTheEngineMessage(ErrorCode code) {
    Status s = StatusMapper.toStatus(new KevoException(code, "what went wrong"));
    assertThat(s.getCode()).isNotIn(Status.Code.UNKNOWN, Status.Code.OK, Status.Code.INTERNAL);
    assertThat(s.getDescription()).contains("what went wrong");
  }

  @Test
  void mapsTheDocumentedCases() {
    assertThat(code(new KevoException(ErrorCode.INVALID_ARGUMENT, "x")))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(new KevoException(ErrorCode.CONFLICT, "x"))).isEqualTo(Status.Code.ABORTED);
    assertThat(code(new KevoException(ErrorCode.CORRUPTION, "x"))).isEqualTo(Status.Code.DATA_LOSS);
    assertThat(code(new KevoException(ErrorCode.LOCKED, "x")))
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(code(new KevoException(ErrorCode.TRANSACTION_TOO_LARGE, "x")))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(code(new ServerException(ServerException.Reason.UNKNOWN_TRANSACTION, "x")))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(new ServerException(ServerException.Reason.TOO_MANY_TRANSACTIONS, "x")))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(code(new IllegalStateException("bug"))).isEqualTo(Status.Code.INTERNAL);
  }

  @Test
  void aLockTimeoutAndADeadlockAreAbortedAndSayWhichInATrailer() {
    for (ErrorCode code : new ErrorCode[] {ErrorCode.LOCK_TIMEOUT, ErrorCode.DEADLOCK}) {
      StatusRuntimeException e =
          StatusMapper.toException(new KevoException(code, "lock wait timeout on key \"k\""));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
      assertThat(e.getStatus().getDescription()).isEqualTo("lock wait timeout on key \"k\"");
      assertThat(e.getTrailers().get(WireMetadata.TX_ABORT))
          .isEqualTo(code == ErrorCode.DEADLOCK ? "deadlock" : "lock-timeout");
    }
    assertThat(
            StatusMapper.toException(new KevoException(ErrorCode.CONFLICT, "x"))
                .getTrailers()
                .get(WireMetadata.TX_ABORT))
        .isEqualTo("conflict");
    assertThat(StatusMapper.toException(new KevoException(ErrorCode.CORRUPTION, "x")).getTrailers())
        .isNull();
  }

  @Test
  void writesRefusedCarriesItsCause() {
    Status s = mapped(ErrorCode.WRITES_REFUSED, "refuses writes", new IOException("disk full"));
    assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(s.getDescription()).contains("refuses writes").contains("disk full");
  }

  @Test
  void aFullDiskAndAnUnknownOutcomeAreUnavailableAndSayWhich() {
    Status refused =
        mapped(
            ErrorCode.NO_SPACE,
            "refuses writes since 2024-01-01T00:00:00Z (3 s): no space left on device",
            new IOException("No space left on device"));
    assertThat(refused.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(refused.getDescription()).contains("refuses writes since").contains("no space");
    Status unknown =
        mapped(
            ErrorCode.OUTCOME_UNKNOWN,
            "the outcome of this write is unknown",
            new IOException("No space left on device"));
    assertThat(unknown.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(unknown.getDescription())
        .contains("outcome of this write is unknown")
        .contains("No space left on device");
  }

  /**
   * The status a {@link KevoException} of {@code code} with {@code message} and {@code cause} maps
   * to.
   */
  private static Status mapped(ErrorCode code, String message, Throwable cause) {
    return StatusMapper.toStatus(new KevoException(code, message, cause));
  }

  private static Status.Code code(Throwable t) {
    return StatusMapper.toStatus(t).getCode();
  }
}
