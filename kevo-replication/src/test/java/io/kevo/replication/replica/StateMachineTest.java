package io.kevo.replication.replica;

import static io.kevo.replication.ReplicaState.ACKNOWLEDGING;
import static io.kevo.replication.ReplicaState.APPLYING_ENTRIES;
import static io.kevo.replication.ReplicaState.BOOTSTRAPPING;
import static io.kevo.replication.ReplicaState.CONNECTING;
import static io.kevo.replication.ReplicaState.ERROR;
import static io.kevo.replication.ReplicaState.FSYNC_PENDING;
import static io.kevo.replication.ReplicaState.STREAMING_ENTRIES;
import static io.kevo.replication.ReplicaState.WAITING_FOR_DATA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.replication.ReplicaState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateMachineTest {
  @Test
  void everyStateCanFailAndErrorLeadsBackToConnectingOrToABootstrap() {
    for (ReplicaState s : ReplicaState.values()) {
      assertThat(ReplicaStateMachine.legalNext(s)).as("from " + s).isNotEmpty().doesNotContain(s);
      if (s != ERROR) {
        assertThat(ReplicaStateMachine.isLegal(s, ERROR)).as(s + " → ERROR").isTrue();
      }
    }
    assertThat(ReplicaStateMachine.legalNext(ERROR))
        .containsExactlyInAnyOrder(CONNECTING, BOOTSTRAPPING);
    assertThat(ReplicaStateMachine.legalNext(BOOTSTRAPPING))
        .containsExactlyInAnyOrder(CONNECTING, ERROR);
  }

  @Test
  void aBootstrapStartsAfterARefusalOrBeforeALearnerStreamsAndEndsConnectingOrFailing() {
    ReplicaStateMachine m = new ReplicaStateMachine("t", Clock.systemUTC());
    m.transition(BOOTSTRAPPING, "a learner's database lacks its range");
    m.transition(CONNECTING, "installed");
    m.transition(STREAMING_ENTRIES, "first message");
    assertThatThrownBy(() -> m.transition(BOOTSTRAPPING, "not while streaming"))
        .isInstanceOf(IllegalStateException.class);
    m.transition(ERROR, "position not retained");
    m.transition(BOOTSTRAPPING, "fetching a snapshot");
    assertThatThrownBy(() -> m.transition(STREAMING_ENTRIES, "streaming without CONNECTING"))
        .isInstanceOf(IllegalStateException.class);
    m.transition(CONNECTING, "installed");
    m.transition(ERROR, "refused again");
    m.transition(BOOTSTRAPPING, "again");
    m.transition(ERROR, "transfer failed");
    assertThat(m.current()).isEqualTo(ERROR);
  }

  @Test
  void refusesIllegalTransitionsAndKeepsTheState() {
    ReplicaStateMachine m = new ReplicaStateMachine("t", Clock.systemUTC());
    assertThatThrownBy(() -> m.transition(APPLYING_ENTRIES, "no stream yet"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CONNECTING → APPLYING_ENTRIES");
    assertThatThrownBy(() -> m.transition(CONNECTING, "same state"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(m.current()).isEqualTo(CONNECTING);
    assertThat(m.transitionCount()).isZero();

    m.transition(ERROR, "refused");
    assertThatThrownBy(() -> m.transition(STREAMING_ENTRIES, "skipping CONNECTING"))
        .isInstanceOf(IllegalStateException.class);
    m.transition(CONNECTING, "retry");
    m.transition(STREAMING_ENTRIES, "open");
    assertThatThrownBy(() -> m.transition(ACKNOWLEDGING, "ack before fsync"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> m.transition(CONNECTING, "reconnect without ERROR"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void countsTransitionsRecordsTheirTimeAndTellsListeners() {
    Instant[] now = {Instant.parse("2024-01-01T00:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    ReplicaStateMachine m = new ReplicaStateMachine("t", clock);
    List<String> seen = new ArrayList<>();
    m.addListener((from, to, reason) -> seen.add(from + ">" + to + ":" + reason));
    now[0] = now[0].plusSeconds(5);
    m.transition(STREAMING_ENTRIES, "open");
    m.transition(APPLYING_ENTRIES, "entries");
    m.transition(FSYNC_PENDING, "due");
    m.transition(ACKNOWLEDGING, "durable");
    m.transition(WAITING_FOR_DATA, "caught up");
    assertThat(seen)
        .containsExactly(
            "CONNECTING>STREAMING_ENTRIES:open",
            "STREAMING_ENTRIES>APPLYING_ENTRIES:entries",
            "APPLYING_ENTRIES>FSYNC_PENDING:due",
            "FSYNC_PENDING>ACKNOWLEDGING:durable",
            "ACKNOWLEDGING>WAITING_FOR_DATA:caught up");
    assertThat(m.transitionCount()).isEqualTo(5);
    assertThat(m.enteredAt()).isEqualTo(Instant.parse("2024-01-01T00:00:05Z"));
    assertThat(m.current()).isEqualTo(WAITING_FOR_DATA);
  }
}
