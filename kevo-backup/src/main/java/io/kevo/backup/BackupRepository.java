package io.kevo.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A backup directory ({@code kevo backup --to DIR}). Layout:
 *
 * <pre>
 * DIR/LOCK                         held (an OS file lock) by the one backup that writes at a time
 * DIR/shared/NNN_SIZE_CRC.sst      SSTables, shared by every backup that contains them
 * DIR/backups/ID/MANIFEST-n        a backup's own files (the database manifest)
 * DIR/backups/ID/BACKUP            its {@link BackupManifest}: present and valid = complete
 * DIR/tmp/ID/                      a backup being written; renamed into backups/ as its commit
 * </pre>
 *
 * An SSTable's name in a database never changes content (names are sequence-numbered and never
 * reused), so a shared table is identified by name + size + CRC-32C, all three in its stored name,
 * as RocksDB's BackupEngine names its shared, checksummed files. Stateless apart from its root;
 * thread-safe for reading; writers are serialised by {@link #lock()}.
 */
public final class BackupRepository {
  static final String SHARED = "shared";
  static final String BACKUPS = "backups";
  static final String TMP = "tmp";
  private static final String LOCK = "LOCK";

  /** One backup found in {@code backups/}: its manifest, or why it cannot be read. */
  public record Entry(String id, BackupManifest manifest, String problem) {
    /** Whether it has a valid manifest. */
    public boolean complete() {
      return manifest != null;
    }
  }

  private final Path root;

  private BackupRepository(Path root) {
    this.root = root;
  }

  /** The backup directory at {@code root}, created (with its layout) if missing. */
  public static BackupRepository open(Path root) {
    try {
      Files.createDirectories(root.resolve(SHARED));
      Files.createDirectories(root.resolve(BACKUPS));
      Files.createDirectories(root.resolve(TMP));
    } catch (IOException e) {
      throw new BackupException("cannot create the backup directory " + root + ": " + e, e);
    }
    return new BackupRepository(root);
  }

  /**
   * An existing backup directory (for list, verify and restore: nothing is created).
   *
   * @throws BackupException if {@code root} is not a backup directory
   */
  public static BackupRepository existing(Path root) {
    if (!Files.isDirectory(root.resolve(BACKUPS))) {
      throw new BackupException(root + " is not a backup directory (no " + BACKUPS + "/ in it)");
    }
    return new BackupRepository(root);
  }

  public Path root() {
    return root;
  }

  /** Every backup in {@code backups/}, oldest first (ids sort by time). */
  public List<Entry> list() {
    List<Entry> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root.resolve(BACKUPS))) {
      for (Path d : s.sorted().toList()) {
        String id = d.getFileName().toString();
        try {
          out.add(new Entry(id, BackupManifest.read(d.resolve(BackupManifest.FILE)), null));
        } catch (BackupException e) {
          out.add(new Entry(id, null, e.getMessage()));
        }
      }
    } catch (IOException e) {
      throw new BackupException("cannot list " + root.resolve(BACKUPS) + ": " + e, e);
    }
    return out;
  }

  /**
   * The manifest of backup {@code id}, or of the newest complete backup if {@code id} is null.
   *
   * @throws BackupException if there is no such (complete) backup
   */
  public BackupManifest manifest(String id) {
    if (id == null) {
      List<Entry> all = list();
      for (int i = all.size() - 1; i >= 0; i--) {
        if (all.get(i).complete()) {
          return all.get(i).manifest();
        }
      }
      throw new BackupException("no complete backup in " + root);
    }
    if (id.isEmpty() || id.contains("/") || id.contains("..")) {
      throw new BackupException("not a backup id: '" + id + "'");
    }
    Path d = root.resolve(BACKUPS).resolve(id);
    if (!Files.isDirectory(d)) {
      throw new BackupException("no backup '" + id + "' in " + root);
    }
    return BackupManifest.read(d.resolve(BackupManifest.FILE));
  }

  /** Where {@code f} is stored. */
  public Path path(BackupManifest.StoredFile f) {
    return root.resolve(f.path());
  }

  /** The stored path (relative) of a shared SSTable. */
  static String sharedPath(String name, long size, int crc32c) {
    return SHARED + "/" + sharedKey(name, size) + "_" + BackupManifest.hex(crc32c) + ".sst";
  }

  /**
   * The {@code <table number>_<size>} keys of the shared tables (their CRC-32C left out): a table
   * arriving with a key in this set may be one already stored.
   */
  Set<String> sharedKeys() {
    try (Stream<Path> s = Files.list(root.resolve(SHARED))) {
      Set<String> out = new HashSet<>();
      s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".sst") && n.lastIndexOf('_') > 0)
          .forEach(n -> out.add(n.substring(0, n.lastIndexOf('_'))));
      return out;
    } catch (IOException e) {
      throw new BackupException("cannot list " + root.resolve(SHARED) + ": " + e, e);
    }
  }

  /** The key of {@link #sharedKeys()} for a table {@code name} of {@code size} bytes. */
  static String sharedKey(String name, long size) {
    return name.substring(0, name.length() - ".sst".length()) + "_" + size;
  }

  Path resolve(String relative) {
    return root.resolve(relative);
  }

  Path temporary(String id) {
    return root.resolve(TMP).resolve(id);
  }

  Path committed(String id) {
    return root.resolve(BACKUPS).resolve(id);
  }

  /**
   * Takes the writer's lock (released by closing it, or by the process's death).
   *
   * @throws BackupException if another backup is writing into this directory
   */
  AutoCloseable lock() {
    try {
      FileChannel ch =
          FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        ch.close();
        throw new BackupException("another backup is writing into " + root);
      }
      FileLock held = l;
      return () -> {
        held.release();
        ch.close();
      };
    } catch (IOException e) {
      throw new BackupException("cannot lock " + root.resolve(LOCK) + ": " + e, e);
    }
  }

  /** Deletes what interrupted backups left in {@code tmp/} (call with the lock held). */
  void clearTemporary() {
    try (Stream<Path> s = Files.list(root.resolve(TMP))) {
      for (Path p : s.toList()) {
        deleteRecursively(p);
      }
    } catch (IOException e) {
      throw new BackupException("cannot clear " + root.resolve(TMP) + ": " + e, e);
    }
  }

  /** Renames {@code from} to {@code to} atomically and makes it durable (both parents fsynced). */
  static void moveDurably(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
    syncDirectory(to.toAbsolutePath().getParent());
    syncDirectory(from.toAbsolutePath().getParent());
  }

  static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some platforms cannot open or fsync a directory; the rename itself is still atomic.
    }
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    Files.walkFileTree(
        p,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
