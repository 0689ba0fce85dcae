package io.kevo.engine.internal;

import io.kevo.engine.CheckpointFile;
import io.kevo.engine.DurableFiles;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.KeyRange;
import io.kevo.engine.internal.io.Files2;
import io.kevo.engine.internal.version.VersionSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs a sealed staged checkpoint ({@link io.kevo.engine.StagedCheckpoint}) into a database
 * directory, and finishes or discards what a crash left, at every open, before anything is read.
 *
 * <p>The descriptor {@code SEALED} (text, UTF-8, one item per line):
 *
 * <pre>
 *   kevo-checkpoint 1
 *   sequence &lt;S&gt;
 *   retain &lt;START&gt; &lt;END&gt;   (optional: the keys the database keeps, as in RETAINED)
 *   file &lt;name&gt; &lt;size&gt;        (one line per file)
 *   crc32 &lt;CRC-32 (IEEE) of every preceding line, newlines included, as 8 hex digits&gt;
 * </pre>
 *
 * Installation, each step idempotent so that it can be redone from the top after a crash: delete
 * CURRENT (from here on the directory is no database unless this installation completes); delete
 * tables and manifests the checkpoint does not list, temp files and every WAL segment; move the
 * staged files in; record the retained key range ({@link RetainedRangeFile}, removed for a
 * checkpoint of every key); write CURRENT naming the checkpoint's manifest; delete the staging
 * directory. Stateless.
 */
