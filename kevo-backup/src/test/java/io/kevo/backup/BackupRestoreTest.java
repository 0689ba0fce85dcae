package io.kevo.backup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.kevo.engine.KevoDB;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.ReplicaIdentity;
import io.kevo.server.KevoServer;
import io.kevo.server.NodeRole;
import io.kevo.server.ServerOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of a real primary on 127.0.0.1 while it takes writes, and restores of them: exactly the
 * backup's sequence comes back, a later backup shares the unchanged tables, a damaged file is found
 * by verification and refused by restore, a restored node becomes a primary of a new epoch or a
 * replica of the source that streams on from the backup's sequence.
 */
@Timeout(60)
class BackupRestoreTest {
  @TempDir Path dir;

  private final BackupNodes nodes = new BackupNodes();
  private final List<BackupProgress> progress = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    nodes.close();
  }

  /** Unique keys, each written once; the sequence each got. */
  private static final class Writer implements AutoCloseable {
    final Map<Long, String> bySequence = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final KevoDB db;
    private int next;

    Writer(KevoDB db, String prefix) {
      this.db = db;
      this.thread =
          new Thread(
              () -> {
                while (running.get()) {
                  put(prefix);
                }
              },
              "test-writer");
    }

    void put(String prefix) {
      String k = prefix + String.format("%07d", next++);
      bySequence.put(db.put(k.getBytes(UTF_8), value(k).getBytes(UTF_8)), k);
    }

    Writer start() {
      thread.start();
      return this;
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }

    /** What the database held at {@code sequence}. */
    Map<String, String> upTo(long sequence) {
      Map<String, String> out = new TreeMap<>();
      bySequence.forEach(
          (s, k) -> {
            if (s <= sequence) {
              out.put(k, value(k));
            }
          });
      return out;
    }
  }

  private static String value(String key) {
    return ("value-of-" + key + "-").repeat(8);
  }

  private BackupManifest backup(ManagedChannel ch, BackupRepository repo) {
    return new BackupWriter(repo, BackupOptions.DEFAULT.withMaxChunkBytes(16 << 10))
        .take(ch, "primary", progress::add);
  }

  @Test
  void aBackupUnderWriteLoadRestoresExactlyTheWritesUpToItsSequence() throws Exception {
    KevoServer primary = nodes.start(dir.resolve("primary"), NodeRole.PRIMARY);
    ManagedChannel ch = nodes.channel(primary);
    BackupRepository repo = BackupRepository.open(dir.resolve("backups"));
    BackupManifest m;
    Writer w = new Writer(primary.db(), "k");
    try (w) {
      for (int i = 0; i < 3000; i++) {
        w.put("a");
      }
      w.start();
      m = backup(ch, repo);
      // The writer goes on past the backup's sequence.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> w.bySequence.keySet().stream().anyMatch(s -> s > m.sequence()));
    }
    assertThat(m.sequence()).isGreaterThanOrEqualTo(3000);
    assertThat(m.files()).hasSizeGreaterThan(2);
    assertThat(progress.get(progress.size() - 1).bytesReceived()).isEqualTo(m.totalBytes());
    assertThat(BackupVerifier.problems(repo, m)).isEmpty();
    assertThat(repo.list()).extracting(BackupRepository.Entry::id).containsExactly(m.id());
    assertThat(primary.primary().replicas()).isEmpty(); // nothing registered, no log held for it

    Path restored = dir.resolve("restored");
    BackupRestorer.restore(repo, null, restored);
    Map<String, String> expected = w.upTo(m.sequence());
    assertThat(BackupNodes.contents(restored)).isEqualTo(expected);
    assertThat(w.bySequence.size()).isGreaterThan(expected.size()); // later writes left out
  }

  @Test
  void aSecondBackupStoresOnlyTheTablesTheFirstLacksAndRestoresItsOwnSequence() throws Exception {
    KevoServer primary = nodes.start(dir.resolve("primary"), NodeRole.PRIMARY);
    ManagedChannel ch = nodes.channel(primary);
    BackupRepository repo = BackupRepository.open(dir.resolve("backups"));
    Writer w = new Writer(primary.db(), "k");
    for (int i = 0; i < 4000; i++) {
      w.put("a");
    }
    primary.db().compactRange(null, null); // settled: no compaction rewrites them in between
    BackupManifest first = backup(ch, repo);
    for (int i = 0; i < 300; i++) {
      w.put("b");
    }
    BackupManifest second = backup(ch, repo);

    assertThat(second.sequence()).isGreaterThan(first.sequence());
    List<String> firstTables =
        first.files().stream()
            .filter(BackupManifest.StoredFile::shared)
            .map(f -> f.path())
            .toList();
    List<String> sharedByBoth =
        second.files().stream().map(f -> f.path()).filter(firstTables::contains).toList();
    assertThat(sharedByBoth).isNotEmpty();
    long sharedBytes =
        second.files().stream()
            .filter(f -> firstTables.contains(f.path()))
            .mapToLong(f -> f.size())
            .sum();
    // What the second one stored is what it did not share, and is much less than all it holds.
    assertThat(second.storedBytes()).isEqualTo(second.totalBytes() - sharedBytes);
    assertThat(second.storedBytes()).isLessThan(second.totalBytes() / 2);
    // On disk: each shared table once.
    try (Stream<Path> s = Files.list(repo.root().resolve(BackupRepository.SHARED))) {
      long tablesOnDisk = s.count();
      long distinct =
          Stream.concat(first.files().stream(), second.files().stream())
              .filter(BackupManifest.StoredFile::shared)
              .map(BackupManifest.StoredFile::path)
              .distinct()
              .count();
      assertThat(tablesOnDisk).isEqualTo(distinct);
    }

    BackupRestorer.restore(repo, second.id(), dir.resolve("second"));
    BackupRestorer.restore(repo, first.id(), dir.resolve("first"));
    assertThat(BackupNodes.contents(dir.resolve("second"))).isEqualTo(w.upTo(second.sequence()));
    assertThat(BackupNodes.contents(dir.resolve("first"))).isEqualTo(w.upTo(first.sequence()));
  }

  @Test
  void aFlippedByteInAStoredTableIsFoundByVerifyAndRestoreRefusesWritingNothing() throws Exception {
    KevoServer primary = nodes.start(dir.resolve("primary"), NodeRole.PRIMARY);
    ManagedChannel ch = nodes.channel(primary);
    BackupRepository repo = BackupRepository.open(dir.resolve("backups"));
    Writer w = new Writer(primary.db(), "k");
    for (int i = 0; i < 3000; i++) {
      w.put("a");
    }
    BackupManifest m = backup(ch, repo);
    BackupManifest.StoredFile table =
        m.files().stream().filter(BackupManifest.StoredFile::shared).findFirst().orElseThrow();
    flipByte(repo.path(table), table.size() / 2);

    assertThat(BackupVerifier.problems(repo, m))
        .singleElement()
        .asString()
        .contains(table.path(), "fails its checksum");
    Path target = dir.resolve("restored");
    assertThatThrownBy(() -> BackupRestorer.restore(repo, m.id(), target))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("is damaged")
        .hasMessageContaining(table.path())
        .hasMessageContaining("nothing was restored");
    assertThat(target).doesNotExist();
    assertThat(dir.resolve("restored.restoring")).doesNotExist();
  }

  @Test
  void aDamagedManifestMakesTheBackupIncomplete() throws Exception {
    KevoServer primary = nodes.start(dir.resolve("primary"), NodeRole.PRIMARY);
    BackupRepository repo = BackupRepository.open(dir.resolve("backups"));
    Writer w = new Writer(primary.db(), "k");
    for (int i = 0; i < 500; i++) {
      w.put("a");
    }
    BackupManifest m = backup(nodes.channel(primary), repo);
    Path manifest = repo.committed(m.id()).resolve(BackupManifest.FILE);
    flipByte(manifest, 40);

    assertThat(repo.list()).singleElement().satisfies(e -> assertThat(e.complete()).isFalse());
    assertThatThrownBy(() -> BackupRestorer.restore(repo, m.id(), dir.resolve("r")))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("is damaged: checksum mismatch");
    assertThat(dir.resolve("r")).doesNotExist();
  }

  @Test
  void aRestoredNodeStartedAsPrimaryTakesWritesInAHigherEpoch() throws Exception {
    KevoServer primary = nodes.start(dir.resolve("primary"), NodeRole.PRIMARY);
    Writer w = new Writer(primary.db(), "k");
    for (int i = 0; i < 1000; i++) {
      w.put("a");
    }
    long sourceEpoch = primary.primary().epochs().currentEpoch();
    BackupRepository repo = BackupRepository.open(dir.resolve("backups"));
    BackupManifest m = backup(nodes.channel(primary), repo);
    assertThat(m.epochs().currentEpoch()).isEqualTo(sourceEpoch);

    Path restored = dir.resolve("restored");
    BackupRestorer.restore(repo, m.id(), restored);
    KevoServer second = nodes.start(restored, NodeRole.PRIMARY);
    EpochHistory h = second.primary().epochs();
    assertThat(h.currentEpoch()).isGreaterThan(sourceEpoch);
    assertThat(h.last().startSequence()).isEqualTo(m.sequence() + 1);
    assertThat(h.last().nodeId())
        .isEqualTo(ReplicaIdentity.loadOrCreate(restored))
        .isNotEqualTo(ReplicaIdentity.loadOrCreate(dir.resolve("primary")));
    KevoServiceGrpc.newBlockingStub(nodes.channel(second))
        .put(
            PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("new"))
                .setValue(ByteString.copyFromUtf8("write"))
                .build());
    assertThat(second.db().get("new".getBytes(UTF_8)))
        .hasValueSatisfying(v -> assertThat(new String(v, UTF_8)).isEqualTo("write"));
    long s = second.db().wal().nextSequence() - 1;
    assertThat(s).isEqualTo(m.sequence() + 1);
    assertThat(h.termAt(s).epoch()).isEqualTo(h.currentEpoch());
  }

  @Test
  void aRestoredNodeStartedAsAReplicaOfTheSourceStreamsOnFromTheBackupWithoutABootstrap()
      throws Exception {
    KevoServer primary = nodes.start(dir.resolve("primary"), NodeRole.PRIMARY);
    Writer w = new Writer(primary.db(), "k");
    for (int i = 0; i < 1000; i++) {
      w.put("a");
    }
    BackupRepository repo = BackupRepository.open(dir.resolve("backups"));
    BackupManifest m = backup(nodes.channel(primary), repo);
    for (int i = 0; i < 500; i++) {
      w.put("b");
    }
    Path restored = dir.resolve("restored");
    BackupRestorer.restore(repo, m.id(), restored);
    KevoDB db = KevoDB.open(restored, BackupNodes.DB);
    KevoServer replica =
        nodes.track(
            KevoServer.start(
                db,
                ServerOptions.builder()
                    .role(NodeRole.REPLICA)
                    .primaryAddress(primary.address())
                    .listen("127.0.0.1", 0)
                    .build()));
    long last = primary.db().wal().nextSequence() - 1;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> replica.replica().getLastAppliedSequence() == last);
    assertThat(BackupNodes.contents(db)).isEqualTo(BackupNodes.contents(primary.db()));
    assertThat(replica.replica().status().bootstrapsCompleted()).isZero();
  }

  @Test
  void aSecondWriterIntoTheSameDirectoryIsRefusedAndLeavesNothing() throws Exception {
    KevoServer primary = nodes.start(dir.resolve("primary"), NodeRole.PRIMARY);
    BackupRepository repo = BackupRepository.open(dir.resolve("backups"));
    try (AutoCloseable held = repo.lock()) {
      assertThatThrownBy(() -> backup(nodes.channel(primary), repo))
          .isInstanceOf(BackupException.class)
          .hasMessageContaining("another backup is writing into");
    }
    assertThat(repo.list()).isEmpty();
    assertThat(backup(nodes.channel(primary), repo).sequence()).isZero();
    assertThat(primary.primary().snapshotTransfers().completed()).isEqualTo(1);
  }

  private static void flipByte(Path file, long at) throws Exception {
    try (FileChannel f =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      f.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x10));
      b.rewind();
      f.write(b, at);
    }
  }
}
