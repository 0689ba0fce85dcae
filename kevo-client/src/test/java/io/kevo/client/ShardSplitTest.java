package io.kevo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.kevo.coordination.CoordinationException;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardMapStore;
import io.kevo.coordination.ShardSplit;
import io.kevo.coordination.SplitRecord;
import io.kevo.coordination.SplitStore;
import io.kevo.engine.Checkpoint;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.KeyRange;
import io.kevo.engine.Options;
import io.kevo.engine.ScanOptions;
import io.kevo.server.KevoServer;
import io.kevo.server.NodeRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An online split with real nodes in this JVM on a real ZooKeeper (Curator's TestingServer): shard
 * s1 {@code [-, m)} splits at {@code g} into s3 while a routing client keeps writing keys on both
 * sides of the split point. The new shard's node learns s1's log, s1 fences the moving keys, the
 * map flips and s3 elects its primary; every write the client saw acknowledged reads back with its
 * value afterwards, the moving keys are served by s3 alone, and s1 refuses them. The new shard
 * bootstraps from a snapshot of its range, and each side keeps only its own keys. A split that
 * cannot finish is given up and s1 serves its whole range again.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShardSplitTest extends ShardedNodesBase {
  @BeforeEach
  void writeTheMap() {
    new ShardMapStore(admin).create(ShardMap.splitAt(List.of(b("m"))));
  }

  /** Puts keys of [a, m) one after another, remembering what was acknowledged and what failed. */
  private static final class Writer extends Thread {
    final KevoClient client;
    final AtomicBoolean stop = new AtomicBoolean();
    final Map<String, String> acked = new HashMap<>();
    final Map<String, Set<String>> uncertain = new HashMap<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    volatile int writes;

    Writer(KevoClient client) {
      this.client = client;
    }

    @Override
    public void run() {
      Random random = new Random(7);
      while (!stop.get()) {
        String key = (char) ('a' + random.nextInt(12)) + "-" + random.nextInt(50);
        String value = "v" + writes++;
        try {
          client.put(b(key), b(value));
          acked.put(key, value);
          uncertain.remove(key);
        } catch (KevoClientException e) {
          failures.add(key + ": " + e.getMessage());
          uncertain.computeIfAbsent(key, k -> new HashSet<>()).add(value);
        }
      }
    }
  }

  @Test
  void aShardSplitsWhileWritesGoOnAndNoAcknowledgedWriteIsLost() throws Exception {
    KevoServer a1 = started("a1", "s1");
    started("b1", "s2");
    await().atMost(WAIT).until(() -> a1.role() == NodeRole.PRIMARY);
    KevoClient c = client();
    for (int i = 0; i < 500; i++) {
      c.put(b("h-old-" + i), b("before"));
    }
    // The new shard's node waits: its shard is not in the map and no split names it.
    KevoServer c1 = started("c1", "s3");
    Writer writer = new Writer(c);
    writer.start();
    await().atMost(WAIT).until(() -> writer.writes > 200);

    List<String> progress = new CopyOnWriteArrayList<>();
    ShardSplit.Outcome outcome =
        new ShardSplit(admin, ShardSplit.Settings.defaults(), progress::add)
            .run("s1", b("g"), "s3");
    await().atMost(WAIT).until(() -> writer.writes > outcome.fenceSequence() / 2 + 200);
    writer.stop.set(true);
    writer.join();
    System.out.println(
        "split: "
            + progress
            + " pause "
            + outcome.pause().toMillis()
            + " ms, writes "
            + writer.writes
            + ", failures "
            + writer.failures);

    assertThat(outcome.map().version()).isEqualTo(2);
    assertThat(outcome.map().ownerOf(b("h")).id()).isEqualTo("s3");
    assertThat(outcome.map().ownerOf(b("f")).id()).isEqualTo("s1");
    assertThat(outcome.newPrimary()).isEqualTo("c1");
    assertThat(c1.role()).isEqualTo(NodeRole.PRIMARY);
    assertThat(progress).anyMatch(l -> l.startsWith("flipped the shard map: c1 holds sequence"));
    assertThat(new SplitStore(admin).read("s1").orElseThrow().record().state())
        .isEqualTo(SplitRecord.State.DONE);

    // Every acknowledged write reads back with its value (or a later, unacknowledged one).
    assertThat(writer.acked).isNotEmpty();
    for (Map.Entry<String, String> e : writer.acked.entrySet()) {
      Optional<String> read = c.get(b(e.getKey())).map(ShardSplitTest::s);
      Set<String> allowed = new HashSet<>(writer.uncertain.getOrDefault(e.getKey(), Set.of()));
      allowed.add(e.getValue());
      assertThat(read).as("key %s", e.getKey()).isPresent();
      assertThat(allowed).as("key %s read %s", e.getKey(), read).contains(read.get());
    }
    for (int i = 0; i < 500; i++) {
      assertThat(c.get(b("h-old-" + i)).map(ShardSplitTest::s)).contains("before");
    }
    // The moving keys are s3's alone: s1 refuses them, naming s3 and the new map.
    try (KevoClient direct = KevoClient.connect(a1.address())) {
      assertThatThrownBy(() -> direct.shard(b("a")).get(b("h-old-1")))
          .isInstanceOfSatisfying(
              KevoClientException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
          .hasMessageContaining("belongs to shard s3 (shard map version 2)");
      assertThat(direct.shard(b("a")).get(b("f-0")).map(ShardSplitTest::s))
          .isEqualTo(c.get(b("f-0")).map(ShardSplitTest::s));
    }
    // The split's pause is bounded: the client's reroutes outlast it (no write failed for good).
    assertThat(writer.failures).isEmpty();
  }

  @Test
  void theNewShardBootstrapsFromASnapshotOfItsRangeAndEachSideKeepsOnlyItsKeys() throws Exception {
    // Small tables (values that do not compress), so that a range is a part of them.
    KevoServer a1 =
        started(
            "a1",
            "s1",
            Options.builder()
                .memtableSize(128 << 10)
                .segmentSize(64 << 10)
                .targetFileSize(64 << 10)
                .build(),
            null);
    await().atMost(WAIT).until(() -> a1.role() == NodeRole.PRIMARY);
    KevoClient c = client();
    Random random = new Random(11);
    byte[] noise = new byte[60];
    Map<String, String> written = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      random.nextBytes(noise);
      String v = "v" + i + HexFormat.of().formatHex(noise);
      c.put(b(key(i)), b(v));
      written.put(key(i), v);
    }
    a1.db().compactRange(null, null);
    long whole;
    try (Checkpoint cp = a1.db().checkpoint()) {
      whole = cp.totalBytes();
    }

    KevoServer c1 = started("c1", "s3");
    ShardSplit.Outcome o =
        new ShardSplit(admin, ShardSplit.Settings.defaults(), line -> {})
            .run("s1", b(key(1500)), "s3");

    assertThat(o.newPrimary()).isEqualTo("c1");
    // c1 bootstrapped from a snapshot of the moving keys only, and keeps only them.
    assertThat(a1.primary().snapshotTransfers().completed()).isEqualTo(1);
    assertThat(a1.primary().snapshotTransfers().bytesSent())
        .as("half the keys, plus at most a table astride the split point per level")
        .isLessThan(whole * 3 / 4);
    KeyRange moved = new KeyRange(b(key(1500)), b("m"));
    assertThat(c1.db().retained()).isEqualTo(moved);
    // s1 drops the moved keys once the map has flipped.
    KeyRange stays = new KeyRange(new byte[0], b(key(1500)));
    await().atMost(WAIT).until(() -> a1.db().retained().equals(stays));
    await().atMost(WAIT).until(() -> keys(a1.db()).stream().noneMatch(k -> moved.contains(b(k))));
    assertThat(keys(a1.db())).hasSize(1500);
    c1.db().compactRange(null, null); // drops the keys of the table astride the split point
    assertThat(keys(c1.db())).hasSize(1500).allMatch(k -> moved.contains(b(k)));
    for (int i = 0; i < 3000; i += 7) {
      assertThat(c.get(b(key(i))).map(ShardSplitTest::s)).contains(written.get(key(i)));
    }
  }

  private static String key(int i) {
    return String.format("k-%04d", i);
  }

  /** Every key {@code db} holds, read from the engine itself. */
  private static List<String> keys(KevoDB db) {
    List<String> out = new ArrayList<>();
    try (KevoIterator it = db.scan(ScanOptions.builder().build())) {
      it.forEachRemaining(kv -> out.add(s(kv.key())));
    }
    return out;
  }

  @Test
  void aLearnerNamesNoPrimaryAndStopsLearningWhenItsSplitIsAborted() throws Exception {
    KevoServer a1 = started("a1", "s1");
    await().atMost(WAIT).until(() -> a1.role() == NodeRole.PRIMARY);
    KevoClient c = client();
    c.put(b("kiwi"), b("1"));
    KevoServer c1 = started("c1", "s3");
    // A catch-up distance no learner meets: the split stays in its learning step.
    ShardSplit split =
        new ShardSplit(admin, new ShardSplit.Settings(Duration.ofSeconds(3), WAIT, -1), line -> {});
    Thread running =
        new Thread(
            () -> {
              try {
                split.run("s1", b("g"), "s3");
              } catch (CoordinationException expected) {
                // the learn timeout
              }
            });
    running.start();
    try (KevoClient direct = KevoClient.connect(c1.address())) {
      // c1 learns s1's log; it names no primary (s1's is not its shard's), so no client is sent
      // to s1 through it.
      await()
          .atMost(WAIT)
          .until(() -> direct.nodeInfo().getLastSequence() >= a1NextSequence(a1) - 1);
      assertThat(direct.nodeInfo().getPrimaryAddress()).isEmpty();
      running.join();
      split.abort("s1", "test");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  io.kevo.coordination.ClusterView.read(admin.group("s3"))
                      .member("c1")
                      .map(m -> m.state().contains("waiting for a split into it"))
                      .orElse(false));
      long learned = direct.nodeInfo().getLastSequence();
      c.put(b("kiwi"), b("2"));
      c.put(b("lime"), b("3"));
      // Aborted: c1 stops copying s1's log, and s1 serves its whole range.
      await().atMost(WAIT).until(() -> a1NextSequence(a1) - 1 > learned);
      assertThat(c.get(b("lime")).map(ShardSplitTest::s)).contains("3");
      assertThat(direct.nodeInfo().getLastSequence()).isEqualTo(learned);
    }
  }

  private static long a1NextSequence(KevoServer s) {
    try (KevoClient direct = KevoClient.connect(s.address())) {
      return direct.nodeInfo().getLastSequence() + 1;
    }
  }

  @Test
  void aSplitThatCannotFinishIsGivenUpAndTheShardServesItsWholeRangeAgain() {
    KevoServer a1 = started("a1", "s1");
    await().atMost(WAIT).until(() -> a1.role() == NodeRole.PRIMARY);
    KevoClient c = client();
    c.put(b("kiwi"), b("1"));
    ShardSplit split =
        new ShardSplit(
            admin,
            new ShardSplit.Settings(Duration.ofSeconds(1), Duration.ofSeconds(5), 1_000),
            line -> {});

    // No node of s3 runs: the learners never catch up, and the split stays recorded.
    assertThatThrownBy(() -> split.run("s1", b("g"), "s3"))
        .isInstanceOf(CoordinationException.class)
        .hasMessageContaining(
            "no node of shard s3 caught up with shard s1 within 1 s (none is running");
    assertThat(new SplitStore(admin).read("s1").orElseThrow().record().state())
        .isEqualTo(SplitRecord.State.LEARNING);
    // Another split of s1 is refused while this one is under way, and a split outside s1 at once.
    assertThatThrownBy(() -> split.run("s1", b("c"), "s4"))
        .hasMessageContaining("a split of shard s1 is under way");

    SplitRecord aborted = split.abort("s1", "test");
    assertThat(aborted.state()).isEqualTo(SplitRecord.State.ABORTED);
    c.put(b("kiwi"), b("2"));
    assertThat(c.get(b("kiwi")).map(ShardSplitTest::s)).contains("2");
    assertThat(new ShardMapStore(admin).read().orElseThrow().version()).isEqualTo(1);
    assertThatThrownBy(() -> split.run("s2", b("c"), "s4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not inside shard s2");
  }
}
