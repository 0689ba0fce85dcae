package io.kevo.backup;

import io.kevo.engine.CheckpointFile;
import io.kevo.engine.KevoDB;
import io.kevo.engine.StagedCheckpoint;
import io.kevo.replication.ReplicaIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a data directory from a backup, the way a replica installs a bootstrap snapshot: the
 * files go into a {@link StagedCheckpoint} (each checked against its size and CRC-32C as it is
 * copied), which is sealed and installed by opening the database once; the backup's epoch history
 * is stored with it. All of it happens in {@code <NEWDIR>.restoring}, renamed to {@code NEWDIR}
 * only when complete: a damaged backup or a crash never leaves a {@code NEWDIR} that looks like a
 * database.
 *
 * <p>The restored directory has the primary's epoch history but no node id of its own. Started as a
 * standalone node or as a primary, it creates a new id and so begins a term with the highest epoch
 * it has seen + 1 (see {@code EpochHistory.beginTerm}): replicas of the old cluster see a new
 * primary whose history forks from theirs after the backup's sequence, never a node they already
 * know. Started as a replica of the old primary instead, it streams from the backup's sequence + 1
 * like a freshly bootstrapped replica. Stateless.
 */
public final class BackupRestorer {
  private static final Logger LOG = LoggerFactory.getLogger(BackupRestorer.class);

  private BackupRestorer() {}

  /**
   * Restores backup {@code id} (the newest complete one if null) of {@code repo} into {@code
   * dataDir}, which must not exist or be empty.
   *
   * @return the restored backup's manifest
   * @throws BackupException if the backup is missing or damaged, or {@code dataDir} is in use;
   *     {@code dataDir} is then untouched
   */
  public static BackupManifest restore(BackupRepository repo, String id, Path dataDir) {
    BackupManifest m = repo.manifest(id);
    checkTarget(dataDir);
    Path abs = dataDir.toAbsolutePath();
    Path partial = abs.resolveSibling(abs.getFileName() + ".restoring");
    try {
      BackupRepository.deleteRecursively(partial);
      Files.createDirectories(partial);
      List<CheckpointFile> files =
          m.files().stream().map(f -> new CheckpointFile(f.name(), f.size())).toList();
      try (StagedCheckpoint staged = StagedCheckpoint.create(partial, m.sequence(), files)) {
        for (int i = 0; i < files.size(); i++) {
          int index = i;
          BackupManifest.StoredFile f = m.files().get(i);
          String p =
              FileCheck.problem(
                  repo.path(f), f, b -> staged.write(index, staged.written(index), b));
          if (p != null) {
            throw new BackupException(
                "backup " + m.id() + " is damaged: " + p + "; nothing was restored to " + dataDir);
          }
          staged.finishFile(i);
        }
        staged.seal();
      }
      if (!m.epochs().isEmpty()) {
        m.epochs().store(partial.resolve(ReplicaIdentity.DIRECTORY));
      }
      try (KevoDB db = KevoDB.open(partial)) { // installs the sealed checkpoint
        long next = db.wal().nextSequence();
        if (next != m.sequence() + 1) {
          throw new BackupException(
              "the restored database continues at sequence "
                  + next
                  + ", not "
                  + (m.sequence() + 1)
                  + "; nothing was restored to "
                  + dataDir);
        }
      }
      Files.deleteIfExists(abs); // an empty directory (checked above)
      BackupRepository.moveDurably(partial, abs);
      LOG.info(
          "restored backup {} (sequence {}, {} bytes) into {}",
          m.id(),
          m.sequence(),
          m.totalBytes(),
          abs);
      return m;
    } catch (IOException | RuntimeException e) {
      try {
        BackupRepository.deleteRecursively(partial);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      if (e instanceof BackupException be) {
        throw be;
      }
      throw new BackupException(
          "restoring backup " + m.id() + " into " + dataDir + " failed: " + e, e);
    }
  }

  private static void checkTarget(Path dataDir) {
    if (!Files.exists(dataDir)) {
      return;
    }
    if (!Files.isDirectory(dataDir)) {
      throw new BackupException(dataDir + " exists and is not a directory");
    }
    try (Stream<Path> s = Files.list(dataDir)) {
      if (s.findAny().isPresent()) {
        throw new BackupException(
            dataDir + " is not empty: restore into a new (or empty) directory");
      }
    } catch (IOException e) {
      throw new BackupException("cannot read " + dataDir + ": " + e, e);
    }
  }
}
