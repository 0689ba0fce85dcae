package io.kevo.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.proto.replication.EpochRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpochHistoryTest {
  @TempDir Path dir;

  private final AtomicInteger ids = new AtomicInteger();
  private final Supplier<String> termIds = () -> "t" + ids.incrementAndGet();

  private static EpochHistory.Term term(long epoch, String id, long start, String node) {
    return new EpochHistory.Term(epoch, id, start, node);
  }

  @Test
  void aFreshNodeBeginsEpochOneAtItsNextSequence() {
    EpochHistory h = EpochHistory.empty().beginTerm("p", 1, false, termIds);
    assertThat(h.terms()).containsExactly(term(1, "t1", 1, "p"));
    assertThat(h.currentEpoch()).isEqualTo(1);
  }

  @Test
  void aRestartKeepsTheEpochWithANewTermAndATakeOverOrPromotionIncrementsIt() {
    EpochHistory h = EpochHistory.empty().beginTerm("p", 1, false, termIds);
    EpochHistory restarted = h.beginTerm("p", 50, false, termIds);
    assertThat(restarted.terms()).containsExactly(term(1, "t1", 1, "p"), term(1, "t2", 50, "p"));

    EpochHistory takenOver = restarted.beginTerm("r", 80, false, termIds);
    assertThat(takenOver.last()).isEqualTo(term(2, "t3", 80, "r"));

    EpochHistory promoted = restarted.beginTerm("p", 80, true, termIds);
    assertThat(promoted.last()).isEqualTo(term(2, "t4", 80, "p"));
  }

  @Test
  void termsWithoutEntriesAreDroppedWhenATermBeginsButTheirEpochCounts() {
    // Adopted from a primary: epoch 3 began at 100, but this node only has entries up to 60.
    EpochHistory adopted = EpochHistory.of(List.of(term(1, "a", 1, "p"), term(3, "c", 100, "q")));
    EpochHistory promoted = adopted.beginTerm("r", 61, true, termIds);
    assertThat(promoted.terms()).containsExactly(term(1, "a", 1, "p"), term(4, "t1", 61, "r"));
    // A restart without writes replaces its empty term instead of piling them up.
    EpochHistory again = promoted.beginTerm("r", 61, false, termIds);
    assertThat(again.terms()).containsExactly(term(1, "a", 1, "p"), term(4, "t2", 61, "r"));
  }

  @Test
  void termAtFindsTheTermOfEachSequence() {
    EpochHistory h = EpochHistory.of(List.of(term(1, "a", 1, "p"), term(2, "b", 101, "r")));
    assertThat(h.termAt(0)).isNull();
    assertThat(h.termAt(1).termId()).isEqualTo("a");
    assertThat(h.termAt(100).termId()).isEqualTo("a");
    assertThat(h.termAt(101).termId()).isEqualTo("b");
    assertThat(h.termAt(Long.MAX_VALUE).termId()).isEqualTo("b");
  }

  @Test
  void divergenceIsTheFirstSequenceWhoseTermDiffers() {
    EpochHistory oldPrimary = EpochHistory.of(List.of(term(1, "a", 1, "p")));
    EpochHistory promoted = EpochHistory.of(List.of(term(1, "a", 1, "p"), term(2, "b", 101, "r")));
    // The old primary had 1..105; the promoted replica's epoch began at 101.
    assertThat(oldPrimary.divergenceFrom(promoted, 105)).isEqualTo(101);
    // Had it only 1..100, nothing diverges.
    assertThat(oldPrimary.divergenceFrom(promoted, 100)).isEqualTo(-1);
    // A replica of the promoted one is never divergent from it.
    assertThat(promoted.divergenceFrom(promoted, 500)).isEqualTo(-1);
    // Nothing applied: nothing to diverge.
    assertThat(oldPrimary.divergenceFrom(promoted, 0)).isEqualTo(-1);
    // A replica ahead of its primary within the primary's own term: not a divergence of terms.
    assertThat(oldPrimary.divergenceFrom(oldPrimary, 10_000)).isEqualTo(-1);
  }

  @Test
  void aRestartedPrimarysNewTermMakesTheEntriesItLostDiverge() {
    EpochHistory replica = EpochHistory.of(List.of(term(1, "a", 1, "p")));
    EpochHistory restarted = EpochHistory.of(List.of(term(1, "a", 1, "p"), term(1, "a2", 6, "p")));
    assertThat(replica.divergenceFrom(restarted, 10)).isEqualTo(6);
    assertThat(replica.divergenceFrom(restarted, 5)).isEqualTo(-1);
  }

  @Test
  void entriesOfNoKnownTermDivergeFromTheStart() {
    EpochHistory primary = EpochHistory.of(List.of(term(1, "a", 1, "p")));
    assertThat(EpochHistory.empty().divergenceFrom(primary, 3)).isEqualTo(1);
    // Another lineage altogether (a standalone node's data).
    EpochHistory other = EpochHistory.of(List.of(term(1, "z", 1, "s")));
    assertThat(other.divergenceFrom(primary, 3)).isEqualTo(1);
  }

  @Test
  void aReplicaRefusesAnOlderOrConflictingPrimaryAndAcceptsANewerOrKnownOne() {
    EpochHistory seen = EpochHistory.of(List.of(term(1, "a", 1, "p"), term(2, "b", 101, "r")));
    EpochHistory stale = EpochHistory.of(List.of(term(1, "a", 1, "p"), term(1, "a2", 150, "p")));
    assertThat(seen.refusalOf(stale)).contains("stale").contains("epoch 1").contains("epoch 2");
    EpochHistory rival = EpochHistory.of(List.of(term(1, "a", 1, "p"), term(2, "x", 90, "q")));
    assertThat(seen.refusalOf(rival)).contains("two nodes were made primary of epoch 2");
    EpochHistory restartedR =
        EpochHistory.of(
            List.of(term(1, "a", 1, "p"), term(2, "b", 101, "r"), term(2, "b2", 300, "r")));
    assertThat(seen.refusalOf(restartedR)).isNull();
    EpochHistory newer = EpochHistory.of(List.of(term(1, "a", 1, "p"), term(3, "c", 120, "q")));
    assertThat(seen.refusalOf(newer)).isNull();
    assertThat(EpochHistory.empty().refusalOf(stale)).isNull();
    assertThat(seen.refusalOf(EpochHistory.empty())).contains("no epoch history");
  }

  @Test
  void historiesMustNotGoBack() {
    assertThatThrownBy(() -> EpochHistory.of(List.of(term(2, "a", 1, "p"), term(1, "b", 5, "p"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EpochHistory.of(List.of(term(1, "a", 9, "p"), term(1, "b", 5, "p"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> term(0, "a", 1, "p")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> term(1, "has space", 1, "p"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMalformedHistoryOnTheWireIsRefused() {
    List<EpochRecord> bad =
        List.of(
            EpochRecord.newBuilder()
                .setEpoch(2)
                .setTermId("a")
                .setStartSequence(1)
                .setNodeId("p")
                .build(),
            EpochRecord.newBuilder()
                .setEpoch(1)
                .setTermId("b")
                .setStartSequence(2)
                .setNodeId("p")
                .build());
    assertThatThrownBy(() -> EpochHistory.fromProto(bad))
        .isInstanceOfSatisfying(
            ReplicationException.class,
            e -> assertThat(e.reason()).isEqualTo(ReplicationException.Reason.MALFORMED));
    List<EpochRecord> empty = List.of(EpochRecord.getDefaultInstance());
    assertThatThrownBy(() -> EpochHistory.fromProto(empty))
        .isInstanceOf(ReplicationException.class);
  }

  @Test
  void storesAndLoadsAtomicallyAndNamesACorruptFile() throws Exception {
    assertThat(EpochHistory.load(dir)).isEqualTo(EpochHistory.empty());
    EpochHistory h = EpochHistory.of(List.of(term(1, "a", 1, "p"), term(2, "b", 101, "r")));
    h.store(dir);
    assertThat(EpochHistory.load(dir)).isEqualTo(h);
    assertThat(EpochHistory.fromProto(h.toProto())).isEqualTo(h);
    assertThat(dir.resolve("epochs.tmp")).doesNotExist();

    Files.writeString(dir.resolve("epochs"), "1 a 1 p\n2 b\n", StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> EpochHistory.load(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("epochs");
    Files.writeString(dir.resolve("epochs"), "2 a 1 p\n1 b 5 p\n", StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> EpochHistory.load(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a valid epoch history");
  }
}