public final class CheckpointInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointInstaller.class);

  /** The staging directory's name inside the database directory. */
  public static final String STAGING_DIR = "checkpoint-staging";

  static final String SEALED = "SEALED";
  private static final String MAGIC = "kevo-checkpoint 1";

  private CheckpointInstaller() {}

  /** What a descriptor says. */
  record Descriptor(long sequence, KeyRange retained, List<CheckpointFile> files) {}

  /** Writes the descriptor of a complete staging directory (temp, fsync, rename, fsync dir). */
  public static void writeDescriptor(
      Path staging, long sequence, KeyRange retained, List<CheckpointFile> files)
      throws IOException {
    StringBuilder sb = new StringBuilder(MAGIC).append('\n');
    sb.append("sequence ").append(sequence).append('\n');
    if (!retained.isAll()) {
      sb.append("retain ").append(RetainedRangeFile.encode(retained)).append('\n');
    }
    for (CheckpointFile f : files) {
      sb.append("file ").append(f.name()).append(' ').append(f.size()).append('\n');
    }
    CRC32 crc = new CRC32();
    crc.update(sb.toString().getBytes(StandardCharsets.UTF_8));
    sb.append(String.format("crc32 %08x%n", crc.getValue()));
    // The staged files' names first, then the descriptor that seals them.
    Files2.fsyncDirectory(staging);
    DurableFiles.replace(staging.resolve(SEALED), sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  static Descriptor readDescriptor(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.size() < 3 || !lines.get(0).equals(MAGIC)) {
      throw corrupt(file, "not a checkpoint descriptor");
    }
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < lines.size() - 1; i++) {
      body.append(lines.get(i)).append('\n');
    }
    CRC32 crc = new CRC32();
    crc.update(body.toString().getBytes(StandardCharsets.UTF_8));
    String last = lines.get(lines.size() - 1);
    if (!last.equals(String.format("crc32 %08x", crc.getValue()))) {
      throw corrupt(file, "checksum mismatch");
    }
    try {
      long sequence = Long.parseLong(lines.get(1).substring("sequence ".length()));
      int first = 2;
      KeyRange retained = KeyRange.ALL;
      if (lines.get(2).startsWith("retain ")) {
        String[] r = lines.get(2).split(" ");
        if (r.length != 3) {
          throw corrupt(file, "bad line 3");
        }
        retained = RetainedRangeFile.decode(r[1], r[2]);
        first = 3;
      }
      List<CheckpointFile> files = new ArrayList<>();
      for (int i = first; i < lines.size() - 1; i++) {
        String[] p = lines.get(i).split(" ");
        if (p.length != 3 || !p[0].equals("file")) {
          throw corrupt(file, "bad line " + (i + 1));
        }
        files.add(new CheckpointFile(p[1], Long.parseLong(p[2])));
      }
      return new Descriptor(sequence, retained, files);
    } catch (RuntimeException e) {
      if (e instanceof KevoException k && k.code() == ErrorCode.CORRUPTION) {
        throw k;
      }
      throw corrupt(file, e.toString());
    }
  }

  private static KevoException corrupt(Path file, String why) {
    return new KevoException(ErrorCode.CORRUPTION, "checkpoint descriptor " + file + ": " + why);
  }

  /**
   * Called with the directory locked, before the manifest is read: installs a sealed staged
   * checkpoint, deletes an unsealed one (an interrupted transfer). Returns whether it installed.
   */
  static boolean recover(Path dir, Path walDir) throws IOException {
    Path staging = dir.resolve(STAGING_DIR);
    if (!Files.isDirectory(staging)) {
      return false;
    }
    Path sealed = staging.resolve(SEALED);
    if (!Files.exists(sealed)) {
      LOG.info(
          "discarding the unfinished checkpoint transfer in {} (a bootstrap was interrupted)",
          staging);
      deleteRecursively(staging);
      Files2.fsyncDirectory(dir);
      return false;
    }
    install(dir, walDir, staging, readDescriptor(sealed));
    return true;
  }

  private static void install(Path dir, Path walDir, Path staging, Descriptor d)
      throws IOException {
    long started = System.nanoTime();
    Set<String> names = new HashSet<>();
    String manifest = null;
    long bytes = 0;
    for (CheckpointFile f : d.files()) {
      names.add(f.name());
      bytes += f.size();
      if (CheckpointFile.isManifest(f.name())) {
        manifest = f.name();
      }
    }
    if (manifest == null) {
      throw corrupt(staging.resolve(SEALED), "no manifest listed");
    }
    LOG.info(
        "installing the checkpoint at sequence {} ({} files, {} bytes) into {}",
        d.sequence(),
        d.files().size(),
        bytes,
        dir);
    Files.deleteIfExists(dir.resolve(VersionSet.CURRENT_FILE));
    Files2.fsyncDirectory(dir);
    for (Path p : list(dir)) {
      String n = p.getFileName().toString();
      boolean old =
          (n.endsWith(".sst") || n.startsWith("MANIFEST-") || n.endsWith(".tmp"))
              && !names.contains(n);
      if (old && Files.isRegularFile(p)) {
        Files.delete(p);
      }
    }
    if (Files.isDirectory(walDir)) {
      for (Path p : list(walDir)) {
        if (p.getFileName().toString().endsWith(".wal") && Files.isRegularFile(p)) {
          Files.delete(p);
        }
      }
      Files2.fsyncDirectory(walDir);
    }
    for (CheckpointFile f : d.files()) {
      Path src = staging.resolve(f.name());
      Path dst = dir.resolve(f.name());
      if (Files.exists(src)) {
        if (Files.size(src) != f.size()) {
          throw corrupt(src, "staged file is " + Files.size(src) + " bytes, not " + f.size());
        }
        Files.move(src, dst, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else if (!Files.exists(dst) || Files.size(dst) != f.size()) {
        throw corrupt(dst, "a checkpoint file is neither staged nor installed");
      }
    }
    Files2.fsyncDirectory(dir);
    RetainedRangeFile.write(dir, d.retained());
    VersionSet.pointCurrentAt(dir, manifest);
    deleteRecursively(staging);
    Files2.fsyncDirectory(dir);
    LOG.info(
        "installed the checkpoint at sequence {} into {} in {} ms",
        d.sequence(),
        dir,
        (System.nanoTime() - started) / 1_000_000);
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** Deletes {@code dir} and everything under it, if it exists. */
  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
