package io.kevo.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The split's steps as {@link ShardSplit} takes them, on a real ZooKeeper (Curator's
 * TestingServer): this test plays the nodes' part through their own records (member entries in each
 * shard's group, the source primary's epoch and fence), so that each step's condition is seen to
 * hold it back until it is met. The nodes' side is tested with real nodes in kevo-client
 * (ShardSplitTest) and kevo-cli (ShardSplitIT).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShardSplitTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private TestingServer server;
  private Coordinator admin;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = ZkTestSupport.startServer();
    admin = ZkTestSupport.connect(server, "shop");
    new ShardMapStore(admin).create(ShardMap.splitAt(List.of(b("m"))));
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    admin.close();
    server.close();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A member entry in {@code shard}'s group, as a node would write it. */
  /**
   * Shard s1's primary of epoch 1 and shard s3's learner, both at {@code position}; runs the split
   * of s1 at "g" into s3 until it waits for the fence.
   */
  private CompletableFuture<ShardSplit.Outcome> runToTheFence(ShardSplit split, long position) {
    assertThat(new EpochLedger(admin.group("s1")).claimNext(0)).isEqualTo(1);
    member("s1", "a1", MemberInfo.PRIMARY, 1, position);
    member("s3", "c1", MemberInfo.REPLICA, 1, position);
    CompletableFuture<ShardSplit.Outcome> run =
        CompletableFuture.supplyAsync(() -> split.run("s1", b("g"), "s3"));
    await().atMost(WAIT).until(() -> record().record().state() == SplitRecord.State.FENCING);
    return run;
  }

  private MemberRegistry member(String shard, String id, String role, long epoch, long durable) {
    MemberRegistry r =
        MemberRegistry.register(
            admin.group(shard),
            new MemberInfo(id, "127.0.0.1:1", role, epoch, epoch, durable, false));
    open.add(r);
    assertThat(r.awaitRegistered(WAIT)).isTrue();
    return r;
  }

  private static void progress(MemberRegistry r, long durable) {
    MemberInfo m = r.latest();
    r.updateNow(m.withProgress(m.role(), m.epoch(), m.lastEntryEpoch(), durable));
  }

  private SplitStore.Held record() {
    return new SplitStore(admin).read("s1").orElseThrow();
  }

  @Test
  void eachStepWaitsForItsConditionAndTheMapFlipsOnlyAtTheFence() throws Exception {
    assertThat(new EpochLedger(admin.group("s1")).claimNext(0)).isEqualTo(1);
    member("s1", "a1", MemberInfo.PRIMARY, 1, 5_000);
    MemberRegistry learner = member("s3", "c1", MemberInfo.REPLICA, 1, 1_000);
    List<String> lines = new CopyOnWriteArrayList<>();
    ShardSplit split = new ShardSplit(admin, ShardSplit.Settings.defaults(), lines::add);

    CompletableFuture<ShardSplit.Outcome> run =
        CompletableFuture.supplyAsync(() -> split.run("s1", b("g"), "s3"));

    // 4,000 entries behind: still learning.
    await().atMost(WAIT).until(() -> lines.stream().anyMatch(l -> l.contains("4000 entries")));
    assertThat(record().record().state()).isEqualTo(SplitRecord.State.LEARNING);
    progress(learner, 4_500);
    await().atMost(WAIT).until(() -> record().record().state() == SplitRecord.State.FENCING);
    assertThat(record().record().fencedMillis()).isPositive();

    // The source's primary fences at 5,200; the learner holds 5,100: no flip yet.
    SplitStore.Held fencing = record();
    new SplitStore(admin).replace(fencing, fencing.record().fenced(1, 5_200)).orElseThrow();
    progress(learner, 5_100);
    // Once the split has seen the fence and the learner short of it, the map is still as it was.
    await()
        .atMost(WAIT)
        .until(() -> lines.stream().anyMatch(l -> l.endsWith("the nearest holds 5100")));
    assertThat(new ShardMapStore(admin).read().orElseThrow().version()).isEqualTo(1);

    progress(learner, 5_300);
    await().atMost(WAIT).until(() -> new ShardMapStore(admin).read().orElseThrow().version() == 2);
    assertThat(run).isNotDone(); // the new shard has no primary yet
    member("s3", "c9", MemberInfo.PRIMARY, 2, 5_300);

    ShardSplit.Outcome o = run.get(20, TimeUnit.SECONDS);
    assertThat(o.newPrimary()).isEqualTo("c9");
    assertThat(o.fenceEpoch()).isEqualTo(1);
    assertThat(o.fenceSequence()).isEqualTo(5_200);
    assertThat(o.map().ownerOf(b("h")).id()).isEqualTo("s3");
    assertThat(record().record().state()).isEqualTo(SplitRecord.State.DONE);
    assertThat(lines)
        .contains(
            "asked shard s1 to fence the keys from \"g\" on",
            "flipped the shard map: c1 holds sequence 5200 of epoch 1, the fence");
  }

  @Test
  void aFenceOfATermThatIsNoLongerTheNewestDoesNotFlipTheMap() throws Exception {
    ShardSplit split =
        new ShardSplit(
            admin, new ShardSplit.Settings(WAIT, Duration.ofSeconds(2), 1_000), line -> {});
    CompletableFuture<ShardSplit.Outcome> run = runToTheFence(split, 100);
    // s1's primary of epoch 1 fences at 100, and the learner holds it, but s1 has claimed epoch
    // 2 meanwhile: that primary may take writes the fence does not cover, so no flip. Nobody
    // fences for epoch 2 here, and the split is given up when the fence timeout passes.
    assertThat(new EpochLedger(admin.group("s1")).claimNext(1)).isEqualTo(2);
    SplitStore.Held fencing = record();
    new SplitStore(admin).replace(fencing, fencing.record().fenced(1, 100)).orElseThrow();

    assertThatThrownBy(() -> run.get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CoordinationException.class)
        .hasMessageContaining("was given up: no node of shard s3 reached the fence");
    assertThat(new ShardMapStore(admin).read().orElseThrow().version()).isEqualTo(1);
    assertThat(record().record().state()).isEqualTo(SplitRecord.State.ABORTED);
    assertThat(record().record().note()).contains("the fence was not reached within 2 s");
  }

  @Test
  void aRunIsResumedAndAnAbortAfterTheFlipRecordsTheSplitAsDone() throws Exception {
    SplitStore splits = new SplitStore(admin);
    SplitStore.Held begun = splits.create(SplitRecord.begin("s1", "s3", b("g"), 1, 0));
    List<String> lines = new CopyOnWriteArrayList<>();
    ShardSplit split = new ShardSplit(admin, ShardSplit.Settings.defaults(), lines::add);
    // Another point or target is refused while this split is under way.
    assertThatThrownBy(() -> split.run("s1", b("h"), "s3"))
        .hasMessageContaining("a split of shard s1 is under way");

    // The map flipped but the command stopped before it recorded the split as done.
    ShardMapStore maps = new ShardMapStore(admin);
    ShardMap v1 = maps.read().orElseThrow();
    maps.replace(v1, v1.split("s1", b("g"), "s3"));
    splits.replace(begun, begun.record().fencing(1).fenced(1, 10)).orElseThrow();
    assertThat(split.abort("s1", "test").state()).isEqualTo(SplitRecord.State.DONE);
    assertThatThrownBy(() -> split.abort("s1", "again"))
        .hasMessageContaining("shard s1 has no split under way");

    // A run of the same split after its flip only waits for the new shard's primary.
    SplitStore.Held done = record();
    splits.replace(done, done.record().in(SplitRecord.State.FENCED)).orElseThrow();
    member("s3", "c1", MemberInfo.PRIMARY, 2, 10);
    ShardSplit.Outcome o = split.run("s1", b("g"), "s3");
    assertThat(o.newPrimary()).isEqualTo("c1");
    assertThat(lines).contains("resuming the split s1 into s3 at \"g\" (FENCED)");
    assertThat(record().record().state()).isEqualTo(SplitRecord.State.DONE);
  }

  @Test
  void aSplitWhoseLearnersDoNotCatchUpInTimeStaysRecorded() {
    assertThat(new EpochLedger(admin.group("s1")).claimNext(0)).isEqualTo(1);
    member("s1", "a1", MemberInfo.PRIMARY, 1, 50_000);
    ShardSplit split =
        new ShardSplit(
            admin, new ShardSplit.Settings(Duration.ofMillis(500), WAIT, 1_000), line -> {});

    assertThatThrownBy(() -> split.run("s1", b("g"), "s3"))
        .hasMessageContaining("no node of shard s3 caught up with shard s1 within 0 s (none is");

    member("s3", "c1", MemberInfo.REPLICA, 1, 10);
    assertThatThrownBy(() -> split.run("s1", b("g"), "s3"))
        .hasMessageContaining("no node of shard s3 caught up with shard s1 within 0 s;");
    assertThat(record().record().state()).isEqualTo(SplitRecord.State.LEARNING);
  }

  @Test
  void theFlipKeepsAnotherShardsSplitThatLandedMeanwhile() throws Exception {
    ShardSplit split = new ShardSplit(admin, ShardSplit.Settings.defaults(), line -> {});
    CompletableFuture<ShardSplit.Outcome> run = runToTheFence(split, 10);
    // s2 splits at "t" into s4 before s1's fence is recorded.
    ShardMapStore maps = new ShardMapStore(admin);
    ShardMap v1 = maps.read().orElseThrow();
    maps.replace(v1, v1.split("s2", b("t"), "s4"));
    SplitStore.Held fencing = record();
    new SplitStore(admin).replace(fencing, fencing.record().fenced(1, 10)).orElseThrow();
    member("s3", "c9", MemberInfo.PRIMARY, 2, 10);

    ShardSplit.Outcome o = run.get(20, TimeUnit.SECONDS);

    assertThat(o.map().version()).isEqualTo(3);
    assertThat(o.map().shards()).extracting(ShardRange::id).containsExactly("s1", "s3", "s2", "s4");
  }

  @Test
  void anAbortWhileTheRunWaitsForTheFenceEndsTheRunAndTheMapStays() throws Exception {
    ShardSplit split = new ShardSplit(admin, ShardSplit.Settings.defaults(), line -> {});
    CompletableFuture<ShardSplit.Outcome> run = runToTheFence(split, 10);

    new ShardSplit(admin, ShardSplit.Settings.defaults(), line -> {}).abort("s1", "by hand");

    assertThatThrownBy(() -> run.get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CoordinationException.class)
        .hasMessageContaining("was aborted: by hand");
    // A fence recorded after the abort does not bring the split back.
    SplitStore.Held aborted = record();
    new SplitStore(admin).replace(aborted, aborted.record().fenced(1, 10)).orElseThrow();
    assertThat(new ShardMapStore(admin).read().orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void aClusterWithoutAMapCannotSplit() throws Exception {
    try (Coordinator other = ZkTestSupport.connect(server, "plain")) {
      assertThatThrownBy(
              () ->
                  new ShardSplit(other, ShardSplit.Settings.defaults(), l -> {})
                      .run("s1", b("g"), "s2"))
          .isInstanceOf(CoordinationException.class)
          .hasMessage("cluster plain is not sharded (no shard map)");
    }
  }
}
