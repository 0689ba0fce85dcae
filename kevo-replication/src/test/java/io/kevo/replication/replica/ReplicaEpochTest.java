package io.kevo.replication.replica;

import static io.kevo.replication.wire.ReplicaEntries.singles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kevo.replication.EpochHistory;
import io.kevo.replication.ReplicaIdentity;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicaStatus;
import io.kevo.replication.ReplicationException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The replica's own epoch checks against a scripted primary (which checks nothing itself): it
 * refuses an older primary before streaming, adopts a newer history, and drops a stream whose term
 * is not the one {@code GetEpochs} described.
 */
class ReplicaEpochTest extends ReplicaFixture {
  private Replica start() {
    return start(
        ReplicaOptions.builder()
            .ackInterval(Duration.ofMillis(2))
            .initialBackoff(Duration.ofMillis(20))
            .maxBackoff(Duration.ofMillis(200)));
  }

  private static EpochHistory.Term term(long epoch, String id, long start) {
    return new EpochHistory.Term(epoch, id, start, "node-" + id);
  }

  @Test
  void refusesAPrimaryOlderThanTheNewestEpochItHasSeenWithoutStreaming() {
    EpochHistory seen = EpochHistory.of(List.of(term(1, "a", 1), term(2, "b", 1)));
    seen.store(dir.resolve(ReplicaIdentity.DIRECTORY));
    primary.epochs = EpochHistory.of(List.of(term(1, "a", 1)));
    start();
    await().atMost(Duration.ofSeconds(10)).until(() -> primary.epochRequests.size() >= 2);
    assertThat(primary.requests).as("no StreamWAL call").isEmpty();
    ReplicaStatus st = replica.status();
    assertThat(st.refusal()).isEqualTo(ReplicationException.Reason.STALE_EPOCH);
    assertThat(st.lastError()).contains("refusing the primary").contains("stale");
    // It told the primary what it has seen, and kept its own history.
    assertThat(primary.epochRequests.get(0).getLastEpoch()).isEqualTo(2);
    assertThat(primary.epochRequests.get(0).getLastTermId()).isEqualTo("b");
    assertThat(EpochHistory.load(dir.resolve(ReplicaIdentity.DIRECTORY))).isEqualTo(seen);
  }

  @Test
  void adoptsANewerPrimarysHistoryBeforeApplyingAnything() {
    EpochHistory newer = EpochHistory.of(List.of(term(1, "a", 1), term(3, "c", 1)));
    primary.epochs = newer;
    primary.streamTerm = "c";
    start();
    ReplicaFakePrimary.Stream s = primary.awaitStream();
    assertThat(EpochHistory.load(dir.resolve(ReplicaIdentity.DIRECTORY))).isEqualTo(newer);
    assertThat(s.request.getLastEpoch()).isEqualTo(3);
    s.send(singles(1, 2));
    await().atMost(Duration.ofSeconds(10)).until(() -> replica.getLastAppliedSequence() == 2);
    assertThat(replica.epochs()).isEqualTo(newer);
  }

  @Test
  void aStreamOfAnotherTermThanGetEpochsDescribedIsDropped() {
    primary.epochs = EpochHistory.of(List.of(term(1, "a", 1)));
    primary.streamTerm = "not-a"; // the primary changed between the two calls
    start();
    ReplicaFakePrimary.Stream s = primary.awaitStream();
    s.send(singles(1, 1)); // its headers (with the other term) go out with this message
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                replica.status().lastError() != null
                    && replica.status().lastError().contains("term changed"));
    // Reconnected: the dropped stream's message, queued behind its headers, is ignored.
    await().atMost(Duration.ofSeconds(10)).until(() -> primary.requests.size() >= 2);
    assertThat(replica.getLastAppliedSequence()).as("nothing of that stream applied").isZero();
  }
}
